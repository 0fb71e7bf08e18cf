"""Every response names its audience (public, staff, branches, service centre, …).

Revision ID: 0021
Revises: 0020

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(
            sa.Column('audience', sa.String(length=20), server_default='public', nullable=False)
        )
    # before audiences, the intranet was the only channel that reached no one outside the bank
    op.execute("UPDATE response SET audience = 'staff' WHERE channel = 'intranet'")


def downgrade():
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_column('audience')
