"""one ballot engine: the evaluation meeting's ballot tables become the engine's

The roster, paper serials, phone codes, ballots, marks, entries, corrections, hand-out adjustments
and the sealed pool move from evaluation_* tables to ballot_* tables keyed by a ballot_meeting;
evaluation_meeting and evaluation_rated_line keep only what is the evaluation's own and share
their ids with their ballot_meeting / ballot_line rows (joined-table inheritance). Every row is
copied with its id, so the ballots, their order and the printed serials are unchanged.

Revision ID: b14b00000001
Revises: b14a00000001
Create Date: 2026-12-04 22:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b14b00000001'
down_revision = 'b14a00000001'
branch_labels = None
depends_on = None

# (the evaluation's table, the engine's table), parents before children.
MOVED = [
    ('evaluation_attendance', 'ballot_attendance'),
    ('evaluation_paper_serial', 'ballot_paper_serial'),
    ('evaluation_phone_code', 'ballot_phone_code'),
    ('evaluation_ballot', 'ballot'),
    ('evaluation_ballot_correction', 'ballot_correction'),
    ('evaluation_ballot_mark', 'ballot_mark'),
    ('evaluation_paper_entry', 'ballot_paper_entry'),
    ('evaluation_adjustment', 'ballot_adjustment'),
    ('evaluation_sealed_ballot', 'ballot_sealed'),
    ('evaluation_sealed_mark', 'ballot_sealed_mark'),
]
MEETING_COLUMNS = [
    'township_id', 'year', 'held_on', 'place', 'state', 'quorum_numerator', 'quorum_denominator',
    'quorum_strict', 'results_hidden_until_closed', 'created_at', 'created_by_id', 'voting_opened_at',
    'early_start_reason', 'closed_at', 'closed_by_id', 'version',
]
LINE_COLUMNS = ['meeting_id', 'position', 'title', 'subtitle', 'category']
EVALUATION_MEETINGS = "(SELECT id FROM ballot_meeting WHERE kind = 'evaluation')"
# Which of the engine's rows are the evaluation's, for the way back.
BELONGS = {
    'ballot_correction': f"ballot_id IN (SELECT id FROM ballot WHERE meeting_id IN {EVALUATION_MEETINGS})",
    'ballot_mark': f"ballot_id IN (SELECT id FROM ballot WHERE meeting_id IN {EVALUATION_MEETINGS})",
    'ballot_sealed_mark': (
        f"ballot_token IN (SELECT token FROM ballot_sealed WHERE meeting_id IN {EVALUATION_MEETINGS})"
    ),
}
SERIAL_TABLES = [
    'ballot_meeting', 'ballot_line', 'ballot_attendance', 'ballot_paper_serial', 'ballot_phone_code',
    'ballot', 'ballot_correction', 'ballot_mark', 'ballot_paper_entry', 'ballot_adjustment',
]


def _is_sqlite():
    return op.get_bind().dialect.name == 'sqlite'


def _columns(table):
    return ', '.join(column['name'] for column in sa.inspect(op.get_bind()).get_columns(table))


def _copy(source, target, where=''):
    columns = _columns(source)
    op.execute(f'INSERT INTO {target} ({columns}) SELECT {columns} FROM {source} {where}')


def _reset_sequences(tables):
    """PostgreSQL: rows were copied with their ids; the next id follows the largest."""
    for table in tables:
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def _fill(table, source, columns):
    """Copy ``columns`` back from the row of ``source`` with the same id."""
    sets = ', '.join(f'{c} = (SELECT {c} FROM {source} WHERE {source}.id = {table}.id)' for c in columns)
    op.execute(f'UPDATE {table} SET {sets}')


def upgrade():
    # SQLite: off before anything else (inside a transaction the pragma is ignored), so that
    # recreating evaluation_meeting does not trip the foreign keys of the tables that refer to it.
    if _is_sqlite():
        op.execute('PRAGMA foreign_keys=OFF')
    _create_engine_tables()
    meeting, line = ', '.join(MEETING_COLUMNS), ', '.join(LINE_COLUMNS)
    op.execute(
        f"INSERT INTO ballot_meeting (id, kind, {meeting}) SELECT id, 'evaluation', {meeting} FROM evaluation_meeting"
    )
    op.execute(f"INSERT INTO ballot_line (id, kind, {line}) SELECT id, 'evaluation', {line} FROM evaluation_rated_line")
    for old, new in MOVED:
        _copy(old, new)
    for old, _new in reversed(MOVED):
        op.drop_table(old)
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_meeting_township_id'))
        batch_op.drop_constraint(batch_op.f('ck_evaluation_meeting_meeting_state'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_evaluation_meeting_quorum_fraction'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_evaluation_meeting_closed_has_time'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_meeting_township_id_township'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_meeting_created_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_meeting_closed_by_id_user'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_meeting_id_ballot_meeting'), 'ballot_meeting', ['id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('quorum_denominator')
        batch_op.drop_column('quorum_numerator')
        batch_op.drop_column('state')
        batch_op.drop_column('year')
        batch_op.drop_column('quorum_strict')
        batch_op.drop_column('version')
        batch_op.drop_column('created_at')
        batch_op.drop_column('closed_by_id')
        batch_op.drop_column('voting_opened_at')
        batch_op.drop_column('held_on')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('township_id')
        batch_op.drop_column('place')
        batch_op.drop_column('early_start_reason')
        batch_op.drop_column('results_hidden_until_closed')
        batch_op.drop_column('closed_at')

    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_rated_line_meeting_id'))
        batch_op.drop_constraint(batch_op.f('uq_evaluation_rated_line_meeting_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_evaluation_rated_line_meeting_id_evaluation_meeting'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_rated_line_id_ballot_line'), 'ballot_line', ['id'], ['id'], ondelete='CASCADE')
        batch_op.drop_column('category')
        batch_op.drop_column('subtitle')
        batch_op.drop_column('title')
        batch_op.drop_column('position')
        batch_op.drop_column('meeting_id')
    if _is_sqlite():
        op.execute('PRAGMA foreign_keys=ON')
    else:
        _reset_sequences(SERIAL_TABLES)


def downgrade():
    sqlite = _is_sqlite()
    if sqlite:
        op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('township_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('held_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('place', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('state', sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column('quorum_numerator', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quorum_denominator', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quorum_strict', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('results_hidden_until_closed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voting_opened_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('early_start_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
    _fill('evaluation_meeting', 'ballot_meeting', MEETING_COLUMNS)
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        for column in ('township_id', 'year', 'held_on', 'place', 'state', 'quorum_numerator',
                       'quorum_denominator', 'quorum_strict', 'results_hidden_until_closed',
                       'created_at', 'version'):
            batch_op.alter_column(column, nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_evaluation_meeting_id_ballot_meeting'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_meeting_closed_by_id_user'), 'user', ['closed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_meeting_created_by_id_user'), 'user', ['created_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_meeting_township_id_township'), 'township', ['township_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_evaluation_meeting_township_id'), ['township_id'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_evaluation_meeting_meeting_state'), "state IN ('preparing', 'roll_call', 'voting', 'closed')"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_evaluation_meeting_quorum_fraction'),
            'quorum_denominator > 0 AND quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator',
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_evaluation_meeting_closed_has_time'), "state <> 'closed' OR closed_at IS NOT NULL"
        )

    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('subtitle', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=40), server_default='', nullable=False))
    _fill('evaluation_rated_line', 'ballot_line', LINE_COLUMNS)
    with op.batch_alter_table('evaluation_rated_line', schema=None) as batch_op:
        for column in ('meeting_id', 'position', 'title', 'subtitle'):
            batch_op.alter_column(column, nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_evaluation_rated_line_id_ballot_line'), type_='foreignkey')
        batch_op.create_foreign_key(batch_op.f('fk_evaluation_rated_line_meeting_id_evaluation_meeting'), 'evaluation_meeting', ['meeting_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_evaluation_rated_line_meeting_id'), ['meeting_id', 'position'])
        batch_op.create_index(batch_op.f('ix_evaluation_rated_line_meeting_id'), ['meeting_id'], unique=False)

    _create_evaluation_tables()
    for old, new in MOVED:
        where = BELONGS.get(new, f'meeting_id IN {EVALUATION_MEETINGS}')
        _copy(new, old, f'WHERE {where}')
    for _old, new in reversed(MOVED):
        op.drop_table(new)
    op.drop_table('ballot_line')
    op.drop_table('ballot_meeting')
    if sqlite:
        op.execute('PRAGMA foreign_keys=ON')
    else:
        _reset_sequences(['evaluation_meeting', 'evaluation_rated_line'] + [old for old, _new in MOVED if old not in ('evaluation_sealed_ballot', 'evaluation_sealed_mark')])


def _create_engine_tables():
    op.create_table('ballot_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('preparing', 'roll_call', 'voting', 'closed', name='meeting_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('quorum_numerator', sa.Integer(), nullable=False),
    sa.Column('quorum_denominator', sa.Integer(), nullable=False),
    sa.Column('quorum_strict', sa.Boolean(), nullable=False),
    sa.Column('results_hidden_until_closed', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('voting_opened_at', sa.DateTime(), nullable=True),
    sa.Column('early_start_reason', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state <> 'closed' OR closed_at IS NOT NULL", name=op.f('ck_ballot_meeting_closed_has_time')),
    sa.CheckConstraint('quorum_denominator > 0 AND quorum_numerator >= 0 AND quorum_numerator <= quorum_denominator', name=op.f('ck_ballot_meeting_quorum_fraction')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_ballot_meeting_closed_by_id_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_ballot_meeting_created_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_ballot_meeting_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_meeting'))
    )
    with op.batch_alter_table('ballot_meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_meeting_township_id'), ['township_id'], unique=False)

    op.create_table('ballot_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('subtitle', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=40), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_line_meeting_id_ballot_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_line')),
    sa.UniqueConstraint('meeting_id', 'position', name=op.f('uq_ballot_line_meeting_id'))
    )
    with op.batch_alter_table('ballot_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_line_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.Enum('paper', 'phone', name='ballot_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.CheckConstraint('ballot_kind IS NULL OR (present IS NOT NULL AND present)', name=op.f('ck_ballot_attendance_ballot_only_when_present')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_ballot_attendance_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_ballot_attendance_marked_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_attendance_meeting_id_ballot_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_attendance')),
    sa.UniqueConstraint('meeting_id', 'deputy_id', name=op.f('uq_ballot_attendance_meeting_id'))
    )
    with op.batch_alter_table('ballot_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_attendance_deputy_id'), ['deputy_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_paper_serial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('printed', 'issued', 'returned', 'not_returned', 'spoiled', name='serial_state', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_paper_serial_meeting_id_ballot_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_paper_serial')),
    sa.UniqueConstraint('meeting_id', 'serial', name=op.f('uq_ballot_paper_serial_meeting_id'))
    )
    with op.batch_alter_table('ballot_paper_serial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_paper_serial_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_phone_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.Enum('unused', 'used', 'void', name='code_state', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_phone_code_meeting_id_ballot_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_phone_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_ballot_phone_code_code_hash'))
    )
    with op.batch_alter_table('ballot_phone_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_phone_code_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('paper', 'phone', name='ballot_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(source = 'paper') = (serial IS NOT NULL)", name=op.f('ck_ballot_paper_has_serial')),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_meeting_id_ballot_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sa.UniqueConstraint('meeting_id', 'serial', name=op.f('uq_ballot_meeting_id'))
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_ballot_correction_has_reason')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_correction_ballot_id_ballot')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_ballot_correction_made_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_correction'))
    )
    with op.batch_alter_table('ballot_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_correction_ballot_id'), ['ballot_id'], unique=False)

    op.create_table('ballot_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=20), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_mark_ballot_id_ballot')),
    sa.ForeignKeyConstraint(['correction_id'], ['ballot_correction.id'], name=op.f('fk_ballot_mark_correction_id_ballot_correction')),
    sa.ForeignKeyConstraint(['line_id'], ['ballot_line.id'], name=op.f('fk_ballot_mark_line_id_ballot_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_mark'))
    )
    with op.batch_alter_table('ballot_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_mark_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_mark_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_mark_line_id'), ['line_id'], unique=False)

    op.create_table('ballot_paper_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('is_first', sa.Boolean(), nullable=False),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.Column('marks', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_ballot_paper_entry_entered_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_paper_entry_meeting_id_ballot_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_paper_entry')),
    sa.UniqueConstraint('meeting_id', 'serial', 'entered_by_id', name=op.f('uq_ballot_paper_entry_meeting_id'))
    )
    with op.batch_alter_table('ballot_paper_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_paper_entry_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Enum('unissue', 'exchange', 'undo_hand_out', 'void_code', name='adjustment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.Enum('paper', 'phone', name='adjustment_ballot_kind', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(action = 'undo_hand_out') = (deputy_id IS NOT NULL)", name=op.f('ck_ballot_adjustment_deputy_only_on_undo')),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_ballot_adjustment_has_reason')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_ballot_adjustment_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_ballot_adjustment_made_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_adjustment_meeting_id_ballot_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_adjustment'))
    )
    with op.batch_alter_table('ballot_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_adjustment_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_sealed',
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['ballot_meeting.id'], name=op.f('fk_ballot_sealed_meeting_id_ballot_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_ballot_sealed')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ballot_sealed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_sealed_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_sealed_mark',
    sa.Column('ballot_token', sa.String(length=32), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['ballot_token'], ['ballot_sealed.token'], name=op.f('fk_ballot_sealed_mark_ballot_token_ballot_sealed'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['ballot_line.id'], name=op.f('fk_ballot_sealed_mark_line_id_ballot_line')),
    sa.PrimaryKeyConstraint('ballot_token', 'line_id', name=op.f('pk_ballot_sealed_mark')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('ballot_sealed_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_sealed_mark_line_id'), ['line_id'], unique=False)




def _create_evaluation_tables():
    op.create_table('evaluation_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=True),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.String(length=5), nullable=True),
    sa.CheckConstraint("ballot_kind IN ('paper', 'phone')", name=op.f('ck_evaluation_attendance_ballot_kind')),
    sa.CheckConstraint('ballot_kind IS NULL OR (present IS NOT NULL AND present)', name=op.f('ck_evaluation_attendance_ballot_only_when_present')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_evaluation_attendance_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_evaluation_attendance_marked_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_attendance_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_attendance')),
    sa.UniqueConstraint('meeting_id', 'deputy_id', name=op.f('uq_evaluation_attendance_meeting_id'))
    )
    with op.batch_alter_table('evaluation_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_attendance_deputy_id'), ['deputy_id'], unique=False)

    op.create_table('evaluation_paper_serial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.CheckConstraint("state IN ('printed', 'issued', 'returned', 'not_returned', 'spoiled')", name=op.f('ck_evaluation_paper_serial_serial_state')),
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
    sa.Column('state', sa.String(length=6), nullable=False),
    sa.CheckConstraint("state IN ('unused', 'used', 'void')", name=op.f('ck_evaluation_phone_code_code_state')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_phone_code_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_phone_code')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_evaluation_phone_code_code_hash'))
    )
    with op.batch_alter_table('evaluation_phone_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_phone_code_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=5), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=True),
    sa.Column('is_void', sa.Boolean(), nullable=False),
    sa.CheckConstraint("(source = 'paper') = (serial IS NOT NULL)", name=op.f('ck_evaluation_ballot_paper_has_serial')),
    sa.CheckConstraint("source IN ('paper', 'phone')", name=op.f('ck_evaluation_ballot_ballot_source')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_ballot_meeting_id_evaluation_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_ballot')),
    sa.UniqueConstraint('meeting_id', 'serial', name=op.f('uq_evaluation_ballot_meeting_id'))
    )
    with op.batch_alter_table('evaluation_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_meeting_id'), ['meeting_id'], unique=False)

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

    op.create_table('evaluation_ballot_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=12), nullable=False),
    sa.Column('correction_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("mark IN ('satisfied', 'basic', 'dissatisfied', 'invalid')", name=op.f('ck_evaluation_ballot_mark_ballot_mark')),
    sa.ForeignKeyConstraint(['ballot_id'], ['evaluation_ballot.id'], name=op.f('fk_evaluation_ballot_mark_ballot_id_evaluation_ballot')),
    sa.ForeignKeyConstraint(['correction_id'], ['evaluation_ballot_correction.id'], name=op.f('fk_evaluation_ballot_mark_correction_id_evaluation_ballot_correction')),
    sa.ForeignKeyConstraint(['line_id'], ['evaluation_rated_line.id'], name=op.f('fk_evaluation_ballot_mark_line_id_evaluation_rated_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_ballot_mark'))
    )
    with op.batch_alter_table('evaluation_ballot_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_correction_id'), ['correction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_ballot_mark_ballot_id'), ['ballot_id'], unique=False)

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

    op.create_table('evaluation_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=13), nullable=False),
    sa.Column('deputy_id', sa.Integer(), nullable=True),
    sa.Column('ballot_kind', sa.String(length=5), nullable=True),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(action = 'undo_hand_out') = (deputy_id IS NOT NULL)", name=op.f('ck_evaluation_adjustment_deputy_only_on_undo')),
    sa.CheckConstraint("action IN ('unissue', 'exchange', 'undo_hand_out', 'void_code')", name=op.f('ck_evaluation_adjustment_adjustment_kind')),
    sa.CheckConstraint("ballot_kind IN ('paper', 'phone')", name=op.f('ck_evaluation_adjustment_adjustment_ballot_kind')),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_evaluation_adjustment_has_reason')),
    sa.ForeignKeyConstraint(['deputy_id'], ['deputy.id'], name=op.f('fk_evaluation_adjustment_deputy_id_deputy')),
    sa.ForeignKeyConstraint(['made_by_id'], ['user.id'], name=op.f('fk_evaluation_adjustment_made_by_id_user')),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_adjustment_meeting_id_evaluation_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_adjustment'))
    )
    with op.batch_alter_table('evaluation_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_adjustment_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_sealed_ballot',
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['evaluation_meeting.id'], name=op.f('fk_evaluation_sealed_ballot_meeting_id_evaluation_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_evaluation_sealed_ballot')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_sealed_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_sealed_ballot_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('evaluation_sealed_mark',
    sa.Column('ballot_token', sa.String(length=32), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('mark', sa.String(length=12), nullable=False),
    sa.CheckConstraint("mark IN ('satisfied', 'basic', 'dissatisfied', 'invalid')", name=op.f('ck_evaluation_sealed_mark_sealed_mark')),
    sa.ForeignKeyConstraint(['ballot_token'], ['evaluation_sealed_ballot.token'], name=op.f('fk_evaluation_sealed_mark_ballot_token_evaluation_sealed_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['evaluation_rated_line.id'], name=op.f('fk_evaluation_sealed_mark_line_id_evaluation_rated_line')),
    sa.PrimaryKeyConstraint('ballot_token', 'line_id', name=op.f('pk_evaluation_sealed_mark')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_sealed_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_sealed_mark_line_id'), ['line_id'], unique=False)


