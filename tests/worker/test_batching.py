"""The worker `parley worker` runs: moderation jobs in batches, in one process, with the
guarantees of one job per comment (idempotent, time limit, retries then hold, crash recovery)."""

from __future__ import annotations

import time

import pytest
import redis
import sqlalchemy as sa
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry

from service.enqueue import MODERATE_JOB, SERIALIZER, moderation_job_id
from service.models import CheckResultRow, Comment, ModerationEvent
from service.status import Status
from tests.support.workers import drain_batched
from worker import batch as batch_module
from worker import jobs as jobs_module
from worker.loop import BatchingWorker
from worker.sweeper import sweep_pending

DECIDED = {"published", "held", "spam"}


def _decisions(rt, ids) -> dict[int, int]:
    with rt.session() as session:
        rows = session.execute(
            sa.select(ModerationEvent.comment_id, sa.func.count())
            .where(ModerationEvent.comment_id.in_(ids), ModerationEvent.action == "decide")
            .group_by(ModerationEvent.comment_id)
        ).all()
    return dict(rows)


def _statuses(rt, ids) -> list[str]:
    with rt.session() as session:
        return [session.get(Comment, i).status for i in ids]


def _job(rt, cid) -> Job:
    return Job.fetch(moderation_job_id(cid), connection=rt.redis, serializer=SERIALIZER)


def test_a_batch_decides_every_comment_once_and_finishes_every_job(post, rt):
    ids = [
        post(f"Thanks for part {i} of the series.").get_json()["comment"]["id"] for i in range(7)
    ]
    drain_batched(rt, batch_size=3)  # three batches: 3, 3, 1
    # Decided by the checks (the flood check may hold the later ones of one author).
    assert set(_statuses(rt, ids)) <= DECIDED and _statuses(rt, ids)[0] == "published"
    assert _decisions(rt, ids) == {i: 1 for i in ids}
    with rt.session() as session:
        checked = session.scalar(
            sa.select(sa.func.count(sa.distinct(CheckResultRow.comment_id))).where(
                CheckResultRow.comment_id.in_(ids)
            )
        )
    assert checked == 7
    assert {_job(rt, i).get_status() for i in ids} == {JobStatus.FINISHED}
    assert rt.queue.count == 0


def test_a_duplicate_delivery_and_an_already_decided_comment_change_nothing(post, rt):
    ids = [
        post(f"Duplicate delivery {i}, nice post.").get_json()["comment"]["id"] for i in range(3)
    ]
    drain_batched(rt)
    with rt.session() as session:
        before = session.execute(
            sa.select(Comment.id, Comment.status, Comment.decided_at).where(Comment.id.in_(ids))
        ).all()
    for cid in ids:  # delivered again, as a duplicate or a sweeper's re-enqueue would
        rt.queue.enqueue(MODERATE_JOB, cid, job_id=moderation_job_id(cid))
    drain_batched(rt)
    with rt.session() as session:
        after = session.execute(
            sa.select(Comment.id, Comment.status, Comment.decided_at).where(Comment.id.in_(ids))
        ).all()
    assert after == before
    assert _decisions(rt, ids) == {i: 1 for i in ids}


def test_other_jobs_between_moderation_jobs_run_as_rq_runs_them(post, rt):
    first = post("Before the other job, thanks.").get_json()["comment"]["id"]
    other = rt.queue.enqueue("worker.jobs.hold_after_failure", 999_999, "no such comment")
    second = post("After the other job, thanks.").get_json()["comment"]["id"]
    drain_batched(rt)
    assert _statuses(rt, [first, second]) == ["published", "published"]
    assert other.get_status(refresh=True) == JobStatus.FINISHED
    assert other.return_value() is False


def test_checks_that_overrun_the_time_limit_are_retried_then_held(post, rt, monkeypatch):
    slow_id = post("A comment whose checks hang.").get_json()["comment"]["id"]
    fine_id = post("A comment whose checks are quick.").get_json()["comment"]["id"]
    real = batch_module.run_checks

    def hanging(facts, ctx, checks=None):
        if facts.id == slow_id:
            time.sleep(30)  # a hung call out: only the time limit ends it
        return real(facts, ctx, checks)

    monkeypatch.setattr(batch_module, "run_checks", hanging)
    monkeypatch.setattr(jobs_module, "run_checks", hanging)
    # A one-second limit, as PARLEY_JOB_TIMEOUT would set it (the job carries its own too).
    monkeypatch.setattr(
        rt, "settings", rt.settings.overridden(jobs={"timeout_seconds": 1, "retry_intervals": (0,)})
    )
    job = _job(rt, slow_id)
    job.timeout = 1
    job.save()
    started = time.monotonic()
    drain_batched(rt)
    # The batch's attempt plus RQ's first try and its three retries, a second each.
    assert time.monotonic() - started < 20
    assert _statuses(rt, [slow_id, fine_id]) == [Status.HELD, Status.PUBLISHED]
    with rt.session() as session:
        checks = session.execute(
            sa.select(CheckResultRow.check, CheckResultRow.reason).where(
                CheckResultRow.comment_id == slow_id
            )
        ).all()
    assert [c for c, _ in checks] == ["checks_failed"]
    assert "JobTimeoutException" in checks[0][1]
    assert _job(rt, slow_id).id in FailedJobRegistry(queue=rt.queue)
    assert _decisions(rt, [slow_id, fine_id]) == {slow_id: 1, fine_id: 1}


def test_a_crashing_check_in_a_batch_holds_only_its_own_comment(post, rt, monkeypatch):
    bad_id = post("The check breaks on me.").get_json()["comment"]["id"]
    good_id = post("And I am fine, thanks.").get_json()["comment"]["id"]
    real = batch_module.run_checks

    def broken(facts, ctx, checks=None):
        if facts.id == bad_id:
            raise ValueError("a bug in a check")
        return real(facts, ctx, checks)

    monkeypatch.setattr(batch_module, "run_checks", broken)
    monkeypatch.setattr(jobs_module, "run_checks", broken)
    drain_batched(rt)
    assert _statuses(rt, [bad_id, good_id]) == [Status.HELD, Status.PUBLISHED]
    assert _decisions(rt, [bad_id, good_id]) == {bad_id: 1, good_id: 1}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_jobs_claimed_by_a_worker_that_died_are_re_enqueued_by_the_sweeper(post, rt):
    ids = [post(f"Claimed, then my worker died {i}.").get_json()["comment"]["id"] for i in range(4)]
    worker = BatchingWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER)
    job, queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
    # The claim alone, as a worker SIGKILLed right after it would leave it.
    claimed = worker._claim(
        keys=[queue.key, queue.intermediate_queue_key, worker.key],
        args=[
            job.id,
            10,
            Job.redis_job_namespace_prefix,
            "moderate-",
            "2026-01-01T00:00:00.000000Z",
            "w",
        ],
    )
    assert len(claimed) == 4 and rt.queue.count == 0
    assert {_job(rt, i).get_status() for i in ids} == {JobStatus.STARTED}
    # Nobody heartbeats them any more: once stale, the sweeper gives them back.
    report = sweep_pending(rt, older_than_seconds=0)
    assert sorted(report.enqueued) == sorted(ids)
    drain_batched(rt)
    assert set(_statuses(rt, ids)) <= DECIDED
    assert _decisions(rt, ids) == {i: 1 for i in ids}


def test_a_job_dequeued_by_a_worker_that_died_before_starting_it_is_re_enqueued(post, rt):
    cid = post("Dequeued, then my worker died.").get_json()["comment"]["id"]
    worker = BatchingWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER)
    job, _queue = worker.dequeue_job_and_maintain_ttl(timeout=1)  # into RQ's intermediate list
    assert job.get_status() == JobStatus.QUEUED and rt.queue.count == 0
    # Killed here: the job says "queued", yet no queue holds it.
    assert sweep_pending(rt, older_than_seconds=0).enqueued == [cid]
    drain_batched(rt)
    assert _statuses(rt, [cid]) == ["published"]
    assert _decisions(rt, [cid]) == {cid: 1}


def test_batches_of_one_pay_few_redis_round_trips_and_keep_the_workers_state(post, rt):
    """RQ's loop wrote the heartbeat (HSET, then EXPIRE) twice and the state three times per
    job: 13 round trips for a batch of one. The batching worker writes the heartbeat at most
    once a second and a state when it changes (busy with the claim, idle with the finished
    jobs): the dequeue, the job's fetch, the claim and the finish."""
    conn = redis.Redis(connection_pool=redis.ConnectionPool.from_url(rt.settings.redis_url))
    round_trips = []
    get_connection = conn.connection_pool.get_connection

    def counted(*args, **kwargs):
        round_trips.append(1)
        return get_connection(*args, **kwargs)

    conn.connection_pool.get_connection = counted
    worker = BatchingWorker([rt.queue], connection=conn, serializer=SERIALIZER, batch_size=1)
    worker.heartbeat_every = 3600  # a slow box must not make the count depend on its speed
    worker.register_birth()
    ids = [post(f"One at a time, comment {i}.").get_json()["comment"]["id"] for i in range(5)]
    states = []
    real_checks = batch_module.run_checks

    def watching(facts, ctx, checks=None):
        states.append(rt.redis.hget(worker.key, "state"))
        return real_checks(facts, ctx, checks)

    batch_module.run_checks = watching
    worker.heartbeat()  # within a second of its birth: not written
    round_trips.clear()
    try:
        for _ in ids:
            job, queue = worker.dequeue_job_and_maintain_ttl(timeout=1)
            worker.execute_job(job, queue)
            worker.heartbeat()
    finally:
        batch_module.run_checks = real_checks
    assert set(_statuses(rt, ids)) <= DECIDED
    assert states == [b"busy"] * 5  # Redis says busy while a batch runs
    assert rt.redis.hget(worker.key, "state") == b"idle"
    # Dequeue, fetch, claim, finish a job; once: the claim script's load, RQ's version
    # check, its registries' cleaning, the first state, a heartbeat if a second went by.
    assert 4 * 5 <= len(round_trips) <= 4 * 5 + 6
    worker.register_death()
