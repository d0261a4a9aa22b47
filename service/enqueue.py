"""Putting a comment on the queue. Every RQ policy is set here, at one call site.

The web process names the job by its dotted path and never imports the
worker package; ``tests/worker/test_enqueue.py`` checks the path resolves.
"""

from __future__ import annotations

import logging

import redis
import sqlalchemy as sa
from rq import Callback, Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy.orm import Session

from service.settings import Settings

log = logging.getLogger(__name__)

MODERATE_JOB = "worker.jobs.moderate_comment"
ON_MODERATE_FAILURE = "worker.jobs.on_moderate_failure"
FEEDBACK_JOB = "worker.feedback.moderation_feedback"
SERIALIZER = JSONSerializer


def moderation_job_id(comment_id: int) -> str:
    return f"moderate-{comment_id}"


def make_queue(settings: Settings, connection: redis.Redis) -> Queue:
    return Queue(settings.queue_name, connection=connection, serializer=SERIALIZER)


def enqueue_moderation(queue: Queue, settings: Settings, comment_id: int) -> Job | None:
    """Enqueue the checks for a committed comment; None if Redis is unreachable.

    Failing to enqueue is not an error for the caller: the row is already
    committed as pending and the sweeper will enqueue it later.
    """
    retry = None
    if settings.job_retries:
        retry = Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))
    try:
        return queue.enqueue(
            MODERATE_JOB,
            comment_id,
            job_id=moderation_job_id(comment_id),
            job_timeout=settings.job_timeout_seconds,
            result_ttl=3600,
            # RQ's default keeps failures a year; a day is enough to debug.
            failure_ttl=86400,
            retry=retry,
            on_failure=Callback(ON_MODERATE_FAILURE),
        )
    except (redis.RedisError, OSError) as error:
        log.warning("could not enqueue comment %s (sweeper will retry): %s", comment_id, error)
        return None


def enqueue_feedback_after_commit(session: Session, queue: Queue, event_id: int) -> None:
    """Queue the moderator-feedback job for an audit row once it is committed.

    The job reads the row, so it must not run before the commit; a rolled-back
    action leaves an id the job finds missing and ignores.
    """
    pending = session.info.setdefault("parley_feedback_events", [])
    if not pending:
        sa.event.listen(session, "after_commit", lambda s: _enqueue_feedback(s, queue), once=True)
    pending.append(event_id)


def _enqueue_feedback(session: Session, queue: Queue) -> None:
    for event_id in session.info.pop("parley_feedback_events", []):
        try:
            queue.enqueue(
                FEEDBACK_JOB,
                event_id,
                job_timeout=60,
                result_ttl=600,
                failure_ttl=86400,
                retry=Retry(max=3, interval=[10, 60, 300]),
            )
        except (redis.RedisError, OSError) as error:
            # Labels live in the database anyway; only the Akismet report is lost.
            log.warning("could not enqueue feedback for event %s: %s", event_id, error)
