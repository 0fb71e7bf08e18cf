"""The full-text search index: one entry per text said in an incident, FTS5 or GIN by database.

Revision ID: 0022
Revises: 0021

"""
from alembic import op
import sqlalchemy as sa

from crisisdesk.search.models import POSTGRES_DDL, SQLITE_DDL, SQLITE_DROP
from crisisdesk.search.rebuild import rebuild


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('terms', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incident.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'source_id', name='uq_search_entry_source'),
    )
    op.create_index('ix_search_entry_incident', 'search_entry', ['incident_id'])
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DDL if dialect == 'sqlite' else POSTGRES_DDL:
        op.execute(statement)
    # what was said before the index existed is found too
    rebuild(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_DROP:
            op.execute(statement)
    op.drop_index('ix_search_entry_incident', table_name='search_entry')
    op.drop_table('search_entry')
