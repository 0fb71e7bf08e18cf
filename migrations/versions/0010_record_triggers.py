"""Append-only triggers on the tables the chain speaks of; chain checkpoints.

Revision ID: 0010
Revises: 0009

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# The last migration: the tables below have every column the earlier ones gave them.
REFUSED = {
    "response_revision": ("UPDATE", "DELETE"),
    "response_review": ("UPDATE", "DELETE"),
    "content_version": ("UPDATE", "DELETE"),
    "statement_approval": ("DELETE",),
    "incident": ("DELETE",),
    "response": ("DELETE",),
}
EXPIRY_COLUMN = "expiry_recorded_at"
PG_FUNCTIONS = [
    "CREATE OR REPLACE FUNCTION crisisdesk_refuse_change() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME "
    "|| ' refused: the timeline records these rows'; END; $$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION statement_approval_expiry_only() RETURNS trigger AS $$ "
    f"BEGIN IF (to_jsonb(NEW) - '{EXPIRY_COLUMN}') IS DISTINCT FROM (to_jsonb(OLD) - '{EXPIRY_COLUMN}') THEN "
    "RAISE EXCEPTION USING MESSAGE = 'UPDATE on statement_approval refused: the timeline records these rows'; "
    "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql",
]


def _message(operation, table):
    return f"{operation} on {table} refused: the timeline records these rows"


def _triggers():
    """(table, name, statement) for this database."""
    postgres = op.get_bind().dialect.name == "postgresql"
    found = []
    for table, operations in REFUSED.items():
        for operation in operations:
            name = f"{table}_no_{operation.lower()}"
            action = ("FOR EACH ROW EXECUTE FUNCTION crisisdesk_refuse_change()" if postgres
                      else f"BEGIN SELECT RAISE(ABORT, '{_message(operation, table)}'); END")
            found.append((table, name, f"CREATE TRIGGER {name} BEFORE {operation} ON {table} {action}"))
    if postgres:
        found.append(("statement_approval", "statement_approval_no_update",
                      "CREATE TRIGGER statement_approval_no_update BEFORE UPDATE ON statement_approval "
                      "FOR EACH ROW EXECUTE FUNCTION statement_approval_expiry_only()"))
    else:
        columns = [c["name"] for c in sa.inspect(op.get_bind()).get_columns("statement_approval")]
        guarded = ", ".join(column for column in columns if column != EXPIRY_COLUMN)
        found.append(("statement_approval", "statement_approval_no_update",
                      f"CREATE TRIGGER statement_approval_no_update BEFORE UPDATE OF {guarded} ON statement_approval "
                      f"BEGIN SELECT RAISE(ABORT, '{_message('UPDATE', 'statement_approval')}'); END"))
    return found


def upgrade():
    op.create_table('chain_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.Column('file', sa.String(length=255), nullable=False),
    sa.Column('mail_to', sa.String(length=254), nullable=True),
    sa.Column('mailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_attempts', sa.Integer(), nullable=False),
    sa.Column('mail_tried_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mail_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_checkpoint')),
    sa.UniqueConstraint('seq', name=op.f('uq_chain_checkpoint_seq'))
    )
    with op.batch_alter_table('audit_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_check', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('problem', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.String(length=500), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_FUNCTIONS:
            op.execute(statement)
    for _table, _name, statement in _triggers():
        op.execute(statement)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, name, _statement in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS statement_approval_expiry_only()")
        op.execute("DROP FUNCTION IF EXISTS crisisdesk_refuse_change()")

    with op.batch_alter_table('audit_run', schema=None) as batch_op:
        batch_op.drop_column('detail')
        batch_op.drop_column('problem')
        batch_op.drop_column('failed_check')

    op.drop_table('chain_checkpoint')
