"""sheet notifications and verification opinion

Revision ID: b11e00000001
Revises: b11d00000001
Create Date: 2026-12-04 19:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b11e00000001'
down_revision = 'b11d00000001'
branch_labels = None
depends_on = None


# What verified sheets printed before the presidium wrote its own verification opinion (核实意见).
OLD_SENTENCE = "经核实，已按要求办结。"


def upgrade():
    # The presidium's verification opinion (核实意见), printed on the sheet instead of a fixed sentence.
    with op.batch_alter_table('follow_up_sheet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_opinion', sa.Text(), nullable=False, server_default=''))
    # Sheets verified before keep printing what they printed.
    op.execute(
        sa.text("UPDATE follow_up_sheet SET verification_opinion = :sentence WHERE state = 'verified'")
        .bindparams(sentence=OLD_SENTENCE)
    )
    with op.batch_alter_table('follow_up_sheet', schema=None) as batch_op:
        batch_op.alter_column('verification_opinion', server_default=None)
        batch_op.create_check_constraint(
            'verified_has_opinion', "state <> 'verified' OR verification_opinion <> ''"
        )


def downgrade():
    with op.batch_alter_table('follow_up_sheet', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_follow_up_sheet_verified_has_opinion'), type_='check')
        batch_op.drop_column('verification_opinion')
