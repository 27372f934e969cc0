"""document jobs

Revision ID: b12q00000001
Revises: b12s00000001
Create Date: 2026-12-04 19:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b12q00000001'
down_revision = 'b12s00000001'
branch_labels = None
depends_on = None


def upgrade():
    # One row per document a worker makes; the unique key keeps two requests from rendering it twice.
    op.create_table(
        'document_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('done_hash', sa.String(length=64), nullable=True),
        sa.Column('base_url', sa.String(length=255), nullable=False),
        sa.Column('params', sa.Text(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_document_job_state')
        ),
        sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_document_job_progress')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_job')),
        sa.UniqueConstraint('key', name=op.f('uq_document_job_key')),
    )


def downgrade():
    op.drop_table('document_job')
