"""Regulatory assessment, the reports made to authorities (append-only) and clock reminders.

Revision ID: 0013
Revises: 0012

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

GUARDED = "regulatory_submission"


def _triggers():
    """(name, statement) of the append-only guards, for this database (0010 made the function)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    found = []
    for operation in ("UPDATE", "DELETE"):
        name = f"{GUARDED}_no_{operation.lower()}"
        message = f"{operation} on {GUARDED} refused: the timeline records these rows"
        action = ("FOR EACH ROW EXECUTE FUNCTION crisisdesk_refuse_change()" if postgres
                  else f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
        found.append((name, f"CREATE TRIGGER {name} BEFORE {operation} ON {GUARDED} {action}"))
    return found


def upgrade():
    op.create_table('regulatory_reminder',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_regulatory_reminder'))
    )
    op.create_table('regulatory_assessment',
    sa.Column('incident_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('criteria', sa.Text(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('personal_data_breach', sa.Boolean(), nullable=False),
    sa.Column('aware_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('aware_reason', sa.Text(), nullable=False),
    sa.Column('major_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reclassified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_regulatory_assessment_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_regulatory_assessment_incident_id_incident')),
    sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_regulatory_assessment'))
    )
    op.create_table('regulatory_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('late_reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_regulatory_submission_incident_id_incident')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_regulatory_submission_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regulatory_submission'))
    )
    with op.batch_alter_table('regulatory_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regulatory_submission_incident_id'), ['incident_id'], unique=False)
    for _name, statement in _triggers():
        op.execute(statement)



def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, _statement in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {GUARDED}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('regulatory_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regulatory_submission_incident_id'))

    op.drop_table('regulatory_submission')
    op.drop_table('regulatory_assessment')
    op.drop_table('regulatory_reminder')
