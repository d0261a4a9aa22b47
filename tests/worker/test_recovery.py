"""Nothing a reader submitted is lost: lost jobs and Redis outages are recovered."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from rq import Worker
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from service.embedded import start_redis
from service.enqueue import SERIALIZER, moderation_job_id
from service.models import Comment, utcnow
from service.runtime import Runtime
from tests.support.apps import build_app
from tests.support.live_server import free_port
from tests.support.outages import database_outage
from tests.support.waiting import wait_until
from tests.support.workers import drain, worker_process
from worker import runtime as worker_runtime
from worker.backoff import Backoff
from worker.sweeper import sweep_forever, sweep_pending


def worker_env(settings, redis_url: str | None = None) -> dict[str, str]:
    """What a `parley worker` process of these settings is started with."""
    return {
        "PARLEY_ENV": "test",
        "PARLEY_SECRET_KEY": settings.secret_key,
        "PARLEY_DATABASE_URL": settings.database_url,
        "PARLEY_REDIS_URL": redis_url or settings.redis_url,
        "PARLEY_QUEUE": settings.jobs.queue,
    }


def _children(task: Path) -> list[str]:
    """The processes a thread of a running process started (none once the thread is gone)."""
    try:
        return (task / "children").read_text().split()
    except FileNotFoundError:
        return []


def status_of(rt, cid):
    with rt.session() as session:
        return session.get(Comment, cid).status


def test_lost_job_is_re_enqueued_by_the_sweeper_and_published(post, drain, rt):
    cid = post("my job will be lost").get_json()["comment"]["id"]
    rt.redis.flushdb()  # the job, the queue, everything in Redis: gone
    drain()
    assert status_of(rt, cid) == "pending"
    report = sweep_pending(rt, older_than_seconds=0)
    assert report.enqueued == [cid]
    drain()
    assert status_of(rt, cid) == "published"


def test_sweeper_leaves_queued_jobs_alone(post, rt):
    cid = post("still queued").get_json()["comment"]["id"]
    report = sweep_pending(rt, older_than_seconds=0)
    assert report.enqueued == [] and report.alive == 1
    assert rt.queue.count == 1
    assert status_of(rt, cid) == "pending"


def test_sweeper_ignores_young_comments(post, rt):
    post("just now")
    rt.redis.flushdb()
    assert sweep_pending(rt, older_than_seconds=3600).looked_at == 0


def test_redis_down_at_submit_then_processed_when_it_is_back(settings, site):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = build_app(settings.overridden(redis_url=dead, web={"submit_rate_per_minute": 30}))
    response = app.test_client().post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/t",
            "body": "written while Redis was down",
            "author": {"name": "Ada", "email": "ada@example.com"},
        },
    )
    assert response.status_code == 202
    cid = response.get_json()["comment"]["id"]
    down_rt = app.extensions["parley"]
    assert status_of(down_rt, cid) == "pending"
    assert sweep_pending(down_rt, older_than_seconds=0).error  # cannot enqueue yet
    ready = app.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["error"]["checks"]["redis"].startswith(
        "unavailable"
    )
    down_rt.close()

    # Redis is back: the sweeper enqueues, a worker decides.
    rt = Runtime.build(settings)
    worker_runtime.install(rt)
    try:
        assert sweep_pending(rt, older_than_seconds=0).enqueued == [cid]
        drain(rt)
        assert status_of(rt, cid) == "published"
    finally:
        worker_runtime.install(None)
        rt.close()


@pytest.mark.parametrize("options", [(), ("--fork",), ("--simple",)], ids=str)
def test_worker_subprocess_publishes(post, rt, settings, options):
    """The real `parley worker` (batches in one process; or RQ's forking or simple worker)."""
    ids = [post(f"comment {i} for the worker").get_json()["comment"]["id"] for i in range(3)]
    env = worker_env(settings)
    # Stopped as `docker stop` does: SIGTERM to the worker's main process, which stops its
    # work-horse and scheduler itself (a warm shutdown); killed, and the test failed, after 30 s.
    with worker_process(env, options=options) as worker:
        wait_until(lambda: all(status_of(rt, i) != "pending" for i in ids), timeout=60)
        statuses = [status_of(rt, i) for i in ids]
    output = worker.output
    assert statuses == ["published"] * 3, output
    assert worker.returncode in (0, -signal.SIGTERM), output
    assert "moderate-" in output


def _age_past(rt, cid, seconds: float) -> None:
    """Wait until the comment is older than ``seconds`` (the sweep delay under test)."""
    with rt.session() as session:
        created = session.get(Comment, cid).created_at
    wait_until(lambda: (utcnow() - created).total_seconds() > seconds, timeout=seconds + 5)


def test_a_job_started_by_a_worker_that_died_is_re_enqueued(post, rt, drain):
    """A SIGKILLed worker leaves its job "started" for RQ's ten-minute maintenance."""
    cid = post("my worker will be killed").get_json()["comment"]["id"]
    worker = Worker([rt.queue], connection=rt.redis, serializer=SERIALIZER)
    worker.register_birth()
    job, _queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
    worker.prepare_job_execution(job)  # RQ's own bookkeeping: started, with a heartbeat
    assert job.get_status() == JobStatus.STARTED
    # ...and here the worker is killed: nothing touches the job again.
    # A delay of 3 s: a slow box must not let the fresh heartbeat go stale before the sweep.
    _age_past(rt, cid, 3)
    job.heartbeat(utcnow(), ttl=60)  # while the worker lived, its heartbeat kept the job
    assert sweep_pending(rt, older_than_seconds=3).alive == 1
    wait_until(lambda: (utcnow() - job.last_heartbeat).total_seconds() > 3.2, timeout=10)
    assert sweep_pending(rt, older_than_seconds=3).enqueued == [cid]
    drain()
    assert status_of(rt, cid) == "published"


def test_a_retry_no_scheduler_moves_is_re_enqueued(post, rt, drain):
    """A retry waits for a scheduler; when none runs, the sweeper is the retry."""
    cid = post("my retry is stuck").get_json()["comment"]["id"]
    job = Job.fetch(moderation_job_id(cid), connection=rt.redis, serializer=SERIALIZER)
    # As RQ schedules a retry: into the scheduled registry, due later. Far enough ahead
    # that a slow box cannot make it overdue before the first sweep looks.
    rt.queue.schedule_job(job, utcnow() + timedelta(seconds=30))
    rt.queue.remove(job)
    assert job.get_status() == JobStatus.SCHEDULED
    _age_past(rt, cid, 1)
    assert sweep_pending(rt, older_than_seconds=1).alive == 1  # not overdue yet
    # Time passes and no scheduler moved it: the retry is now overdue by more than the delay.
    rt.queue.schedule_job(job, utcnow() - timedelta(seconds=5))
    registry = ScheduledJobRegistry(queue=rt.queue)
    due = registry.get_scheduled_time(job).replace(tzinfo=UTC)
    assert (utcnow() - due).total_seconds() > 1
    assert sweep_pending(rt, older_than_seconds=1).enqueued == [cid]
    drain()
    assert status_of(rt, cid) == "published"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_sweeper_outlives_a_database_outage(make_app, settings, db_url, postgres_url, caplog):
    app = make_app(settings.overridden(jobs={"sweep_after_seconds": 0}))
    rt = app.extensions["parley"]
    client = app.test_client()
    cid = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/t",
            "body": "swept after the outage",
            "author": {"name": "Ada", "email": "ada@example.com"},
        },
    ).get_json()["comment"]["id"]
    rt.redis.flushdb()  # its job is lost: only the sweeper can bring it back
    outage, admin = database_outage(db_url, postgres_url)
    stop = threading.Event()
    sweeper = threading.Thread(target=sweep_forever, args=(rt, 0.1, stop), daemon=True)
    caplog.set_level(logging.WARNING, logger="worker.sweeper")
    try:
        outage(True)
        sweeper.start()
        assert wait_until(lambda: "unavailable" in caplog.text, timeout=10)
        assert sweeper.is_alive()
    finally:
        outage(False)
    job_id = moderation_job_id(cid)
    assert wait_until(lambda: rt.redis.exists(f"rq:job:{job_id}"), timeout=30), caplog.text
    stop.set()
    sweeper.join(10)
    assert not sweeper.is_alive()
    assert "ada@example.com" not in caplog.text and "Traceback" not in caplog.text
    admin.dispose()


def test_the_worker_outlives_a_redis_restart(site, rt, settings, tmp_path):
    """`parley worker` on its own Redis: the server goes away and comes back on the same port."""
    port = free_port()
    server = start_redis(tmp_path / "redis", port=port, persist=False)
    url = f"redis://127.0.0.1:{port}/0"
    env = worker_env(settings, url)
    own = build_app(settings.overridden(redis_url=url))
    own_rt = own.extensions["parley"]
    try:
        with worker_process(env) as worker:
            assert wait_until(lambda: "Listening on" in worker.output, timeout=60), worker.output
            server.stop()
            # RQ retries a lost connection itself; past that, parley worker reconnects.
            assert wait_until(
                lambda: (
                    "could not connect to Redis" in worker.output
                    or "reconnecting in" in worker.output
                ),
                timeout=30,
            ), worker.output
            assert worker.process.poll() is None
            server = start_redis(tmp_path / "redis", port=port, persist=False)
            cid = (
                own.test_client()
                .post(
                    "/api/v1/comments",
                    json={
                        "site": "demo",
                        "thread": "/t",
                        "body": "after the restart",
                        "author": {"name": "Ada", "email": "ada@example.com"},
                    },
                )
                .get_json()["comment"]["id"]
            )
            assert wait_until(lambda: status_of(rt, cid) != "pending", timeout=60), worker.output
        assert status_of(rt, cid) == "published", worker.output
    finally:
        own_rt.close()
        server.stop()


def test_the_backoff_starts_short_again_after_a_reset():
    waits = Backoff(first=1, most=8)
    assert [waits.next() for _ in range(5)] == [1, 2, 4, 8, 8]
    waits.reset()
    assert [waits.next() for _ in range(2)] == [1, 2]


def test_a_second_redis_outage_is_retried_from_the_short_wait_again(settings, monkeypatch):
    """`parley worker`'s reconnect loop: a first outage reaches long waits; once Redis answered
    and the worker ran, the next outage waits 1 s first again, not where the first one left
    off. The worker class fails as a Redis outage makes it fail; the loop is the real one."""
    import redis
    from click.testing import CliRunner

    from worker import loop
    from worker.cli import worker_command

    script = ["down", "down", "down", "up, then down", "up"]  # what each start meets
    waits: list[float] = []

    class Flaky:
        def __init__(self, *args, **kwargs):
            if script[0] == "down":
                script.pop(0)
                raise redis.ConnectionError("refused")

        def work(self, **kwargs):
            if script.pop(0) == "up, then down":
                raise redis.ConnectionError("gone")

    monkeypatch.setattr(loop, "BatchingWorker", Flaky)
    monkeypatch.setattr("worker.cli.time.sleep", waits.append)
    result = CliRunner(env=worker_env(settings)).invoke(worker_command, [])
    assert result.exit_code == 0, result.output
    assert script == []
    assert waits == [1, 2, 4, 1]


def test_the_worker_runs_its_scheduler_in_a_thread_and_it_moves_retries(post, rt, settings):
    """`parley worker` moves a job whose backoff is over back onto the queue with RQ's
    scheduler run in a thread: no forked copy of the worker (and its models) beside it."""
    cid = post("a retry waiting for its backoff").get_json()["comment"]["id"]
    rt.queue.empty()
    rt.queue.enqueue_in(
        timedelta(seconds=2), "worker.jobs.moderate_comment", cid, job_id=moderation_job_id(cid)
    )
    env = worker_env(settings)
    with worker_process(env) as worker:
        wait_until(lambda: status_of(rt, cid) != "pending", timeout=60)
        pid = worker.process.pid
        children = [
            child for task in Path(f"/proc/{pid}/task").iterdir() for child in _children(task)
        ]
    assert status_of(rt, cid) == "published", worker.output
    assert children == [], worker.output
    assert worker.returncode in (0, -signal.SIGTERM), worker.output
