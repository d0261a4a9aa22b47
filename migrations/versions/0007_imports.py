"""Imported comments keep their source and id; tombstones; uploaded imports.

Revision ID: 0007
Revises: 0006

``comments.source`` / ``source_id`` are unique per site, so an import run twice (or resumed
after an interruption) creates nothing the first run created; native comments leave both NULL,
which never collide. ``deleted_at`` marks a tombstone: a deleted comment whose replies keep
their place. ``imports`` holds the imports owners upload through the API.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("source", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("source_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint(
            "uq_comments_site_id_source_source_id", ["site_id", "source", "source_id"]
        )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_imports_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index("ix_imports_site_id", "imports", ["site_id"])


def downgrade() -> None:
    op.drop_index("ix_imports_site_id", table_name="imports")
    op.drop_table("imports")
    with op.batch_alter_table("comments") as batch:
        batch.drop_constraint("uq_comments_site_id_source_source_id", type_="unique")
        batch.drop_column("deleted_at")
        batch.drop_column("source_id")
        batch.drop_column("source")
