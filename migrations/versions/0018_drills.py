"""Drills: a drill incident flag, the running drills and the injects they released.

Revision ID: 0018
Revises: 0017

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN: SQLite's batch mode would copy the table and drop its triggers
    op.add_column('incident', sa.Column('drill', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('drill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('script_slug', sa.String(length=100), nullable=False),
    sa.Column('script_version_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('announced', sa.Boolean(), nullable=False),
    sa.Column('participants', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pauses', sa.Text(), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('signed_off_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['user_account.id'], name=op.f('fk_drill_signed_off_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_drill_incident_id_incident')),
    sa.ForeignKeyConstraint(['lead_id'], ['user_account.id'], name=op.f('fk_drill_lead_id_user_account')),
    sa.ForeignKeyConstraint(['script_version_id'], ['content_version.id'], name=op.f('fk_drill_script_version_id_content_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill')),
    sa.UniqueConstraint('incident_id', name=op.f('uq_drill_incident_id'))
    )
    op.create_index(op.f('ix_drill_status'), 'drill', ['status'], unique=False)
    op.create_table('drill_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drill_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=140), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['drill_id'], ['drill.id'], name=op.f('fk_drill_release_drill_id_drill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drill_release')),
    sa.UniqueConstraint('key', name=op.f('uq_drill_release_key'))
    )
    op.create_index(op.f('ix_drill_release_drill_id'), 'drill_release', ['drill_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_drill_release_drill_id'), table_name='drill_release')
    op.drop_table('drill_release')
    op.drop_index(op.f('ix_drill_status'), table_name='drill')
    op.drop_table('drill')
    op.drop_column('incident', 'drill')
