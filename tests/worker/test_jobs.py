"""The worker's guarantees: idempotent jobs, retries, held-not-published on failure."""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from rq.job import Job
from rq.registry import FailedJobRegistry

from service import enqueue
from service.enqueue import JOBS, MODERATE_JOB, ON_MODERATE_FAILURE, SERIALIZER
from service.models import CheckResultRow, Comment, ModerationEvent, Site
from worker.jobs import moderate_comment


def test_every_job_path_named_by_the_web_process_resolves():
    # Every dotted path the policy module names is listed in JOBS, so none is left out.
    named = {v for k, v in vars(enqueue).items() if k.endswith(("_JOB", "_FAILURE"))}
    assert named == set(JOBS)
    assert {MODERATE_JOB, ON_MODERATE_FAILURE} <= set(JOBS)
    for dotted in JOBS:
        module, name = dotted.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), name)), dotted


def snapshot(rt, cid):
    with rt.session() as session:
        comment = session.get(Comment, cid)
        checks = session.execute(
            sa.select(CheckResultRow.check, CheckResultRow.score, CheckResultRow.reason)
            .where(CheckResultRow.comment_id == cid)
            .order_by(CheckResultRow.check)
        ).all()
        events = session.scalar(
            sa.select(sa.func.count())
            .select_from(ModerationEvent)
            .where(ModerationEvent.comment_id == cid)
        )
        return comment.status, comment.decided_at, checks, events


def test_running_a_job_twice_changes_nothing(post, drain, rt):
    cid = post("Idempotent, please").get_json()["comment"]["id"]
    drain()
    before = snapshot(rt, cid)
    assert before[0] == "published" and before[3] == 1
    assert moderate_comment(cid) == "already published"
    # And through the queue again, as a duplicate delivery would.
    rt.queue.enqueue(MODERATE_JOB, cid)
    drain()
    assert snapshot(rt, cid) == before


def test_second_run_losing_the_race_writes_nothing(post, rt):
    from service.status import Status
    from worker.checks.base import CheckResult
    from worker.decision import Decision
    from worker.outcome import apply_decision

    cid = post("race").get_json()["comment"]["id"]
    with rt.session() as session:
        assert apply_decision(
            session, cid, [CheckResult("a", 0.1, "fine", "1")], Decision(Status.PUBLISHED, "ok")
        )
        session.commit()
    with rt.session() as session:
        assert not apply_decision(
            session, cid, [CheckResult("a", 0.9, "bad", "1")], Decision(Status.SPAM, "x")
        )
        session.commit()
    status, _, checks, events = snapshot(rt, cid)
    assert status == "published" and checks == [("a", 0.1, "fine")] and events == 1


def test_crashing_check_retries_then_holds_with_checks_failed(post, drain, rt):
    with rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        # A broken policy value makes the link check raise: a bug, not spam.
        site.policy = {"max_links": "lots"}
        session.commit()
    cid = post("an innocent comment").get_json()["comment"]["id"]
    drain()
    status, _, checks, _ = snapshot(rt, cid)
    assert status == "held"
    assert [c[0] for c in checks] == ["checks_failed"]
    assert "ValueError" in checks[0][2]
    with rt.session() as session:
        assert session.get(Comment, cid).status_reason == "checks_failed"
    job = Job.fetch(f"moderate-{cid}", connection=rt.redis, serializer=SERIALIZER)
    assert job.get_status() == "failed"
    assert job.id in FailedJobRegistry(queue=rt.queue)
    # Every retry ran: the configured 3 plus the first attempt.
    assert rt.settings.jobs.retries == 3 and job.retries_left == 0
