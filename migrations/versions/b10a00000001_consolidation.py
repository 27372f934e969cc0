"""livelihood vote: the stored result report

Revision ID: b10a00000001
Revises: b16b00000001
Create Date: 2026-12-05 00:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b10a00000001'
down_revision = 'b16b00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livelihood_vote_report_document',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('pdf_key', sa.String(length=200), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_vote_report_document_plan_id_livelihood_vote_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', name=op.f('pk_livelihood_vote_report_document'))
    )


def downgrade():
    op.drop_table('livelihood_vote_report_document')
