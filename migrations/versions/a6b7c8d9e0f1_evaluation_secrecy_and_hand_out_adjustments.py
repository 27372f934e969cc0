"""evaluation: no time on ballots or codes (a code's state instead of used_at), spoiled sheets,
hand-out adjustments (who and why), leaders snapshotted on rated lines

Revision ID: a6b7c8d9e0f1
Revises: f5a6b7c8d9e0
Create Date: 2026-12-03 08:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6b7c8d9e0f1'
down_revision = 'f5a6b7c8d9e0'
branch_labels = None
depends_on = None

OLD_SERIAL_STATES = ('printed', 'issued', 'returned', 'not_returned')
NEW_SERIAL_STATES = OLD_SERIAL_STATES + ('spoiled',)


def _serial_state(values):
    return sa.Enum(*values, name='serial_state', native_enum=False, create_constraint=True, length=12)


def upgrade():
    op.create_table('evaluation_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('unissue', 'exchange', 'undo_hand_out', 'void_code', name='adjustment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.Enum('paper', 'phone', name='adjustment_ballot_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_evaluation_adjustment_has_reason')),
    sa.CheckConstraint("(action = 'undo_hand_out') = (deputy_id IS NOT NULL)", name=op.f('ck_evaluation_adjustment_deputy_only_on_undo')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_evaluation_adjustment_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_evaluation_adjustment_made_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_adjustment_meeting_id_evaluation_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_adjustment'))
    )
    with op.batch_alter_table('evaluation_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_adjustment_meeting_id'), ['meeting_id'], unique=False)

    # A code says whether it was used, never when (a time of use would date the ballot it cast).
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Enum('unused', 'used', 'void', name='code_state', native_enum=False, create_constraint=True), nullable=False, server_default='unused'))
    op.execute("UPDATE evaluation_phone_code SET state = 'used' WHERE used_at IS NOT NULL")
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.alter_column('state', server_default=None)
        batch_op.drop_column('used_at')

    # A ballot keeps no time at all.
    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.drop_column('created_at')

    # A sheet spoiled and exchanged for a fresh one.
    with op.batch_alter_table('evaluation_paper_serial', schema=None) as batch_op:
        batch_op.alter_column('state', existing_type=_serial_state(OLD_SERIAL_STATES), type_=_serial_state(NEW_SERIAL_STATES), existing_nullable=False)

    # The office's responsible leader at the time of the meeting, for the year's assessment.
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leader_title', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('leader_name', sa.String(length=40), nullable=False, server_default=''))
    op.execute(
        "UPDATE evaluation_rated_line SET "
        "leader_title = COALESCE((SELECT office.leader_title FROM office WHERE office.id = evaluation_rated_line.office_id), ''), "
        "leader_name = COALESCE((SELECT office.leader_name FROM office WHERE office.id = evaluation_rated_line.office_id), '') "
        "WHERE office_id IS NOT NULL"
    )
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.alter_column('leader_title', server_default=None)
        batch_op.alter_column('leader_name', server_default=None)


def downgrade():
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.drop_column('leader_name')
        batch_op.drop_column('leader_title')

    op.execute("UPDATE evaluation_paper_serial SET state = 'issued' WHERE state = 'spoiled'")
    with op.batch_alter_table('evaluation_paper_serial', schema=None) as batch_op:
        batch_op.alter_column('state', existing_type=_serial_state(NEW_SERIAL_STATES), type_=_serial_state(OLD_SERIAL_STATES), existing_nullable=False)

    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()))
    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.alter_column('created_at', server_default=None)

    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.add_column(sa.Column('used_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE evaluation_phone_code SET used_at = CURRENT_TIMESTAMP WHERE state = 'used'")
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_evaluation_phone_code_code_state'), type_='check')
        batch_op.drop_column('state')

    with op.batch_alter_table('evaluation_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_adjustment_meeting_id'))
    op.drop_table('evaluation_adjustment')
