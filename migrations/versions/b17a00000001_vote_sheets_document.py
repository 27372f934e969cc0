"""livelihood vote: a round's stored ballot papers

Revision ID: b17a00000001
Revises: b10a00000001
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b17a00000001'
down_revision = 'b10a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livelihood_vote_sheets_document',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('pdf_key', sa.String(length=200), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['livelihood_vote_round.id'], name=op.f('fk_livelihood_vote_sheets_document_meeting_id_livelihood_vote_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_livelihood_vote_sheets_document'))
    )


def downgrade():
    op.drop_table('livelihood_vote_sheets_document')
