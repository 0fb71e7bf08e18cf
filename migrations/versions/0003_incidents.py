"""Incidents: refs, escalation steps, role assignments, checklist, source links.

Revision ID: 0003
Revises: 0002

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('incident_ref_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_incident_ref_counter'))
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_rank', sa.Integer(), nullable=False),
    sa.Column('playbook_slug', sa.String(length=100), nullable=False),
    sa.Column('playbook_version_id', sa.Integer(), nullable=False),
    sa.Column('channels', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['user_account.id'], name=op.f('fk_incident_lead_id_user_account')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'], name=op.f('fk_incident_opened_by_id_user_account')),
    sa.ForeignKeyConstraint(['playbook_version_id'], ['content_version.id'], name=op.f('fk_incident_playbook_version_id_content_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
    sa.UniqueConstraint('ref', name=op.f('uq_incident_ref'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_board', ['status_rank', 'severity', 'opened_at', 'id'], unique=False)
        batch_op.create_index('ix_incident_newest', ['opened_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incident_status'), ['status'], unique=False)

    op.create_table('escalation_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('after_minutes', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('target_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user_account.id'], name=op.f('fk_escalation_step_acknowledged_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_escalation_step_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_step'))
    )
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.create_index('ix_escalation_step_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalation_step_incident_id'), ['incident_id'], unique=False)

    op.create_table('incident_checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['done_by_id'], ['user_account.id'], name=op.f('fk_incident_checklist_item_done_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_incident_checklist_item_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_checklist_item')),
    sa.UniqueConstraint('incident_id', 'item_key', name='uq_incident_checklist_item_key')
    )
    with op.batch_alter_table('incident_checklist_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_checklist_item_incident_id'), ['incident_id'], unique=False)

    op.create_table('role_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assumed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renounced_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_role_assignment_assigned_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_role_assignment_incident_id_incident')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_role_assignment_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignment'))
    )
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_assignment_incident_id'), ['incident_id'], unique=False)

    op.create_table('source_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'], name=op.f('fk_source_link_added_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_source_link_incident_id_incident')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_link'))
    )
    with op.batch_alter_table('source_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_link_incident_id'), ['incident_id'], unique=False)



def downgrade():
    with op.batch_alter_table('source_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_link_incident_id'))

    op.drop_table('source_link')
    with op.batch_alter_table('role_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_assignment_incident_id'))

    op.drop_table('role_assignment')
    with op.batch_alter_table('incident_checklist_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_checklist_item_incident_id'))

    op.drop_table('incident_checklist_item')
    with op.batch_alter_table('escalation_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_step_incident_id'))
        batch_op.drop_index('ix_escalation_step_due')

    op.drop_table('escalation_step')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_status'))
        batch_op.drop_index('ix_incident_newest')
        batch_op.drop_index('ix_incident_board')

    op.drop_table('incident')
    op.drop_table('incident_ref_counter')
