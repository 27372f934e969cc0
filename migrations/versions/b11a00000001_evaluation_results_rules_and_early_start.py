"""evaluation results rules and early start

Revision ID: b11a00000001
Revises: a6b7c8d9e0f1
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11a00000001'
down_revision = 'a6b7c8d9e0f1'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
