"""A live stack for the browser tests, shared by the whole session to keep them fast.

Parley runs on ``http://127.0.0.1:<port>`` (werkzeug in a thread, threaded so event streams do
not block other requests) with a real forking worker subprocess, so comments are decided while
the browser waits, exactly as in production. Host pages come from a second server on
``http://localhost:<port>``: another origin *and* another site, so the embed is cross-origin and
Chromium treats Parley's cookies as third-party (which it is told to block). Sign-in goes
through the real OpenID provider (npm's oidc-provider).

SQLite only: these tests exercise the browser and the HTTP contract, not the database, and the
API suites already run every query on PostgreSQL; a second parametrisation would double the
slowest suite for no new coverage. Tests share one database, so each uses its own thread key.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import redis as redis_lib

from service.settings import Settings
from service.widget.demo_server import make_server as make_demo_server
from tests.support.apps import SiteSpec, build_app
from tests.support.live_server import free_port, serve_wsgi, serving
from tests.support.signin import OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_LABEL, OIDC_NAME
from tests.support.stack import FAST_POLICY, Stack
from tests.support.workers import worker_process


@pytest.fixture(scope="session")
def stack(
    redis_url, sqlite_template, tmp_path_factory, widget_port, oidc_provider
) -> Iterator[Stack]:
    port, host_port = widget_port, free_port()
    parley = f"http://127.0.0.1:{port}"
    host = f"http://localhost:{host_port}"
    database = tmp_path_factory.mktemp("widget") / "parley.db"
    shutil.copy(sqlite_template, database)
    # A Redis database index of its own: the root fixtures flush index 3 around each test.
    redis_db = redis_url.rsplit("/", 1)[0] + "/5"
    redis_lib.Redis.from_url(redis_db).flushdb()
    env = {
        "PARLEY_ENV": "test",
        "PARLEY_SECRET_KEY": "widget-tests-secret-key",
        "PARLEY_DATABASE_URL": f"sqlite:///{database}",
        "PARLEY_REDIS_URL": redis_db,
        "PARLEY_BASE_URL": parley,
        "PARLEY_PORT": str(port),
        "PARLEY_JOB_RETRY_INTERVALS": "0",
        "PARLEY_SUBMIT_RATE": "0",
        "PARLEY_SSE_LIFETIME": "30",
        "PARLEY_SSE_HEARTBEAT": "5",
        # Every browser page of the session comes from 127.0.0.1, and this server's threads
        # are not gunicorn's: the per-client cap would only measure the test's own tabs.
        "PARLEY_MAX_WAITING": "1000",
        "PARLEY_MAX_WAITING_PER_CLIENT": "1000",
        "PARLEY_DEMO_ORIGIN": host,
        "PARLEY_OIDC_PROVIDERS": OIDC_NAME,
        "PARLEY_OIDC_TESTIDP_METADATA_URL": oidc_provider.metadata_url,
        "PARLEY_OIDC_TESTIDP_CLIENT_ID": OIDC_CLIENT_ID,
        "PARLEY_OIDC_TESTIDP_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "PARLEY_OIDC_TESTIDP_LABEL": OIDC_LABEL,
    }
    sites = [
        SiteSpec("demo", "Demo blog", (host, parley), FAST_POLICY),
        SiteSpec("strict", "Strict blog", (host,), {**FAST_POLICY, "premoderate": True}),
    ]
    app = build_app(Settings.from_env(env), sites)
    stack = Stack(parley, host, app.extensions["parley"], env)
    # Unwound in reverse: the host pages, the worker (stopped as `docker stop` does), Parley.
    with ExitStack() as running:
        running.callback(stack.rt.close)
        running.enter_context(serve_wsgi(app, port, name="parley-web"))
        running.enter_context(worker_process(env))
        demo = make_demo_server("127.0.0.1", host_port, parley, stack.pages)
        running.enter_context(serving(demo, name="demo-origin"))
        yield stack


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 900, "height": 1000})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that records any dialog (alert, confirm, prompt) instead of hanging on it."""
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page
