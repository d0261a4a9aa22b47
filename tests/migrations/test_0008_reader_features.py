"""0008: existing comments get no votes, no pin, no edit, no deletion; threads stay open;
the reader-feature tables come and go."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from service.cli import PROJECT_ROOT, upgrade_database
from service.runtime import make_engine

TABLES = {"comment_votes", "comment_reports", "comment_edits", "thread_likes", "challenge_uses"}


def _config(db_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    return config


def test_0008_keeps_existing_comments_as_they_were_and_round_trips(db_url):
    command.downgrade(_config(db_url), "0006")
    engine = make_engine(db_url)
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sites (id, slug, name, allowed_origins, policy, created_at)"
                " VALUES (1, 's', 'S', '[]', '{}', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sa.text("INSERT INTO threads (id, site_id, key, created_at) VALUES (1, 1, '/t', :now)"),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO comments (id, thread_id, site_id, body_source, body_html, status,"
                " depth, simhash, client, created_at, updated_at)"
                " VALUES (5, 1, 1, 'old', '<p>old</p>', 'published', 0, 0, '{}', :now, :now)"
            ),
            {"now": now},
        )
    upgrade_database(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT votes_up, votes_down, pinned, edited_at, deleted_at FROM comments"
                " WHERE id = 5"
            )
        ).one()
        closed = conn.execute(sa.text("SELECT closed_at FROM threads")).scalar()
    assert (row[0], row[1], bool(row[2]), row[3], row[4]) == (0, 0, False, None, None)
    assert closed is None
    assert TABLES <= set(sa.inspect(engine).get_table_names())

    command.downgrade(_config(db_url), "0006")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("comments")}
    assert not {"votes_up", "pinned", "deleted_at"} & columns
    assert not TABLES & set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT body_source FROM comments")).scalar() == "old"
    engine.dispose()
