"""livelihood vote: its rounds on the ballot engine, the published result, the chosen projects

Revision ID: b14d00000001
Revises: b14c00000001
Create Date: 2026-12-05 00:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b14d00000001'
down_revision = 'b14c00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('livelihood_vote_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rule_text', sa.Text(), nullable=False),
    sa.Column('roster', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('issued', sa.Integer(), nullable=False),
    sa.Column('returned', sa.Integer(), nullable=False),
    sa.Column('valid', sa.Integer(), nullable=False),
    sa.Column('invalid', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('candidates', sa.Integer(), nullable=False),
    sa.Column('chosen', sa.Integer(), nullable=False),
    sa.Column('vacancies', sa.Integer(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_vote_result_plan_id_livelihood_vote_plan')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_livelihood_vote_result_published_by_id_user')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_livelihood_vote_result_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_vote_result')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_livelihood_vote_result_plan_id'))
    )
    with op.batch_alter_table('livelihood_vote_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_vote_result_township_id'), ['township_id'], unique=False)

    op.create_table('livelihood_vote_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('pass_base', sa.Enum('roster', 'present', 'valid', name='pass_base', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('runoffs', sa.Integer(), nullable=False),
    sa.CheckConstraint('places >= 1', name=op.f('ck_livelihood_vote_round_places_positive')),
    sa.CheckConstraint('runoffs >= 0', name=op.f('ck_livelihood_vote_round_runoffs_not_negative')),
    sa.ForeignKeyConstraint(['id'], ['ballot_meeting.id'], name=op.f('fk_livelihood_vote_round_id_ballot_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['livelihood_vote_plan.id'], name=op.f('fk_livelihood_vote_round_plan_id_livelihood_vote_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_vote_round')),
    sa.UniqueConstraint('plan_id', 'number', name=op.f('uq_livelihood_vote_round_plan_id'))
    )
    with op.batch_alter_table('livelihood_vote_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_vote_round_plan_id'), ['plan_id'], unique=False)

    op.create_table('livelihood_candidate_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['livelihood_candidate.id'], name=op.f('fk_livelihood_candidate_line_candidate_id_livelihood_candidate')),
    sa.ForeignKeyConstraint(['id'], ['ballot_line.id'], name=op.f('fk_livelihood_candidate_line_id_ballot_line'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_livelihood_candidate_line'))
    )
    with op.batch_alter_table('livelihood_candidate_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_candidate_line_candidate_id'), ['candidate_id'], unique=False)

    op.create_table('livelihood_chosen_project',
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['livelihood_candidate.id'], name=op.f('fk_livelihood_chosen_project_candidate_id_livelihood_candidate')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_livelihood_chosen_project_item_id_item')),
    sa.ForeignKeyConstraint(['result_id'], ['livelihood_vote_result.id'], name=op.f('fk_livelihood_chosen_project_result_id_livelihood_vote_result')),
    sa.PrimaryKeyConstraint('candidate_id', name=op.f('pk_livelihood_chosen_project')),
    sa.UniqueConstraint('item_id', name=op.f('uq_livelihood_chosen_project_item_id'))
    )
    with op.batch_alter_table('livelihood_chosen_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_livelihood_chosen_project_result_id'), ['result_id'], unique=False)

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chosen_by_vote', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute('PRAGMA foreign_keys=OFF')
    # The vote's rounds are rows of the engine's tables too: they go with the vote.
    meetings = "(SELECT id FROM ballot_meeting WHERE kind = 'livelihood')"
    ballots = f"(SELECT id FROM ballot WHERE meeting_id IN {meetings})"
    for table, where in (
        ('ballot_mark', f'ballot_id IN {ballots}'),
        ('ballot_correction', f'ballot_id IN {ballots}'),
        ('ballot', f'meeting_id IN {meetings}'),
        ('ballot_sealed_mark', f'ballot_token IN (SELECT token FROM ballot_sealed WHERE meeting_id IN {meetings})'),
        ('ballot_sealed', f'meeting_id IN {meetings}'),
        ('ballot_paper_entry', f'meeting_id IN {meetings}'),
        ('ballot_adjustment', f'meeting_id IN {meetings}'),
        ('ballot_phone_code', f'meeting_id IN {meetings}'),
        ('ballot_paper_serial', f'meeting_id IN {meetings}'),
        ('ballot_attendance', f'meeting_id IN {meetings}'),
        ('ballot_line', f'meeting_id IN {meetings}'),
        ('ballot_meeting', "kind = 'livelihood'"),
    ):
        op.execute(f'DELETE FROM {table} WHERE {where}')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('chosen_by_vote')

    with op.batch_alter_table('livelihood_chosen_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_chosen_project_result_id'))

    op.drop_table('livelihood_chosen_project')
    with op.batch_alter_table('livelihood_candidate_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_candidate_line_candidate_id'))

    op.drop_table('livelihood_candidate_line')
    with op.batch_alter_table('livelihood_vote_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_vote_round_plan_id'))

    op.drop_table('livelihood_vote_round')
    with op.batch_alter_table('livelihood_vote_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_livelihood_vote_result_township_id'))

    op.drop_table('livelihood_vote_result')
    if sqlite:
        op.execute('PRAGMA foreign_keys=ON')
