"""0005 seals the webhook secrets stored in clear before it, and its downgrade
opens them again, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from service.cli import PROJECT_ROOT, upgrade_database
from service.notifications.sealed_secrets import unseal
from service.runtime import make_engine

KEY = "migration-test-secret-key"
CLEAR = "whsec_" + "x" * 43


def _alembic(db_url: str, secret_key: str | None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", db_url.replace("%", "%%"))
    config.attributes["secret_key"] = secret_key
    return config


def _secret(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT secret FROM webhooks")).scalar_one()


def test_0005_seals_old_secrets_and_the_downgrade_opens_them(db_url):
    command.downgrade(_alembic(db_url, None), "0004")
    engine = make_engine(db_url)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sites (id, slug, name, allowed_origins, policy, created_at)"
                " VALUES (1, 's1', 'S', '[]', '{}', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO webhooks (id, site_id, url, secret, events, created_by, created_at)"
                " VALUES (1, 1, 'https://hooks.example.com/x', :secret, '[]', 'test', :now)"
            ),
            {"secret": CLEAR, "now": now},
        )

    # Without the key there is nothing to seal with: the upgrade stops, the row is as it was.
    with pytest.raises(RuntimeError, match="PARLEY_SECRET_KEY"):
        upgrade_database(db_url)
    assert _secret(engine) == CLEAR

    upgrade_database(db_url, secret_key=KEY)
    sealed = _secret(engine)
    assert CLEAR not in sealed and unseal(KEY, sealed) == CLEAR

    command.downgrade(_alembic(db_url, KEY), "0004")
    assert _secret(engine) == CLEAR
    engine.dispose()
