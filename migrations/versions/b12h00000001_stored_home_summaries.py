"""stored home summaries

Revision ID: b12h00000001
Revises: b13a00000001
Create Date: 2026-12-04 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12h00000001'
down_revision = 'b13a00000001'
branch_labels = None
depends_on = None


# progress_summary holds only counts computed again on demand: it is made anew, not converted.


def upgrade():
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_township_id_code', ['township_id', 'code'], unique=False)
    op.drop_table('progress_summary')
    op.create_table('progress_summary',
    sa.Column('township_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('stamp', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_progress_summary_township_id_township')),
    sa.PrimaryKeyConstraint('township_id', 'role', 'owner_id', name=op.f('pk_progress_summary'))
    )


def downgrade():
    op.drop_table('progress_summary')
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
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_township_id_code')
