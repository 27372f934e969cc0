"""sealed pool of phone ballots

Revision ID: b11b00000001
Revises: b11a00000001
Create Date: 2026-12-04 19:10:00.000000

Phone ballots wait in a pool (random keys, no time, no code; WITHOUT ROWID on SQLite) while voting
is open and are written to evaluation_ballot in a random order when voting closes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11b00000001'
down_revision = 'b11a00000001'
branch_labels = None
depends_on = None


def upgrade():
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
    sa.Column('mark', sa.Enum('satisfied', 'basic', 'dissatisfied', 'invalid', name='sealed_mark', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['ballot_token'], ['evaluation_sealed_ballot.token'], name=op.f('fk_evaluation_sealed_mark_ballot_token_evaluation_sealed_ballot'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['line_id'], ['evaluation_rated_line.id'], name=op.f('fk_evaluation_sealed_mark_line_id_evaluation_rated_line')),
    sa.PrimaryKeyConstraint('ballot_token', 'line_id', name=op.f('pk_evaluation_sealed_mark')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('evaluation_sealed_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_sealed_mark_line_id'), ['line_id'], unique=False)


def downgrade():
    # Pooled ballots belong to a meeting still voting: dropping the pool would lose them.
    waiting = op.get_bind().execute(sa.text('SELECT COUNT(*) FROM evaluation_sealed_ballot')).scalar()
    if waiting:
        raise RuntimeError(
            f'{waiting} phone ballots wait in the sealed pool: close voting before downgrading'
        )
    with op.batch_alter_table('evaluation_sealed_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_sealed_mark_line_id'))

    op.drop_table('evaluation_sealed_mark')
    with op.batch_alter_table('evaluation_sealed_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_sealed_ballot_meeting_id'))

    op.drop_table('evaluation_sealed_ballot')
