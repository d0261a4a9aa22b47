"""0006: old tokens keep working (no expiry), and the sessions table comes and goes."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from service.cli import PROJECT_ROOT, upgrade_database
from service.runtime import make_engine


def _config(db_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    return config


def test_0006_keeps_old_tokens_and_round_trips(db_url):
    command.downgrade(_config(db_url), "0005")
    engine = make_engine(db_url)
    assert "sessions" not in sa.inspect(engine).get_table_names()
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
            sa.text(
                "INSERT INTO api_tokens (id, site_id, role, token_hash, label, created_at)"
                " VALUES (7, 1, 'owner', :hash, 'old', :now)"
            ),
            {"hash": "a" * 64, "now": now},
        )
    upgrade_database(db_url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT id, label, expires_at, revoked_at, last_used_at FROM api_tokens")
        ).one()
    assert tuple(row) == (7, "old", None, None, None)
    assert "sessions" in sa.inspect(engine).get_table_names()

    command.downgrade(_config(db_url), "0005")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("api_tokens")}
    assert "expires_at" not in columns and "last_used_at" not in columns
    assert "sessions" not in sa.inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT label FROM api_tokens")).scalar() == "old"
    engine.dispose()
