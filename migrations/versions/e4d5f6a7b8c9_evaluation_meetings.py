"""evaluation meetings (民主评议): roster and roll call, paper serials, phone codes, ballots, marks

No ballot table (ballot, mark, paper serial, phone code) has a foreign key to deputy or user.

Revision ID: e4d5f6a7b8c9
Revises: d3c4e5f6a7b8
Create Date: 2026-11-25 04:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4d5f6a7b8c9'
down_revision = 'd3c4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evaluation_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('preparing', 'roll_call', 'voting', 'closed', name='meeting_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('satisfied_percent', sa.Integer(), nullable=False),
    sa.Column('basic_percent', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Enum('roster', 'present', 'valid', name='grade_denominator', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('quorum_numerator', sa.Integer(), nullable=False),
    sa.Column('quorum_denominator', sa.Integer(), nullable=False),
    sa.Column('quorum_strict', sa.Boolean(), nullable=False),
    sa.Column('results_hidden_until_closed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('voting_opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_evaluation_meeting_closed_has_time')),
    sa.CheckConstraint('quorum_denominator > 0 AND quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator', name=op.f('ck_evaluation_meeting_quorum_fraction')),
    sa.CheckConstraint('satisfied_percent BETWEEN 1 AND 100 AND basic_percent BETWEEN 1 AND 100', name=op.f('ck_evaluation_meeting_percents')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_evaluation_meeting_closed_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_evaluation_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_evaluation_meeting_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_meeting'))
    )
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_meeting_township_id'), ['township_id'], unique=False)

    op.create_table('evaluation_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.Enum('paper', 'phone', name='ballot_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.CheckConstraint('ballot_kind IS NULL OR (present IS NOT NULL AND present)', name=op.f('ck_evaluation_attendance_ballot_only_when_present')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_evaluation_attendance_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_evaluation_attendance_marked_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_attendance_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_attendance')),
    sa.UniqueConstraint('meeting_id', 'deputy_id', name=op.f('uq_evaluation_attendance_meeting_id'))
    )
    with op.batch_alter_table('evaluation_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_attendance_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('paper', 'phone', name='ballot_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(source = 'paper') = (serial IS NOT NULL)", name=op.f('ck_evaluation_ballot_paper_has_serial')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_ballot_meeting_id_evaluation_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_ballot')),
    sa.UniqueConstraint('meeting_id', 'serial', name=op.f('uq_evaluation_ballot_meeting_id'))
    )
    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_paper_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('is_first', sa.Boolean(), nullable=False),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.Column('marks', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_evaluation_paper_entry_entered_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_paper_entry_meeting_id_evaluation_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_paper_entry')),
    sa.UniqueConstraint('meeting_id', 'serial', 'entered_by_id', name=op.f('uq_evaluation_paper_entry_meeting_id'))
    )
    with op.batch_alter_table('evaluation_paper_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_paper_entry_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_paper_serial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('printed', 'issued', 'returned', 'not_returned', name='serial_state', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_paper_serial_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_paper_serial')),
    sa.UniqueConstraint('meeting_id', 'serial', name=op.f('uq_evaluation_paper_serial_meeting_id'))
    )
    with op.batch_alter_table('evaluation_paper_serial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_paper_serial_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_phone_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_phone_code_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_phone_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_evaluation_phone_code_code_hash'))
    )
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_phone_code_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_ballot_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_evaluation_ballot_correction_has_reason')),
    sa.ForeignKeyConstraint(['ballot_id'], ['evaluation_ballot.id'], name=op.f('fk_evaluation_ballot_correction_ballot_id_evaluation_ballot')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_evaluation_ballot_correction_made_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_ballot_correction'))
    )
    with op.batch_alter_table('evaluation_ballot_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_correction_ballot_id'), ['ballot_id'], unique=False)

    op.create_table('evaluation_rated_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subtitle', sa.String(length=200), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('applied_rating', sa.Enum('satisfied', 'basically_satisfied', 'dissatisfied', name='applied_rating', native_enum=False, create_constraint=True), nullable=True),
    sa.CheckConstraint('(item_id IS NULL) <> (office_id IS NULL)', name=op.f('ck_evaluation_rated_line_item_or_office')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_evaluation_rated_line_item_id_item')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_rated_line_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_evaluation_rated_line_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_rated_line')),
    sa.UniqueConstraint('meeting_id', 'position', name=op.f('uq_evaluation_rated_line_meeting_id'))
    )
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_rated_line_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_rated_line_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_rated_line_office_id'), ['office_id'], unique=False)

    op.create_table('evaluation_ballot_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.Enum('satisfied', 'basic', 'dissatisfied', 'invalid', name='ballot_mark', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ballot_id'], ['evaluation_ballot.id'], name=op.f('fk_evaluation_ballot_mark_ballot_id_evaluation_ballot')),
    sa.ForeignKeyConstraint(['correction_id'], ['evaluation_ballot_correction.id'], name=op.f('fk_evaluation_ballot_mark_correction_id_evaluation_ballot_correction')),
    sa.ForeignKeyConstraint(['line_id'], ['evaluation_rated_line.id'], name=op.f('fk_evaluation_ballot_mark_line_id_evaluation_rated_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_ballot_mark'))
    )
    with op.batch_alter_table('evaluation_ballot_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_line_id'), ['line_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evaluation_ballot_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_ballot_mark_line_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_ballot_mark_correction_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_ballot_mark_ballot_id'))

    op.drop_table('evaluation_ballot_mark')
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_rated_line_office_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_rated_line_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_rated_line_item_id'))

    op.drop_table('evaluation_rated_line')
    with op.batch_alter_table('evaluation_ballot_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_ballot_correction_ballot_id'))

    op.drop_table('evaluation_ballot_correction')
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_phone_code_meeting_id'))

    op.drop_table('evaluation_phone_code')
    with op.batch_alter_table('evaluation_paper_serial', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_paper_serial_meeting_id'))

    op.drop_table('evaluation_paper_serial')
    with op.batch_alter_table('evaluation_paper_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_paper_entry_meeting_id'))

    op.drop_table('evaluation_paper_entry')
    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_ballot_meeting_id'))

    op.drop_table('evaluation_ballot')
    with op.batch_alter_table('evaluation_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_attendance_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_attendance_deputy_id'))

    op.drop_table('evaluation_attendance')
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_meeting_township_id'))

    op.drop_table('evaluation_meeting')
