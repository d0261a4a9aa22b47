"""Host-site SSO settings, spent single-use sign-in tokens, room for "site:<slug>" providers.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_sso",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=1024), nullable=True),
        sa.Column("jwks_url", sa.String(length=2048), nullable=True),
        sa.Column("trust_email", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_sso_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_sso")),
        sa.UniqueConstraint("site_id", name=op.f("uq_site_sso_site_id")),
    )
    op.create_table(
        "used_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_used_tokens")),
        sa.UniqueConstraint("key", name=op.f("uq_used_tokens_key")),
    )
    op.create_index("ix_used_tokens_expires_at", "used_tokens", ["expires_at"])
    # "site:" + a 64-character slug must fit.
    with op.batch_alter_table("identities") as batch:
        batch.alter_column("provider", type_=sa.String(80), existing_type=sa.String(64))


def downgrade() -> None:
    with op.batch_alter_table("identities") as batch:
        batch.alter_column("provider", type_=sa.String(64), existing_type=sa.String(80))
    op.drop_index("ix_used_tokens_expires_at", table_name="used_tokens")
    op.drop_table("used_tokens")
    op.drop_table("site_sso")
