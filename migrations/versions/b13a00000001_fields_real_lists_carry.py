"""fields real lists carry

Revision ID: b13a00000001
Revises: b12o00000001
Create Date: 2026-12-04 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b13a00000001'
down_revision = 'b12o00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('item_joint_lead_office',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_item_joint_lead_office_item_id_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_item_joint_lead_office_office_id_office')),
    sa.PrimaryKeyConstraint('item_id', 'office_id', name=op.f('pk_item_joint_lead_office'))
    )
    with op.batch_alter_table('item_joint_lead_office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_joint_lead_office_office_id'), ['office_id'], unique=False)

    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_text', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('planned_funds_approx', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('planned_funds_this_year', sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column('funds_source', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('category', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('level', sa.Enum('township', 'county', 'city', name='item_level', native_enum=False, create_constraint=True), nullable=True))

    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_person', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), server_default='', nullable=False))

    with op.batch_alter_table('supervision_list', schema=None) as batch_op:
        batch_op.add_column(sa.Column('categories', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('default_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('title_is_target', sa.Boolean(), server_default=sa.true(), nullable=False))

    with op.batch_alter_table('township', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_objection_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('contact_person', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('contact_address', sa.String(length=200), server_default='', nullable=False))



def downgrade():
    # Columns are dropped in place (SQLite 3.35+): recreating these tables would trip the foreign keys
    # of the rows that reference them. The item's level has a CHECK constraint, so SQLite must copy the
    # table: with its foreign keys off for that copy.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('township', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('contact_address')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_person')
        batch_op.drop_column('notice_objection_days')

    with op.batch_alter_table('supervision_list', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('title_is_target')
        batch_op.drop_column('default_deadline')
        batch_op.drop_column('categories')

    with op.batch_alter_table('office', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_person')

    if sqlite:
        op.execute('PRAGMA foreign_keys=OFF')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_item_item_level'), type_='check')
        batch_op.drop_column('level')
        batch_op.drop_column('category')
        batch_op.drop_column('funds_source')
        batch_op.drop_column('planned_funds_this_year')
        batch_op.drop_column('planned_funds_approx')
        batch_op.drop_column('deadline_text')
    if sqlite:
        op.execute('PRAGMA foreign_keys=ON')

    with op.batch_alter_table('item_joint_lead_office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_joint_lead_office_office_id'))

    op.drop_table('item_joint_lead_office')
