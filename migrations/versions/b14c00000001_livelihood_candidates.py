"""livelihood candidates

Revision ID: b14c00000001
Revises: b14b00000001
Create Date: 2026-12-05 00:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b14c00000001'
down_revision = 'b14b00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livelihood_vote_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('surplus_percent', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('drafting', 'fixed', 'voted', name='plan_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('fixed_at', sa.DateTime(), nullable=True),
    sa.Column('fixed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state = 'drafting' OR fixed_at IS NOT NULL", name=op.f('ck_livelihood_vote_plan_fixed_has_time')),
    sa.CheckConstraint('places >= 0', name=op.f('ck_livelihood_vote_plan_places_not_negative')),
    sa.CheckConstraint('surplus_percent >= 0 AND surplus_percent <= 100', name=op.f('ck_livelihood_vote_plan_surplus_percent_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_livelihood_vote_plan_created_by_id_user')),
    sa.ForeignKeyConstraint(['fixed_by_id'], ['user.id'], name=op.f('fk_livelihood_vote_plan_fixed_by_id_user')),
    sa.ForeignKeyConstraint(['period_id'], ['livelihood_period.id'], name=op.f('fk_livelihood_vote_plan_period_id_livelihood_period')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_livelihood_vote_plan_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_vote_plan')),
    sa.UniqueConstraint('township_id', 'year', name='uq_livelihood_vote_plan_year')
    )
    with op.batch_alter_table('livelihood_vote_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_vote_plan_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_vote_plan_township_id'), ['township_id'], unique=False)

    op.create_table('livelihood_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('amount_wan', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('amount_approximate', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('fund_source', sa.String(length=200), nullable=False),
    sa.Column('lead_office_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_wan IS NULL OR amount_wan >= 0', name=op.f('ck_livelihood_candidate_amount_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_livelihood_candidate_created_by_id_user')),
    sa.ForeignKeyConstraint(['lead_office_id'], ['office.id'], name=op.f('fk_livelihood_candidate_lead_office_id_office')),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_candidate_plan_id_livelihood_vote_plan')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_livelihood_candidate_township_id_township')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_livelihood_candidate_withdrawn_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_candidate'))
    )
    with op.batch_alter_table('livelihood_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_lead_office_id'), ['lead_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_township_id'), ['township_id'], unique=False)

    op.create_table('livelihood_candidate_sheet_document',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('pdf_key', sa.String(length=200), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_candidate_sheet_document_plan_id_livelihood_vote_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_livelihood_candidate_sheet_document'))
    )
    op.create_table('livelihood_candidate_joint_lead',
    sa.Column('livelihood_candidate_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['livelihood_candidate_id'], ['livelihood_candidate.id'], name=op.f('fk_livelihood_candidate_joint_lead_livelihood_candidate_id_livelihood_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_livelihood_candidate_joint_lead_office_id_office')),
    sa.PrimaryKeyConstraint('livelihood_candidate_id', 'office_id', name=op.f('pk_livelihood_candidate_joint_lead'))
    )
    op.create_table('livelihood_candidate_proposal',
    sa.Column('livelihood_candidate_id', sa.Integer(), nullable=False),
    sa.Column('livelihood_proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['livelihood_candidate_id'], ['livelihood_candidate.id'], name=op.f('fk_livelihood_candidate_proposal_livelihood_candidate_id_livelihood_candidate'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['livelihood_proposal_id'], ['livelihood_proposal.id'], name=op.f('fk_livelihood_candidate_proposal_livelihood_proposal_id_livelihood_proposal')),
    sa.PrimaryKeyConstraint('livelihood_candidate_id', 'livelihood_proposal_id', name=op.f('pk_livelihood_candidate_proposal'))
    )
    with op.batch_alter_table('livelihood_candidate_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_proposal_livelihood_proposal_id'), ['livelihood_proposal_id'], unique=False)

    op.create_table('livelihood_candidate_remark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=True),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['livelihood_candidate.id'], name=op.f('fk_livelihood_candidate_remark_candidate_id_livelihood_candidate')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_livelihood_candidate_remark_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_candidate_remark_plan_id_livelihood_vote_plan')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_livelihood_candidate_remark_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_candidate_remark'))
    )
    with op.batch_alter_table('livelihood_candidate_remark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_remark_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_remark_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_remark_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('livelihood_candidate_remark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_remark_plan_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_remark_deputy_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_remark_candidate_id'))

    op.drop_table('livelihood_candidate_remark')
    with op.batch_alter_table('livelihood_candidate_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_proposal_livelihood_proposal_id'))

    op.drop_table('livelihood_candidate_proposal')
    op.drop_table('livelihood_candidate_joint_lead')
    op.drop_table('livelihood_candidate_sheet_document')
    with op.batch_alter_table('livelihood_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_township_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_plan_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_lead_office_id'))

    op.drop_table('livelihood_candidate')
    with op.batch_alter_table('livelihood_vote_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_vote_plan_township_id'))
        batch_op.drop_index(batch_op.f('ix_livelihood_vote_plan_period_id'))

    op.drop_table('livelihood_vote_plan')
