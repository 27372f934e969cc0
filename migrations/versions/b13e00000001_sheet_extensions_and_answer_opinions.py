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


def upgrade():
    pass


def downgrade():
    pass
