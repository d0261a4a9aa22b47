"""The fault suite's stack: a live Parley, its own Redis, the real ``parley worker`` and
``parley sweep`` processes, and a burst of readers posting at it.

The worker and Redis faults run on PostgreSQL, as production does (SQLite is the one-machine
development default; its single writer is exercised by the rest of the suite). Everything runs on
loopback and is bounded: a short sweep delay (``SWEEP_AFTER``) so lost jobs
come back within seconds, and every wait has a timeout.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests
import sqlalchemy as sa

from service.models import Comment, ModerationEvent
from service.runtime import Runtime
from tests.support.apps import SITE_ORIGIN
from tests.support.live_server import serve_wsgi
from tests.support.servers import RestartableRedis

SWEEP_AFTER = 3
DECIDED = {"published", "held", "spam"}
_bodies = itertools.count(1)


@dataclass
class Answer:
    """One HTTP answer to a post, or the transport error that came instead."""

    body: str
    status: int | None = None
    json: dict | None = None
    headers: dict = field(default_factory=dict)
    failure: str | None = None  # a connection reset or timeout: never acceptable

    @property
    def comment_id(self) -> int | None:
        if self.status == 202 and self.json:
            return self.json["comment"]["id"]
        return None


@dataclass
class FaultStack:
    url: str
    rt: Runtime
    env: dict[str, str]
    redis: RestartableRedis

    def post(self, body: str) -> Answer:
        payload = {
            "site": "demo",
            "thread": f"/faults/{hash(body) % 7}",
            "body": body,
            "author": {"name": "Ada", "email": "ada@example.com"},
        }
        answer = Answer(body)
        try:
            response = requests.post(
                f"{self.url}/api/v1/comments",
                json=payload,
                headers={"Origin": SITE_ORIGIN},
                timeout=30,
            )
        except requests.RequestException as error:
            answer.failure = f"{type(error).__name__}: {error}"
            return answer
        answer.status = response.status_code
        answer.headers = dict(response.headers)
        try:
            answer.json = response.json()
        except ValueError:
            answer.json = None
        return answer

    def burst(
        self, count: int, concurrency: int = 4, pace: Callable[[int], None] | None = None
    ) -> tuple[threading.Thread, list[Answer]]:
        """Post ``count`` distinct comments from ``concurrency`` readers in the background;
        ``pace(i)`` runs before the i-th post. Join the thread, then read the answers."""
        answers: list[Answer] = []
        bodies = [f"Burst comment number {next(_bodies)}, thanks." for _ in range(count)]

        def one(i: int) -> Answer:
            if pace:
                pace(i)
            return self.post(bodies[i])

        def run() -> None:
            with ThreadPoolExecutor(concurrency) as pool:
                answers.extend(pool.map(one, range(count)))

        thread = threading.Thread(target=run, name="burst", daemon=True)
        thread.start()
        return thread, answers

    def statuses(self, ids: list[int]) -> dict[int, str]:
        with self.rt.session() as session:
            rows = session.execute(
                sa.select(Comment.id, Comment.status).where(Comment.id.in_(ids))
            ).all()
        return dict(rows)

    def undecided(self, ids: list[int]) -> list[int]:
        found = self.statuses(ids)
        return [i for i in ids if found.get(i) not in DECIDED]

    def decisions_per_comment(self) -> dict[int, int]:
        with self.rt.session() as session:
            rows = session.execute(
                sa.select(ModerationEvent.comment_id, sa.func.count())
                .where(ModerationEvent.action == "decide")
                .group_by(ModerationEvent.comment_id)
            ).all()
        return dict(rows)


def assert_error_shape(answer: Answer) -> None:
    """A refusal is the one error shape, with a 4xx or a 503, never a 500 or a traceback."""
    assert answer.failure is None, answer.failure
    assert answer.status in {429, 503} or 400 <= answer.status < 500, answer
    error = (answer.json or {}).get("error")
    assert error and set(error) >= {"code", "message"}, answer
    assert "Traceback" not in str(answer.json)


@pytest.fixture
def fault_redis(tmp_path) -> Iterator[RestartableRedis]:
    redis = RestartableRedis(tmp_path / "redis")
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def fault_stack(make_app, settings, fault_redis) -> Iterator[FaultStack]:
    configured = settings.overridden(
        redis_url=fault_redis.url,
        # On, so the limiter's Redis goes down with the rest, but far above what the burst sends.
        web={"submit_rate_per_minute": 100_000},
        jobs={"sweep_after_seconds": SWEEP_AFTER, "sweep_interval_seconds": 1},
    )
    app = make_app(configured)
    rt = app.extensions["parley"]
    env = {
        "PARLEY_ENV": "test",
        "PARLEY_SECRET_KEY": configured.secret_key,
        "PARLEY_DATABASE_URL": configured.database_url,
        "PARLEY_REDIS_URL": fault_redis.url,
        "PARLEY_QUEUE": configured.jobs.queue,
        "PARLEY_SWEEP_AFTER": str(SWEEP_AFTER),
        "PARLEY_SWEEP_INTERVAL": "1",
        "PARLEY_JOB_RETRY_INTERVALS": "0",
    }
    with serve_wsgi(app, name="faults") as live:
        yield FaultStack(live.url, rt, env, fault_redis)
