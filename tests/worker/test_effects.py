"""The side-effect rule: effects registered with a session run after its commit, never before,
never after a rollback, and a failing one never undoes or fails the commit."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from rq.job import Job
from sqlalchemy.orm import Session

from service.access import Actor
from service.comments.schemas import CommentIn
from service.comments.submit import Submitter, submit_comment
from service.effects import after_commit
from service.enqueue import SERIALIZER, moderation_job_id
from service.events import thread_channel
from service.models import Comment, ModerationEvent, Site
from service.moderation.actions import apply_action
from service.runtime import Runtime
from tests.support.live_server import free_port

GUEST = Submitter(ip="127.0.0.1", user_agent="pytest", identity=None)


def comment_in(body: str = "A comment for the effect tests") -> CommentIn:
    return CommentIn.model_validate(
        {
            "site": "demo",
            "thread": "/effects",
            "body": body,
            "author": {"name": "Ada", "email": "ada@example.com"},
        }
    )


def queued_job(rt: Runtime, comment_id: int) -> Job | None:
    return Job.fetch_many([moderation_job_id(comment_id)], rt.redis, serializer=SERIALIZER)[0]


def committed(rt: Runtime, comment_id: int) -> bool:
    with rt.session() as other:
        return other.get(Comment, comment_id) is not None


def test_the_job_is_enqueued_only_after_the_commit(rt, site):
    seen_at_enqueue = []
    with rt.session() as session:
        comment = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST)
        cid = comment.id
        # Flushed, not committed: nothing on the queue, nothing another session can see.
        assert rt.queue.count == 0 and queued_job(rt, cid) is None
        assert not committed(rt, cid)
        # Runs after the enqueue (effects run in the order they were registered).
        after_commit(session, lambda: seen_at_enqueue.append(committed(rt, cid)))
        session.commit()
    job = queued_job(rt, cid)
    assert job is not None and job.args == [cid] and rt.queue.count == 1
    # By the time the job was on the queue, the row was there for a worker to read.
    assert seen_at_enqueue == [True]


def test_a_rolled_back_transaction_enqueues_nothing(rt, site):
    with rt.session() as session:
        cid = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST).id
        session.rollback()
        # The next transaction on the same session does not inherit the dropped effect.
        session.get(Site, site.id)
        session.commit()
    with rt.session() as session:
        # A session closed without a commit rolls back too.
        dropped = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST).id
    assert rt.queue.count == 0
    assert queued_job(rt, cid) is None and queued_job(rt, dropped) is None
    assert not committed(rt, cid) and not committed(rt, dropped)


def test_releasing_a_savepoint_runs_nothing(rt, site):
    with rt.session() as session:
        cid = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST).id
        with session.begin_nested():
            session.get(Site, site.id)
        assert queued_job(rt, cid) is None
        session.commit()
    assert queued_job(rt, cid) is not None


def test_a_failing_effect_neither_raises_nor_stops_the_others(rt, site):
    def fails():
        raise RuntimeError("an effect that breaks")

    with rt.session() as session:
        after_commit(session, fails)
        cid = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST).id
        session.commit()  # does not raise
    assert committed(rt, cid)
    assert queued_job(rt, cid) is not None


def test_redis_down_at_commit_keeps_the_row_for_the_sweeper(settings, site):
    down = Runtime.build(replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    try:
        with down.session() as session:
            comment = submit_comment(down, session, session.get(Site, site.id), comment_in(), GUEST)
            session.commit()  # the enqueue fails after the commit; it does not raise
        with down.session() as session:
            assert session.get(Comment, comment.id).status == "pending"
    finally:
        down.close()


def test_a_session_the_runtime_did_not_open_refuses_effects(rt):
    with Session(rt.engine) as session, pytest.raises(RuntimeError, match="Runtime.session"):
        after_commit(session, lambda: None)


def moderator(site_id: int) -> Actor:
    return Actor(
        label="test:mod",
        role="moderator",
        site_ids=frozenset({site_id}),
        owned_site_ids=frozenset(),
    )


def held_comment(rt: Runtime, site: Site) -> Comment:
    with rt.session() as session:
        comment = submit_comment(rt, session, session.get(Site, site.id), comment_in(), GUEST)
        comment.status = "held"
        session.commit()
    rt.queue.empty()
    return comment


def test_a_moderator_action_is_announced_after_commit_and_not_after_rollback(app, rt, site):
    comment = held_comment(rt, site)
    pubsub = rt.redis.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(thread_channel(comment.thread_id))
    try:
        with app.app_context(), rt.session() as session:
            row = session.get(Comment, comment.id)
            apply_action(session, row, "approve", moderator(site.id), site.id)
            session.rollback()
        assert pubsub.get_message(timeout=0.5) is None
        assert rt.queue.count == 0  # no feedback job for an action that did not happen

        with app.app_context(), rt.session() as session:
            row = session.get(Comment, comment.id)
            apply_action(session, row, "approve", moderator(site.id), site.id)
            assert pubsub.get_message(timeout=0.2) is None  # not before the commit
            session.commit()
            event_id = session.scalar(
                sa.select(ModerationEvent.id).where(ModerationEvent.comment_id == comment.id)
            )
        message = pubsub.get_message(timeout=30)
        assert message is not None and b'"published"' in message["data"]
        assert [job.args for job in rt.queue.jobs] == [[event_id]]  # the feedback job
    finally:
        pubsub.close()
