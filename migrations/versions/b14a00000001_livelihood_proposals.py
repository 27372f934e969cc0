"""livelihood proposals

Revision ID: b14a00000001
Revises: b13e00000001
Create Date: 2026-12-04 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b14a00000001'
down_revision = 'b13e00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livelihood_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_livelihood_period_ends_after_start')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_livelihood_period_closed_by_id_user')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user.id'], name=op.f('fk_livelihood_period_opened_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_livelihood_period_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_period')),
    sa.UniqueConstraint('township_id', 'year', name='uq_livelihood_period_year')
    )
    with op.batch_alter_table('livelihood_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_period_township_id'), ['township_id'], unique=False)

    op.create_table('livelihood_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('cost_wan', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('cost_approximate', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('proposer_kind', sa.Enum('resident', 'deputy', 'office', name='proposer_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposer_name', sa.String(length=60), nullable=False),
    sa.Column('proposer_contact', sa.String(length=100), nullable=False),
    sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'accepted', 'rejected', 'merged', 'forwarded', name='proposal_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state <> 'merged' OR merged_into_id IS NOT NULL", name=op.f('ck_livelihood_proposal_merged_has_target')),
    sa.CheckConstraint("state <> 'rejected' OR rejection_reason <> ''", name=op.f('ck_livelihood_proposal_rejected_has_reason')),
    sa.CheckConstraint('cost_wan IS NULL OR cost_wan >= 0', name=op.f('ck_livelihood_proposal_cost_not_negative')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_livelihood_proposal_decided_by_id_user')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_livelihood_proposal_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['livelihood_proposal.id'], name=op.f('fk_livelihood_proposal_merged_into_id_livelihood_proposal')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_livelihood_proposal_office_id_office')),
    sa.ForeignKeyConstraint(['period_id'], ['livelihood_period.id'], name=op.f('fk_livelihood_proposal_period_id_livelihood_period')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_livelihood_proposal_submitted_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_livelihood_proposal_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_proposal')),
    sa.UniqueConstraint('period_id', 'number', name='uq_livelihood_proposal_number'),
    sa.UniqueConstraint('token', name=op.f('uq_livelihood_proposal_token'))
    )
    with op.batch_alter_table('livelihood_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_submitted_by_id'), ['submitted_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_township_id'), ['township_id'], unique=False)

    op.create_table('livelihood_proposal_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.Enum('submitted', 'accepted', 'rejected', 'merged', 'forwarded', name='proposal_from_state', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_state', sa.Enum('submitted', 'accepted', 'rejected', 'merged', 'forwarded', name='proposal_to_state', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_livelihood_proposal_event_actor_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['livelihood_proposal.id'], name=op.f('fk_livelihood_proposal_event_proposal_id_livelihood_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_proposal_event'))
    )
    with op.batch_alter_table('livelihood_proposal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_proposal_event_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('livelihood_proposal_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_event_proposal_id'))

    op.drop_table('livelihood_proposal_event')
    with op.batch_alter_table('livelihood_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_township_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_submitted_by_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_state'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_period_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_office_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_proposal_deputy_id'))

    op.drop_table('livelihood_proposal')
    with op.batch_alter_table('livelihood_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_period_township_id'))

    op.drop_table('livelihood_period')
