"""Public notices: an incident's page on the public site; an index for the need-to-know list.

Revision ID: 0017
Revises: 0016

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('show_ref', sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_public_notice_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_notice')),
    sa.UniqueConstraint('incident_id', name=op.f('uq_public_notice_incident_id')),
    sa.UniqueConstraint('public_id', name=op.f('uq_public_notice_public_id'))
    )
    op.create_index('ix_incident_restricted', 'incident', ['restricted', 'opened_at', 'id'], unique=False)
    op.create_index('ix_role_assignment_user_id', 'role_assignment', ['user_id'], unique=False)
    op.create_table('public_site_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rendered_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_site_state'))
    )


def downgrade():
    op.drop_table('public_site_state')
    op.drop_index('ix_role_assignment_user_id', table_name='role_assignment')
    op.drop_index('ix_incident_restricted', table_name='incident')
    op.drop_table('public_notice')
