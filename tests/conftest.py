"""Fixtures shared by every test: real Redis, SQLite and PostgreSQL, the app, the OIDC provider.

``db_url`` is parametrised over SQLite and PostgreSQL, so every test that
touches the database runs on both. Each test gets a fresh database copied
from a template that ``alembic upgrade head`` built, so migrations are what
every test runs on. The kit these fixtures use lives in tests/support/ (apps, live_server,
workers, waiting, signin, oidc); fixtures come from here and from the plugins below, so no test
imports a fixture.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest
import redis as redis_lib
import sqlalchemy as sa

from service.cli import upgrade_database
from service.models import Site
from service.runtime import Runtime
from service.settings import Settings
from tests.support import workers
from tests.support.apps import BASE_URL, DEMO, OTHER, SiteSpec, build_app, ensure_sites
from tests.support.live_server import free_port
from tests.support.oidc import run_oidc_provider
from tests.support.servers import postgres_server, redis_server
from tests.support.signin import base_env, oidc_clients
from worker import runtime as worker_runtime

# The shared headless Chromium (the browser fixture) for the widget and dashboard tests.
pytest_plugins = ["tests.support.browser"]

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
        web={"base_url": BASE_URL, "submit_rate_per_minute": 0},
        # Retry at once: burst workers in tests have no time for backoff.
        jobs={"retry_intervals": (0,)},
    )


@pytest.fixture
def make_app(db_url, redis_db_url) -> Iterator:
    """Build apps for this test: ``make_app(env)`` from PARLEY_* variables alone, as an operator
    configures Parley (on this test's database and Redis), or ``make_app(settings)``. Sites demo
    and other unless ``sites`` says otherwise. In-process drains use the latest app's runtime;
    every runtime is closed after the test."""
    built: list[Runtime] = []

    def make(config: Mapping[str, str] | Settings, sites: Iterable[SiteSpec] = (DEMO, OTHER)):
        if not isinstance(config, Settings):
            config = Settings.from_env({**base_env(db_url, redis_db_url), **config})
        app = build_app(config, sites)
        rt: Runtime = app.extensions["parley"]
        worker_runtime.install(rt)
        built.append(rt)
        return app

    yield make
    worker_runtime.install(None)
    for rt in built:
        rt.close()


@pytest.fixture
def app(make_app, settings):
    return make_app(settings, sites=())


@pytest.fixture
def rt(app) -> Runtime:
    return app.extensions["parley"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def site(rt) -> Site:
    return ensure_sites(rt, [DEMO])[0]


@pytest.fixture
def drain(rt):
    """Run every queued job in this process, as a real RQ worker would."""

    return lambda: workers.drain(rt)


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


@pytest.fixture(scope="session")
def widget_port() -> int:
    """The port the widget stack's Parley will listen on, known before it starts so the one OIDC
    provider can register its callback."""
    return free_port()


@pytest.fixture(scope="session")
def oidc_provider(widget_port):
    """The real OpenID Connect provider (npm's oidc-provider), started once per session when a
    test first asks for it."""
    with run_oidc_provider(clients=oidc_clients(f"http://127.0.0.1:{widget_port}")) as provider:
        yield provider
