"""Redis SIGKILLed during posts and started again on the same port, empty (issue 12): every
answer is a 202 or the error shape, every 202 has its row, everything is decided afterwards, and
the worker and the sweeper outlive it."""

from __future__ import annotations

import signal
import time

import pytest
import sqlalchemy as sa

from service.models import Comment
from tests.faults.conftest import SWEEP_AFTER, assert_error_shape
from tests.support.waiting import wait_until
from tests.support.workers import sweeper_process, worker_process

POSTS = 120


def _stored(stack) -> int:
    with stack.rt.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Comment))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_redis_killed_and_restarted_during_posts(fault_stack):
    stack = fault_stack
    with sweeper_process(stack.env, every=1) as sweeper, worker_process(stack.env) as worker:
        assert wait_until(lambda: "Listening on" in worker.output, timeout=60), worker.output
        burst, answers = stack.burst(POSTS, concurrency=2, pace=lambda i: time.sleep(0.25))
        assert wait_until(lambda: _stored(stack) >= POSTS // 3, timeout=30)
        stack.redis.kill()
        killed_at = _stored(stack)
        assert wait_until(lambda: _stored(stack) >= killed_at + 20, timeout=30)  # posts go on
        stack.redis.start()
        burst.join(60)
        assert not burst.is_alive()

        refused = [a for a in answers if a.status != 202]
        for answer in refused:
            assert_error_shape(answer)
        accepted = [a for a in answers if a.status == 202]
        assert len(accepted) + len(refused) == POSTS
        ids = [a.comment_id for a in accepted]
        stored = stack.statuses(ids)
        assert sorted(stored) == sorted(ids)  # every 202 has its row

        wait_until(lambda: not stack.undecided(ids), timeout=SWEEP_AFTER + 90, interval=0.2)
        assert stack.undecided(ids) == [], (worker.output[-3000:], sweeper.output[-3000:])
        # Both reconnected by themselves: neither exited.
        assert worker.process.poll() is None, worker.output[-3000:]
        assert sweeper.process.poll() is None, sweeper.output[-3000:]
    decisions = stack.decisions_per_comment()
    assert {i: decisions.get(i, 0) for i in ids if decisions.get(i, 0) != 1} == {}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("stop", "waiting"),
    [
        (signal.SIGTERM, "could not connect"),  # RQ's worker retries its dequeue
        (signal.SIGINT, "could not connect"),
        (signal.SIGTERM, "reconnecting in"),  # down from the start: ``parley worker``'s loop
    ],
    ids=["SIGTERM-in-rq", "SIGINT-in-rq", "SIGTERM-between-attempts"],
)
def test_a_worker_stopped_while_redis_is_down_exits_at_once(fault_stack, stop, waiting):
    """``docker stop`` during a Redis outage: RQ's warm shutdown asks Redis whether a job runs,
    fails, and the worker must not take that for the outage and wait on (then be SIGKILLed)."""
    stack = fault_stack
    if waiting == "reconnecting in":
        stack.redis.kill()
    with worker_process(stack.env, stop_timeout=20) as worker:
        if waiting == "could not connect":
            assert wait_until(lambda: "Listening on" in worker.output, timeout=60), worker.output
            stack.redis.kill()
        # The worker noticed: it is waiting for Redis to come back.
        assert wait_until(lambda: waiting in worker.output, timeout=60), worker.output
        worker.process.send_signal(stop)
        started = time.monotonic()
        returncode = worker.process.wait(timeout=15)
        assert returncode == 0, worker.output[-4000:]
        assert time.monotonic() - started < 10
