"""Drill programme: the planned date of each scenario's next exercise.

Revision ID: 0019
Revises: 0018

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drill_plan',
    sa.Column('scenario', sa.String(length=100), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_drill_plan_changed_by_id_user_account')),
    sa.PrimaryKeyConstraint('scenario', name=op.f('pk_drill_plan'))
    )


def downgrade():
    op.drop_table('drill_plan')
