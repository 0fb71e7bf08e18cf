"""Heads of the named scopes the timeline moves (incidents, people, library).

Revision ID: 0011
Revises: 0010

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # no rows: the first event that moves a scope makes its row; until then it reads as 0
    op.create_table('state_head',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_state_head'))
    )


def downgrade():
    op.drop_table('state_head')
