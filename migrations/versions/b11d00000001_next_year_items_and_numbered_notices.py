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
    # An item spanning years (跨年度) and its end year.
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_year', sa.Integer(), nullable=True))

    # A township's prefix of notice numbers (empty: "<short name>人大公").
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_prefix', sa.String(length=30), server_default='', nullable=False))

    # Notices are numbered like follow-up sheets: a counter per township and year, and a unique
    # (township, year, number). Notices published before keep no number.
    op.create_table('public_notice_counter',
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_public_notice_counter_township_id_township')),
    sa.PrimaryKeyConstraint('township_id', 'year', name=op.f('pk_public_notice_counter'))
    )
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('document_number', sa.String(length=60), server_default='', nullable=False))
        batch_op.create_unique_constraint('uq_public_notice_number', ['township_id', 'year', 'number'])


def downgrade():
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.drop_constraint('uq_public_notice_number', type_='unique')
        batch_op.drop_column('document_number')
        batch_op.drop_column('number')
        batch_op.drop_column('year')
    op.drop_table('public_notice_counter')
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_column('notice_prefix')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('end_year')
