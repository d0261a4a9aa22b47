"""Fixtures of the import tests: the real exports in ../shared/data/import and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from service.models import Comment, Thread
from tests.support.apps import OTHER, ensure_sites
from tests.support.signin import base_env


@pytest.fixture(scope="session")
def import_data() -> Path:
    """The exports other systems wrote (README there); read in place, never copied."""
    root = (
        os.environ.get("PARLEY_SHARED_DATA")
        or Path(__file__).resolve().parents[3] / "shared" / "data"
    )
    path = Path(root) / "import"
    assert (path / "README.md").is_file(), f"the shared import exports are missing: {path}"
    return path


@pytest.fixture
def parley(db_url, redis_db_url, rt, site):
    """Run ``parley ARGS`` in-process on this test's database; answers the click result, with
    ``.report`` the JSON report when ``--json`` was given."""
    from worker.cli import cli

    ensure_sites(rt, [OTHER])  # an empty second site to import into
    runner = CliRunner(env=base_env(db_url, redis_db_url))

    def run(*args: str, ok: bool = True):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        result.report = None
        if "--json" in args and result.exit_code == 0:
            result.report = json.loads(result.stdout.strip().splitlines()[-1])
        return result

    return run


@pytest.fixture
def stored(rt, site):
    """The site's comments as ``{source_id: Comment}`` and its threads as ``{key: Thread}``."""

    def read():
        with rt.session() as session:
            comments = session.scalars(sa.select(Comment).where(Comment.site_id == site.id)).all()
            threads = session.scalars(sa.select(Thread).where(Thread.site_id == site.id)).all()
            session.expunge_all()
        return {c.source_id: c for c in comments}, {t.key: t for t in threads}

    return read
