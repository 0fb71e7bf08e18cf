"""Need-to-know incidents: a restricted flag, named members, and webhooks that may hear of them.

Revision ID: 0016
Revises: 0015

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_incident_member_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_member_incident_id_incident')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_incident_member_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_member')),
    sa.UniqueConstraint('incident_id', 'user_id', name='uq_incident_member')
    )
    with op.batch_alter_table('incident_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_member_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_member_user_id'), ['user_id'], unique=False)

    # a plain ADD COLUMN: SQLite's batch mode would copy the table and drop its append-only triggers
    op.add_column('incident', sa.Column('restricted', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('webhook', sa.Column('restricted_events', sa.Boolean(), nullable=False, server_default=sa.false()))



def downgrade():
    # plain DROP COLUMN (SQLite 3.35+): copying the table would drop its triggers
    op.drop_column('webhook', 'restricted_events')
    op.drop_column('incident', 'restricted')

    with op.batch_alter_table('incident_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_member_user_id'))
        batch_op.drop_index(batch_op.f('ix_incident_member_incident_id'))

    op.drop_table('incident_member')
