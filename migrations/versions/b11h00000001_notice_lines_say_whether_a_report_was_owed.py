"""notice lines say whether a report was owed

Revision ID: b11h00000001
Revises: b11g00000001
Create Date: 2026-12-04 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11h00000001'
down_revision = 'b11g00000001'
branch_labels = None
depends_on = None


def upgrade():
    # Lines published before this knew no better: each line without a report read as owed.
    with op.batch_alter_table('public_notice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owed_report', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('public_notice_line', schema=None) as batch_op:
        batch_op.drop_column('owed_report')
