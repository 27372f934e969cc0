"""sheet extensions and answer opinions

Revision ID: b13e00000001
Revises: b13d00000001
Create Date: 2026-12-04 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13e00000001'
down_revision = 'b13d00000001'
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade():
    op.create_table('follow_up_sheet_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('previous_deadline', sa.Date(), nullable=True),
    sa.Column('asked_deadline', sa.Date(), nullable=False),
    sa.Column('decision', _enum('extension_decision', 'pending', 'granted', 'refused', 'lapsed'), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('new_deadline', sa.Date(), nullable=True),
    sa.CheckConstraint("decision <> 'granted' OR new_deadline IS NOT NULL", name=op.f('ck_follow_up_sheet_extension_granted_has_deadline')),
    sa.CheckConstraint("decision <> 'refused' OR decision_note <> ''", name=op.f('ck_follow_up_sheet_extension_refused_has_reason')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_follow_up_sheet_extension_decided_by_id_user')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_follow_up_sheet_extension_requested_by_id_user')),
    sa.ForeignKeyConstraint(['sheet_id'], ['follow_up_sheet.id'], name=op.f('fk_follow_up_sheet_extension_sheet_id_follow_up_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_sheet_extension'))
    )
    with op.batch_alter_table('follow_up_sheet_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_sheet_extension_sheet_id'), ['sheet_id'], unique=False)
        batch_op.create_index('uq_follow_up_sheet_extension_open', ['sheet_id'], unique=True,
            sqlite_where=sa.text("decision = 'pending'"), postgresql_where=sa.text("decision = 'pending'"))

    op.create_table('answer_opinion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('opinion', _enum('answer_opinion', 'satisfied', 'basically_satisfied', 'dissatisfied'), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('answer_class', _enum('answer_opinion_class', 'A', 'B', 'C', 'D'), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_answer_opinion_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_answer_opinion_item_id_item')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_answer_opinion_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_opinion'))
    )
    with op.batch_alter_table('answer_opinion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_opinion_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reanswer_due', sa.Date(), nullable=True))


def downgrade():
    # Dropped in place (SQLite 3.35+): recreating the item table would trip the foreign keys of the
    # rows that reference it.
    with op.batch_alter_table('item', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('reanswer_due')

    with op.batch_alter_table('answer_opinion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_opinion_item_id'))
    op.drop_table('answer_opinion')

    with op.batch_alter_table('follow_up_sheet_extension', schema=None) as batch_op:
        batch_op.drop_index('uq_follow_up_sheet_extension_open')
        batch_op.drop_index(batch_op.f('ix_follow_up_sheet_extension_sheet_id'))
    op.drop_table('follow_up_sheet_extension')
