"""Escalation steps follow rules in turn: a duty's holder, the role's holders, a fallback duty.

Revision ID: 0015
Revises: 0014

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_duty', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('fallback_duty', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('repeat_after', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('stage', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('notified_user', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('next_rule_at', sa.DateTime(timezone=True), nullable=True))
    # a step told before rules existed was told its one rule: the role's holders
    op.execute("UPDATE escalation_step SET stage = 1 WHERE notified_at IS NOT NULL")



def downgrade():
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.drop_column('next_rule_at')
        batch_op.drop_column('notified_user')
        batch_op.drop_column('stage')
        batch_op.drop_column('repeat_after')
        batch_op.drop_column('fallback_duty')
        batch_op.drop_column('target_duty')

