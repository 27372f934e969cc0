"""next year items and numbered notices

Revision ID: b11d00000001
Revises: b11b00000001
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11d00000001'
down_revision = 'b11b00000001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
