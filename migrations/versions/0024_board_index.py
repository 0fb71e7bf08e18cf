"""The board's index leads with restricted, as the board's query does: read in order, not sorted.

Revision ID: 0024
Revises: 0023

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_board')
        batch_op.create_index(
            'ix_incident_board', ['restricted', 'status_rank', 'severity', 'opened_at', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_board')
        batch_op.create_index(
            'ix_incident_board', ['status_rank', 'severity', 'opened_at', 'id'], unique=False
        )
