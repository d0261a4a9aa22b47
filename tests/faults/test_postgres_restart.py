"""PostgreSQL stopped and started while readers post (issue 12): refusals are 503 in the error
shape with Retry-After, the web process recovers by itself, and nothing is half-written.

tests/comments/test_bad_input.py turns one database's connections away (ALLOW_CONNECTIONS) for
one request; here the server itself goes down under live HTTP traffic, cutting off the
connections in the pool and the transactions in flight.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import sqlalchemy as sa

from service.cli import upgrade_database
from service.models import Comment, Thread
from service.settings import Settings
from tests.faults.conftest import Answer, FaultStack, assert_error_shape
from tests.support.apps import BASE_URL, DEMO, build_app
from tests.support.live_server import serve_wsgi
from tests.support.servers import restartable_postgres, start_postgres, stop_postgres
from tests.support.waiting import wait_until


def _database(server_url: str) -> str:
    admin = sa.create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(sa.text("CREATE DATABASE parley"))
    admin.dispose()
    url = sa.engine.make_url(server_url).set(database="parley")
    url = url.render_as_string(hide_password=False)
    upgrade_database(url)
    return url


def test_postgres_stopped_and_started_during_posts(redis_db_url):
    with restartable_postgres() as (server_url, server):
        configured = Settings.for_tests(
            database_url=_database(server_url),
            redis_url=redis_db_url,
            web={"base_url": BASE_URL, "submit_rate_per_minute": 0},
        )
        app = build_app(configured, [DEMO])
        rt = app.extensions["parley"]
        answers: list[Answer] = []
        stop = threading.Event()
        try:
            with serve_wsgi(app, name="pg-faults") as live:
                stack = FaultStack(live.url, rt, {}, None)

                def reader(n: int) -> None:
                    i = 0
                    while not stop.is_set():
                        i += 1
                        answers.append(stack.post(f"Reader {n} says thanks, post {i}."))
                        time.sleep(0.02)

                readers = [threading.Thread(target=reader, args=(n,)) for n in (1, 2)]
                for thread in readers:
                    thread.start()

                def accepted() -> int:
                    return sum(a.status == 202 for a in answers)

                assert wait_until(lambda: accepted() >= 15, timeout=60)
                stop_postgres(server)
                assert wait_until(lambda: sum(a.status == 503 for a in answers) >= 5, timeout=60), (
                    answers[-5:]
                )
                start_postgres(server)
                back = accepted()
                # No restart of the web process: its pool finds fresh connections by itself.
                assert wait_until(lambda: accepted() >= back + 15, timeout=60), answers[-5:]
                stop.set()
                for thread in readers:
                    thread.join(30)
        finally:
            stop.set()

        refused = [a for a in answers if a.status != 202]
        assert refused
        for answer in refused:
            assert_error_shape(answer)
            assert answer.status == 503 and answer.json["error"]["code"] == "unavailable"
            assert int(answer.headers["Retry-After"]) > 0
        assert answers[-1].status == 202

        # Nothing half-written: exactly the accepted comments are stored, and no thread was
        # left without the comment that created it.
        with rt.session() as session:
            stored = set(session.scalars(sa.select(Comment.body_source)))
            empty_threads = session.scalar(
                sa.select(sa.func.count())
                .select_from(Thread)
                .where(~sa.exists().where(Comment.thread_id == Thread.id))
            )
        assert stored == {a.body for a in answers if a.status == 202}
        assert empty_threads == 0
        rt.close()


def test_a_restart_still_works_after_another_pytest_session_started(tmp_path):
    """Sessions of the suite run side by side (several checkouts on one machine). Each one, as
    it starts, makes pytest's shared temporary root private again; the server of this test
    (another user when run as root) must still be able to start after that."""
    probe = tmp_path / "probe"
    probe.mkdir()
    (probe / "test_probe.py").write_text("def test_probe(tmp_path):\n    assert tmp_path\n")
    with restartable_postgres() as (server_url, server):
        stop_postgres(server)
        other = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_probe.py"],
            cwd=probe,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert other.returncode == 0, other.stdout + other.stderr
        start_postgres(server)
        engine = sa.create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            with engine.connect() as conn:
                assert conn.scalar(sa.text("SELECT 1")) == 1
        finally:
            engine.dispose()
