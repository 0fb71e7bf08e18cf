"""Responses: revisions, reviews, publication records.

Revision ID: 0004
Revises: 0003

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('statement_slug', sa.String(length=100), nullable=True),
    sa.Column('statement_version_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_revision', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_url', sa.String(length=2000), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retract_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_response_author_id_user_account')),
    sa.ForeignKeyConstraint(['corrects_id'], ['response.id'], name=op.f('fk_response_corrects_id_response')),
    sa.ForeignKeyConstraint(['incident_id'], ['incident.id'], name=op.f('fk_response_incident_id_incident')),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'], name=op.f('fk_response_published_by_id_user_account')),
    sa.ForeignKeyConstraint(['statement_version_id'], ['content_version.id'], name=op.f('fk_response_statement_version_id_content_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response'))
    )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index('ix_response_review', ['status', 'submitted_at'], unique=False)

    op.create_table('response_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_review_response_id_response')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_response_review_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_review'))
    )
    with op.batch_alter_table('response_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_review_response_id'), ['response_id'], unique=False)

    op.create_table('response_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('values', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_response_revision_author_id_user_account')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_revision_response_id_response')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_revision')),
    sa.UniqueConstraint('response_id', 'number', name='uq_response_revision_number')
    )
    with op.batch_alter_table('response_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_revision_response_id'), ['response_id'], unique=False)



def downgrade():
    with op.batch_alter_table('response_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_revision_response_id'))

    op.drop_table('response_revision')
    with op.batch_alter_table('response_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_review_response_id'))

    op.drop_table('response_review')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_index('ix_response_review')
        batch_op.drop_index(batch_op.f('ix_response_incident_id'))

    op.drop_table('response')
