"""Delivery priority and held deliveries, alert receipts, incidents opened after a closed one.

Revision ID: 0008
Revises: 0007

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alert_receipt',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_alert_receipt'))
    )
    with op.batch_alter_table('alert_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_receipt_expires_at'), ['expires_at'], unique=False)

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))

    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a column with its reference in place; a batch copy of `incident` would have to
        # drop the table every other table refers to
        op.execute('ALTER TABLE incident ADD COLUMN follows_id INTEGER '
                   'CONSTRAINT fk_incident_follows_id_incident REFERENCES incident (id)')
    else:
        op.add_column('incident', sa.Column('follows_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_incident_follows_id_incident'), 'incident', 'incident',
                              ['follows_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE incident DROP COLUMN follows_id')
    else:
        op.drop_constraint(op.f('fk_incident_follows_id_incident'), 'incident', type_='foreignkey')
        op.drop_column('incident', 'follows_id')

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('priority')

    with op.batch_alter_table('alert_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_receipt_expires_at'))

    op.drop_table('alert_receipt')
