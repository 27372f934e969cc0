"""monthly progress (逐月查账): reports, supervisors' feedback, notifications, the township's due day

Revision ID: c2b3d4e5f6a7
Revises: b1a2c3d4e5f6
Create Date: 2026-11-25 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2b3d4e5f6a7'
down_revision = 'b1a2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_due_day', sa.Integer(), server_default='25', nullable=False))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=120), server_default='', nullable=False))

    op.create_table('monthly_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('done', sa.Text(), nullable=False),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('funds_spent', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('correction_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_monthly_report_percent_in_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_monthly_report_version_positive')),
    sa.CheckConstraint('funds_spent IS NULL OR funds_spent >= 0', name=op.f('ck_monthly_report_funds_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_monthly_report_item_id_item')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_monthly_report_submitted_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_monthly_report_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_report')),
    sa.UniqueConstraint('item_id', 'month', 'version', name='uq_monthly_report_version')
    )
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_report_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_report_month'), ['month'], unique=False)
        batch_op.create_index(batch_op.f('ix_monthly_report_township_id'), ['township_id'], unique=False)

    op.create_table('report_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.Enum('confirm', 'dispute', name='feedback_verdict', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("verdict <> 'dispute' OR comment <> ''", name=op.f('ck_report_feedback_dispute_has_comment')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_report_feedback_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['report_id'], ['monthly_report.id'], name=op.f('fk_report_feedback_report_id_monthly_report')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_report_feedback_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_feedback'))
    )
    with op.batch_alter_table('report_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_feedback_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_feedback_report_id'), ['report_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_notification_item_id_item')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_notification_township_id_township')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('user_id', 'kind', 'item_id', 'month', 'created_on', name='uq_notification_once_a_day')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_township_id'), ['township_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_user_id'))
        batch_op.drop_index(batch_op.f('ix_notification_township_id'))
        batch_op.drop_index(batch_op.f('ix_notification_item_id'))
    op.drop_table('notification')
    with op.batch_alter_table('report_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_feedback_report_id'))
        batch_op.drop_index(batch_op.f('ix_report_feedback_deputy_id'))
    op.drop_table('report_feedback')
    with op.batch_alter_table('monthly_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_report_township_id'))
        batch_op.drop_index(batch_op.f('ix_monthly_report_month'))
        batch_op.drop_index(batch_op.f('ix_monthly_report_item_id'))
    op.drop_table('monthly_report')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('email')
    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.drop_column('report_due_day')
