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

import itertools
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pytest
import redis as redis_lib
import requests
from werkzeug.serving import make_server

from service import create_app
from service.embedded import free_port
from service.runtime import Runtime
from service.settings import Settings
from service.sites import create_site
from service.widget.demo_server import make_server as make_demo_server
from service.widget.demo_server import serve_in_thread
from tests.support.oidc import run_oidc_provider

ROOT = Path(__file__).resolve().parents[2]
OIDC_NAME = "testidp"
OIDC_LABEL = "Test IdP"
# Timing and flood checks are for people typing; a browser driven by a script is faster than
# any person, so the "demo" site here judges comments only by their content.
FAST_POLICY = {"min_submit_ms": 0, "flood_per_minute": 10_000, "flood_per_hour": 100_000}
_threads = itertools.count(1)


@dataclass
class Stack:
    parley: str  # Parley's base URL
    host: str  # the other origin that embeds the widget
    rt: Runtime
    env: dict[str, str]  # what configured Parley (and its worker)
    pages: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, html: str) -> str:
        """Serve ``html`` at ``path`` on the host origin; returns its URL."""
        self.pages[path] = html
        return self.host + path

    def article(self, thread: str, *, site: str = "demo", lang: str = "en", attrs: str = "") -> str:
        """A host page embedding the widget for ``thread``; returns its URL."""
        html = f"""<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">
<title>Article {escape(thread)}</title></head><body>
<h1>An article</h1><p>Some text.</p>
<div id="parley"></div>
<script src="{self.parley}/embed.js" data-parley-site="{escape(site)}"
        data-parley-thread="{escape(thread)}" {attrs} async></script>
</body></html>"""
        return self.page(f"/article{thread}", html)

    def post(
        self,
        thread: str,
        body: str,
        *,
        site: str = "demo",
        parent: int | None = None,
        name: str = "Ada",
        email: str = "ada@example.com",
        url: str | None = None,
    ) -> dict:
        """Submit through the public API as the host page would, and wait for the decision."""
        author = {"name": name, "email": email, **({"url": url} if url else {})}
        payload = {"site": site, "thread": thread, "body": body, "author": author}
        if parent is not None:
            payload["parent"] = parent
        created = requests.post(
            f"{self.parley}/api/v1/comments",
            json=payload,
            headers={"Origin": self.host},
            timeout=10,
        )
        assert created.status_code == 202, created.text
        cid = created.json()["comment"]["id"]
        decided = requests.get(f"{self.parley}/api/v1/comments/{cid}?wait=20", timeout=30).json()
        return decided["comment"]

    def status(self, comment_id: int) -> str:
        from service.models import Comment

        with self.rt.session() as session:
            return session.get(Comment, comment_id).status


def new_thread(name: str) -> str:
    """A thread key no other test uses (the database is shared)."""
    return f"/{name}-{next(_threads)}"


def comment_id(item) -> int:
    """The comment id of a rendered ``li`` (``parley-comment-7`` or ``parley-pending-7``)."""
    return int(item.get_attribute("id").rsplit("-", 1)[1])


def serve(app, port: int):
    """Serve ``app`` on 127.0.0.1:``port`` from a thread; threaded, so event streams hold
    a thread each instead of blocking every other request. Stop with ``.shutdown()``."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, name=f"parley-web-{port}", daemon=True).start()
    return server


@pytest.fixture(scope="session")
def stack(redis_url, sqlite_template, tmp_path_factory) -> Iterator[Stack]:
    port, host_port = free_port(), free_port()
    parley = f"http://127.0.0.1:{port}"
    host = f"http://localhost:{host_port}"
    database = tmp_path_factory.mktemp("widget") / "parley.db"
    shutil.copy(sqlite_template, database)
    # A Redis database index of its own: the root fixtures flush index 3 around each test.
    redis_db = redis_url.rsplit("/", 1)[0] + "/5"
    redis_lib.Redis.from_url(redis_db).flushdb()
    clients = [
        {
            "client_id": "parley-widget",
            "client_secret": "parley-widget-secret",
            "redirect_uris": [f"{parley}/auth/{OIDC_NAME}/callback"],
        }
    ]
    with run_oidc_provider(clients=clients) as provider:
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
            "PARLEY_DEMO_ORIGIN": host,
            "PARLEY_OIDC_PROVIDERS": OIDC_NAME,
            "PARLEY_OIDC_TESTIDP_METADATA_URL": provider.metadata_url,
            "PARLEY_OIDC_TESTIDP_CLIENT_ID": clients[0]["client_id"],
            "PARLEY_OIDC_TESTIDP_CLIENT_SECRET": clients[0]["client_secret"],
            "PARLEY_OIDC_TESTIDP_LABEL": OIDC_LABEL,
        }
        app = create_app(Settings.from_env(env))
        rt: Runtime = app.extensions["parley"]
        with rt.session() as session:
            create_site(session, "demo", "Demo blog", [host, parley], FAST_POLICY)
            create_site(
                session, "strict", "Strict blog", [host], {**FAST_POLICY, "premoderate": True}
            )
            session.commit()
        web = serve(app, port)
        worker = subprocess.Popen(
            [sys.executable, "-m", "worker.cli_entry", "worker"],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        stack = Stack(parley, host, rt, env)
        demo = make_demo_server("127.0.0.1", host_port, parley, stack.pages)
        serve_in_thread(demo)
        try:
            yield stack
        finally:
            demo.shutdown()
            demo.server_close()
            # SIGTERM to the main process, as `docker stop` does; never leave it behind.
            os.kill(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
                raise
            web.shutdown()
            rt.close()


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
