"""evaluation results rules and early start

Revision ID: b11a00000001
Revises: a6b7c8d9e0f1
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11a00000001'
down_revision = 'a6b7c8d9e0f1'
branch_labels = None
depends_on = None


def upgrade():
    # The day of an item's current rating: an older meeting's result never replaces a newer one.
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('result_on', sa.Date(), nullable=True))

    # Each threshold of the grade rule: "at least" (False) or "more than" (True) its share.
    # Voting opened before the meeting's date: the reason given for starting early.
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('satisfied_strict', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('basic_strict', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('early_start_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.alter_column('satisfied_strict', server_default=None)
        batch_op.alter_column('basic_strict', server_default=None)

    # Two published results of one township never carry the same title: a title already taken
    # (two meetings of one year) gets its meeting's date before the constraint is made.
    op.execute(
        "UPDATE evaluation_published_result SET title = title || '（' || CAST(held_on AS VARCHAR(10)) || '）' "
        "WHERE EXISTS (SELECT 1 FROM evaluation_published_result AS earlier "
        "WHERE earlier.township_id = evaluation_published_result.township_id "
        "AND earlier.title = evaluation_published_result.title AND earlier.id < evaluation_published_result.id)"
    )
    with op.batch_alter_table('evaluation_published_result', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_evaluation_published_result_township_id'), ['township_id', 'title'])


def downgrade():
    with op.batch_alter_table('evaluation_published_result', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_evaluation_published_result_township_id'), type_='unique')

    with op.batch_alter_table('evaluation_meeting', schema=None) as batch_op:
        batch_op.drop_column('early_start_reason')
        batch_op.drop_column('basic_strict')
        batch_op.drop_column('satisfied_strict')

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_column('result_on')
