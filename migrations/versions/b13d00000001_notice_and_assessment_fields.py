"""notice and assessment fields

Revision ID: b13d00000001
Revises: b13c00000001
Create Date: 2026-12-04 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13d00000001'
down_revision = 'b13c00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('public_notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objection_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('contact_person', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_address', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('status_tolerance', sa.Integer(), nullable=True))

    with op.batch_alter_table('public_notice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('joint_lead_names', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('planned_funds_approx', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('funds_invested', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('latest_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('expected_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('progress_status', sa.Enum('ahead', 'on_schedule', 'behind', name='progress_status', native_enum=False, create_constraint=True), nullable=True))

    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comments_layout', sa.Enum('sheet', 'line', 'none', name='comments_layout', native_enum=False, create_constraint=True), server_default='sheet', nullable=False))

    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('category', sa.String(length=40), server_default='', nullable=False))


def downgrade():
    # Tables with CHECK constraints are copied by SQLite: with its foreign keys off for that copy.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('evaluation_rated_line', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('category')

    if sqlite:
        op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evaluation_meeting_comments_layout'), type_='check')
        batch_op.drop_column('comments_layout')

    with op.batch_alter_table('public_notice_line', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_public_notice_line_progress_status'), type_='check')
        batch_op.drop_column('progress_status')
        batch_op.drop_column('expected_percent')
        batch_op.drop_column('latest_percent')
        batch_op.drop_column('funds_invested')
        batch_op.drop_column('planned_funds_approx')
        batch_op.drop_column('joint_lead_names')
        batch_op.drop_column('category')
    if sqlite:
        op.execute('PRAGMA foreign_keys=ON')

    with op.batch_alter_table('public_notice', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('status_tolerance')
        batch_op.drop_column('contact_address')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_person')
        batch_op.drop_column('objection_days')
