"""The library: content versions and statement approvals.

Revision ID: 0002
Revises: 0001

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    sa.UniqueConstraint('kind', 'slug', 'sha256', name='uq_content_version_kind_slug_sha256')
    )
    with op.batch_alter_table('content_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_version_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_version_slug'), ['slug'], unique=False)

    op.create_table('statement_approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_by', sa.Date(), nullable=False),
    sa.Column('expiry_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_statement_approval_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['version_id'], ['content_version.id'], name=op.f('fk_statement_approval_version_id_content_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_approval'))
    )
    with op.batch_alter_table('statement_approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_approval_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_approval_slug'), ['slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_approval_version_id'), ['version_id'], unique=False)



def downgrade():
    with op.batch_alter_table('statement_approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_approval_version_id'))
        batch_op.drop_index(batch_op.f('ix_statement_approval_slug'))
        batch_op.drop_index(batch_op.f('ix_statement_approval_sha256'))

    op.drop_table('statement_approval')
    with op.batch_alter_table('content_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_content_version_slug'))
        batch_op.drop_index(batch_op.f('ix_content_version_sha256'))

    op.drop_table('content_version')
