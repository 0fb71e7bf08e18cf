"""Workers wake on new events: a PostgreSQL statement trigger notifies crisisdesk_events.

Revision ID: 0023
Revises: 0022

"""
from alembic import op

from crisisdesk.timeline.models import NOTIFY_POSTGRES, NOTIFY_POSTGRES_DROP


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':  # SQLite has no NOTIFY: its worker keeps the timer
        for statement in NOTIFY_POSTGRES:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in NOTIFY_POSTGRES_DROP:
            op.execute(statement)
