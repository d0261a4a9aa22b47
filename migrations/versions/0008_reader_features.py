"""Reader features: votes, reports, edit history, page likes, pins, edits, tombstones,
closed threads and spent proof-of-work solutions (issue 16).

Revision ID: 0008
Revises: 0007

Existing comments get zero votes, no pin and no edit; existing threads are open. A deletion is
``comments.deleted_at``, the tombstone column migration 0007 added for imports.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


# Plain ADD and DROP COLUMN on both databases (SQLite has both since 3.35). A batch "move and
# copy" of threads or comments on SQLite would drop the old table with foreign keys on, and
# its implicit DELETE would cascade into every comment.
_COMMENT_COLUMNS = ("votes_up", "votes_down", "pinned", "edited_at")


def upgrade() -> None:
    op.add_column("threads", _when("closed_at"))
    op.add_column(
        "comments", sa.Column("votes_up", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "comments", sa.Column("votes_down", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "comments", sa.Column("pinned", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("comments", _when("edited_at"))

    op.create_table(
        "comment_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=80), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=True),
        _when("created_at", False),
        _when("updated_at", False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_votes_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_votes")),
        sa.UniqueConstraint("comment_id", "voter", name=op.f("uq_comment_votes_comment_id_voter")),
    )
    op.create_index(
        "ix_comment_votes_comment_id_ip_hash", "comment_votes", ["comment_id", "ip_hash"]
    )

    op.create_table(
        "comment_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("reporter", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _when("created_at", False),
        _when("dismissed_at"),
        sa.Column("dismissed_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_reports_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.id"],
            name=op.f("fk_comment_reports_site_id_sites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_reports")),
        sa.UniqueConstraint(
            "comment_id", "reporter", name=op.f("uq_comment_reports_comment_id_reporter")
        ),
    )
    op.create_index(
        "ix_comment_reports_site_id_dismissed_at", "comment_reports", ["site_id", "dismissed_at"]
    )

    op.create_table(
        "comment_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("body_source", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _when("created_at", False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_edits_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_edits")),
    )
    op.create_index("ix_comment_edits_comment_id", "comment_edits", ["comment_id"])

    op.create_table(
        "thread_likes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("liker", sa.String(length=80), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        _when("created_at", False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_thread_likes_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["identity_id"],
            ["identities.id"],
            name=op.f("fk_thread_likes_identity_id_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_likes")),
        sa.UniqueConstraint("thread_id", "liker", name=op.f("uq_thread_likes_thread_id_liker")),
    )

    op.create_table(
        "challenge_uses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        _when("expires_at", False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_uses")),
        sa.UniqueConstraint("digest", name=op.f("uq_challenge_uses_digest")),
    )
    op.create_index("ix_challenge_uses_expires_at", "challenge_uses", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_challenge_uses_expires_at", table_name="challenge_uses")
    op.drop_table("challenge_uses")
    op.drop_table("thread_likes")
    op.drop_index("ix_comment_edits_comment_id", table_name="comment_edits")
    op.drop_table("comment_edits")
    op.drop_index("ix_comment_reports_site_id_dismissed_at", table_name="comment_reports")
    op.drop_table("comment_reports")
    op.drop_index("ix_comment_votes_comment_id_ip_hash", table_name="comment_votes")
    op.drop_table("comment_votes")
    for column in reversed(_COMMENT_COLUMNS):
        op.execute(f"ALTER TABLE comments DROP COLUMN {column}")
    op.execute("ALTER TABLE threads DROP COLUMN closed_at")
