"""SIGKILL of the work-horse, then of the whole worker, during a burst: nothing is lost and
nothing is decided twice (issue 12)."""

from __future__ import annotations

import time

import pytest

from tests.faults.conftest import SWEEP_AFTER
from tests.support.processes import children, descendants, group_leader, kill
from tests.support.waiting import wait_until
from tests.support.workers import sweeper_process, worker_process

# Sized, like the pace below, to what one forking worker decides on a busy two-core machine
# (3 to 5 comments a second), so that what the bound measures is recovery, not a backlog.
POSTS = 60
HORSE_DIED = "terminated unexpectedly"  # RQ's line for a work-horse that died mid-job


def _horse_of(worker_pid: int) -> int | None:
    # The worker forks one work-horse per job, in its own process group; the scheduler does not.
    horses = [pid for pid in children(worker_pid) if group_leader(pid)]
    return horses[0] if horses else None


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_killed_work_horse_and_worker_lose_no_comment_and_decide_none_twice(fault_stack):
    stack = fault_stack
    with sweeper_process(stack.env, every=1) as sweeper:
        # RQ's forking worker (`parley worker --fork`): the one with work-horses to kill.
        with worker_process(stack.env, options=("--fork",)) as worker:
            pid = worker.process.pid
            assert wait_until(lambda: "Listening on" in worker.output, timeout=60), worker.output
            burst, answers = stack.burst(POSTS, concurrency=2, pace=lambda i: time.sleep(0.6))

            # The work-horse, killed in the middle of a job (until RQ says it was).
            deadline = time.monotonic() + 15
            while HORSE_DIED not in worker.output and time.monotonic() < deadline:
                horse = wait_until(lambda: _horse_of(pid), timeout=5, interval=0.005)
                if horse:
                    kill([horse])
                time.sleep(0.3)
            assert HORSE_DIED in worker.output, worker.output[-3000:]

            # Then the worker itself with everything it runs (its next horse, its scheduler),
            # as when its machine goes: a job is left "started" with nobody running it.
            assert wait_until(lambda: _horse_of(pid), timeout=10, interval=0.005)
            kill([pid, *descendants(pid)])
            assert worker.process.wait(10) == -9
        assert burst.is_alive()  # the readers never stopped posting

        with worker_process(stack.env) as again:  # restarted, as a supervisor would
            # Its start (models and all) is not the recovery under test: a loaded box is slow.
            assert wait_until(lambda: "Listening on" in again.output, timeout=60), again.output
            burst.join(60)
            assert not burst.is_alive()
            assert [a for a in answers if a.status != 202] == []
            ids = [a.comment_id for a in answers]
            assert len(set(ids)) == POSTS
            ended = time.monotonic()
            # Generous for a loaded box, yet far short of RQ's own ten-minute maintenance:
            # only the sweeper can have given the stale jobs back this soon.
            wait_until(lambda: not stack.undecided(ids), timeout=SWEEP_AFTER + 60, interval=0.2)
            took = time.monotonic() - ended
            undecided = stack.undecided(ids)
            assert undecided == [], (took, again.output[-3000:], sweeper.output[-3000:])
            assert took < SWEEP_AFTER + 60
        assert sweeper.process.poll() is None, sweeper.output[-3000:]

    decisions = stack.decisions_per_comment()
    assert {i: decisions.get(i, 0) for i in ids if decisions.get(i, 0) != 1} == {}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_killed_batching_worker_loses_no_comment_and_decides_none_twice(fault_stack):
    """`parley worker` (batches, no fork) SIGKILLed while it decides: the jobs it had
    claimed go stale and the sweeper gives them to the restarted worker."""
    stack = fault_stack
    with sweeper_process(stack.env, every=1) as sweeper:
        with worker_process(stack.env) as worker:
            pid = worker.process.pid
            assert wait_until(lambda: "Listening on" in worker.output, timeout=60), worker.output
            # Paced to last ~20 s: still posting when the worker is killed, however slowly a
            # loaded box decides the first five.
            burst, answers = stack.burst(POSTS, concurrency=2, pace=lambda i: time.sleep(0.3))
            # Killed once it is deciding (some decided, the burst still going).
            assert wait_until(
                lambda: len(stack.decisions_per_comment()) >= 5, timeout=60, interval=0.05
            )
            kill([pid, *descendants(pid)])
            assert worker.process.wait(10) == -9
        assert burst.is_alive()  # the readers never stopped posting

        with worker_process(stack.env) as again:  # restarted, as a supervisor would
            # Its start (models and all) is not the recovery under test: a loaded box is slow.
            assert wait_until(lambda: "Listening on" in again.output, timeout=60), again.output
            burst.join(60)
            assert not burst.is_alive()
            assert [a for a in answers if a.status != 202] == []
            ids = [a.comment_id for a in answers]
            assert len(set(ids)) == POSTS
            wait_until(lambda: not stack.undecided(ids), timeout=SWEEP_AFTER + 60, interval=0.2)
            undecided = stack.undecided(ids)
            assert undecided == [], (again.output[-3000:], sweeper.output[-3000:])
        assert sweeper.process.poll() is None, sweeper.output[-3000:]

    decisions = stack.decisions_per_comment()
    assert {i: decisions.get(i, 0) for i in ids if decisions.get(i, 0) != 1} == {}
