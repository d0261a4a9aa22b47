"""Fixtures shared by every test: real Redis, SQLite and PostgreSQL, the app.

``db_url`` is parametrised over SQLite and PostgreSQL, so every test that
touches the database runs on both. Each test gets a fresh database copied
from a template that ``alembic upgrade head`` built, so migrations are what
every test runs on.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
import sqlalchemy as sa
from rq import SimpleWorker

from service import create_app
from service.cli import upgrade_database
from service.enqueue import SERIALIZER
from service.models import Site
from service.runtime import Runtime
from service.settings import Settings
from service.sites import create_site
from tests.support.servers import postgres_server, redis_server
from worker import runtime as worker_runtime

# The shared headless Chromium (the browser fixture) for the widget and dashboard tests.
pytest_plugins = ["tests.support.browser"]

SITE_ORIGIN = "http://blog.example.test"
_counter = itertools.count()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_url) -> str:
    engine = sa.create_engine(_psycopg(postgres_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS parley_template"))
        conn.execute(sa.text("CREATE DATABASE parley_template"))
    engine.dispose()
    upgrade_database(_with_database(postgres_url, "parley_template"))
    return "parley_template"


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _with_database(url: str, name: str) -> str:
    return sa.engine.make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "parley.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres_url")
    template = request.getfixturevalue("postgres_template")
    name = f"parley_test_{next(_counter)}"
    admin = sa.create_engine(_psycopg(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    try:
        yield _with_database(server, name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def redis_db_url(redis_url) -> Iterator[str]:
    # A dedicated database index, flushed around each test.
    url = redis_url.rsplit("/", 1)[0] + "/3"
    conn = redis_lib.Redis.from_url(url)
    conn.flushdb()
    yield url
    conn.flushdb()
    conn.close()


@pytest.fixture
def settings(db_url, redis_db_url) -> Settings:
    return Settings.for_tests(
        database_url=db_url,
        redis_url=redis_db_url,
        base_url="http://parley.example.test",
        # Retry at once: burst workers in tests have no time for backoff.
        job_retry_intervals=(0,),
        submit_rate_per_minute=0,
    )


@pytest.fixture
def app(settings):
    app = create_app(settings)
    rt: Runtime = app.extensions["parley"]
    worker_runtime.install(rt)
    yield app
    worker_runtime.install(None)
    rt.close()


@pytest.fixture
def rt(app) -> Runtime:
    return app.extensions["parley"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def site(rt) -> Site:
    with rt.session() as session:
        site = create_site(session, "demo", "Demo blog", [SITE_ORIGIN])
        session.commit()
        return site


@pytest.fixture
def drain(rt):
    """Run every queued job in this process, as a real RQ worker would."""

    def drain() -> None:
        SimpleWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER).work(
            burst=True, with_scheduler=False
        )

    return drain


@pytest.fixture
def post(client, site):
    """POST a guest comment; returns the response."""

    def post(body: str = "Nice article, thanks for writing it.", **fields):
        payload = {
            "site": "demo",
            "thread": "/posts/hello",
            "body": body,
            "author": {"name": "Ada", "email": "ada@example.com"},
            **fields,
        }
        return client.post("/api/v1/comments", json=payload)

    return post


@pytest.fixture
def moderator_token(rt, site) -> str:
    from service.access import create_token

    with rt.session() as session:
        token = create_token(session, session.get(Site, site.id), "moderator")
        session.commit()
    return token
