"""indexes and precomputed counts

Revision ID: b12f00000001
Revises: b12q00000001
Create Date: 2026-12-04 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12f00000001'
down_revision = 'b12q00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_township_id_state', ['township_id', 'state'], unique=False)
    with op.batch_alter_table('item_event', schema=None) as batch_op:
        batch_op.create_index('ix_item_event_item_id_to_state', ['item_id', 'to_state'], unique=False)
        batch_op.create_index('ix_item_event_at', ['at'], unique=False)
        batch_op.drop_index('ix_item_event_item_id')
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.create_index('ix_monthly_report_township_id_month', ['township_id', 'month'], unique=False)
    op.create_table('progress_summary',
    sa.Column('township_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('owed', sa.Integer(), nullable=False),
    sa.Column('reported', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_progress_summary_township_id_township')),
    sa.PrimaryKeyConstraint('township_id', name=op.f('pk_progress_summary'))
    )


def downgrade():
    op.drop_table('progress_summary')
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.drop_index('ix_monthly_report_township_id_month')
    with op.batch_alter_table('item_event', schema=None) as batch_op:
        batch_op.create_index('ix_item_event_item_id', ['item_id'], unique=False)
        batch_op.drop_index('ix_item_event_at')
        batch_op.drop_index('ix_item_event_item_id_to_state')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_township_id_state')
