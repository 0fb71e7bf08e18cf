"""Free placeholders on statement approvals.

Revision ID: 0009
Revises: 0008

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # approvals given before this column existed let no placeholder through
    with op.batch_alter_table('statement_approval', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_placeholders', sa.Text(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('statement_approval', schema=None) as batch_op:
        batch_op.drop_column('free_placeholders')
