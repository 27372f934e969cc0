"""stored files leave the database

Revision ID: b12s00000001
Revises: b11h00000001
Create Date: 2026-12-04 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12s00000001'
down_revision = 'b11h00000001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
