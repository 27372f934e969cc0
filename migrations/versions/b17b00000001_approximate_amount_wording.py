"""lists: an approximate planned amount keeps its wording (约 "about" or 余 "more than")

Revision ID: b17b00000001
Revises: b17a00000001
Create Date: 2026-12-05 10:20:00.000000

Existing approximate amounts keep the meaning they were shown with (余): the new column is false.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17b00000001'
down_revision = 'b17a00000001'
branch_labels = None
depends_on = None


# ALTER TABLE … ADD/DROP COLUMN both ways: copying the tables, as SQLite's batch mode would for a
# default written as an expression, trips their foreign keys once they hold rows, and these columns
# have no constraint that would need the copy.


def upgrade():
    with op.batch_alter_table('item', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('planned_funds_about', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('public_notice_line', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('planned_funds_about', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('public_notice_line', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('planned_funds_about')
    with op.batch_alter_table('item', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('planned_funds_about')
