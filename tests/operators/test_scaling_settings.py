"""The variables of issue 17 (cached reads, CDN purge, streams, SQLite sync) are read once and
checked like every other, and reach what they configure."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.runtime import make_engine
from service.settings import Settings, SettingsError


def test_read_cache_stream_and_sqlite_variables_are_read():
    settings = Settings.from_env(
        {
            "PARLEY_ENV": "test",
            "PARLEY_READ_MAX_AGE": "30",
            "PARLEY_READ_STALE_SECONDS": "600",
            "PARLEY_CDN_MAX_AGE": "3600",
            "PARLEY_CDN_PURGE_URL": "https://purge.example.com/parley/",
            "PARLEY_MAX_STREAMS": "50000",
            "PARLEY_SQLITE_SYNCHRONOUS": "normal",
        }
    )
    web = settings.web
    assert (web.read_max_age, web.read_stale_seconds, web.cdn_max_age) == (30, 600, 3600)
    assert web.cdn_purge_url == "https://purge.example.com/parley"
    assert settings.widget.max_streams == 50000
    assert settings.sqlite_synchronous == "normal"
    defaults = Settings.from_env({"PARLEY_ENV": "test"})
    assert defaults.sqlite_synchronous == "full" and defaults.web.cdn_purge_url == ""


def test_bad_values_are_reported_together():
    with pytest.raises(SettingsError) as error:
        Settings.from_env(
            {
                "PARLEY_ENV": "test",
                "PARLEY_CDN_PURGE_URL": "ftp://purge.example.com",
                "PARLEY_SQLITE_SYNCHRONOUS": "off",
                "PARLEY_MAX_STREAMS": "0",
            }
        )
    problems = error.value.problems
    for variable in ("PARLEY_CDN_PURGE_URL", "PARLEY_SQLITE_SYNCHRONOUS", "PARLEY_MAX_STREAMS"):
        assert sum(p.startswith(variable) for p in problems) == 1, (variable, problems)


@pytest.mark.parametrize(("setting", "pragma"), [("full", 2), ("normal", 1)])
def test_the_sqlite_sync_setting_reaches_every_connection(tmp_path, setting, pragma):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", 4, setting)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA synchronous")).scalar() == pragma
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()
