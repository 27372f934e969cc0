"""county statistics

Revision ID: b15a00000001
Revises: b14d00000001
Create Date: 2026-12-05 00:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b15a00000001'
down_revision = 'b14d00000001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
