"""comments.site_id and a covering index for the duplicate check's recent-comments scan.

Revision ID: 0004
Revises: 0003

The duplicate check reads, for every new comment, the SimHash of the site's
latest few hundred comments. Through threads that was a join and a sort of the
site's whole history; with the site on the comment (a comment never changes
thread, so the copy cannot drift) and an index holding everything the scan
reads, it is a short walk down one index. Comments stored before 0003 get
their SimHash here, so the scan never has to fall back to their text.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_comments = sa.table(
    "comments",
    sa.column("id", sa.Integer),
    sa.column("thread_id", sa.Integer),
    sa.column("site_id", sa.Integer),
    sa.column("body_source", sa.Text),
    sa.column("simhash", sa.BigInteger),
)
_threads = sa.table("threads", sa.column("id", sa.Integer), sa.column("site_id", sa.Integer))


def _backfill_simhash(conn, batch: int = 1000) -> None:
    # The function submit uses, so old and new rows hash alike. In batches, so a
    # large table is never held in memory at once.
    from service.similarity import simhash

    pending = (
        sa.select(_comments.c.id, _comments.c.body_source)
        .where(_comments.c.simhash.is_(None))
        .order_by(_comments.c.id)
        .limit(batch)
    )
    while rows := conn.execute(pending).all():
        for comment_id, body in rows:
            conn.execute(
                _comments.update().where(_comments.c.id == comment_id).values(simhash=simhash(body))
            )


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
    conn = op.get_bind()
    conn.execute(
        _comments.update().values(
            site_id=sa.select(_threads.c.site_id)
            .where(_threads.c.id == _comments.c.thread_id)
            .scalar_subquery()
        )
    )
    _backfill_simhash(conn)
    with op.batch_alter_table("comments") as batch:
        batch.alter_column("site_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("simhash", existing_type=sa.BigInteger(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_comments_site_id_sites"), "sites", ["site_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(
            "ix_comments_site_recent",
            ["site_id", "id", "created_at", "status", "simhash"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_site_recent")
        batch.drop_constraint(op.f("fk_comments_site_id_sites"), type_="foreignkey")
        batch.alter_column("simhash", existing_type=sa.BigInteger(), nullable=True)
        batch.drop_column("site_id")
