"""Every RQ policy of the notification jobs, at one call site.

The web process and the moderation worker call these after they commit a
status change; the jobs themselves live in ``worker.notify`` and are named by
dotted path (the service never imports the worker). Failing to enqueue is
logged, never raised: a status change must not fail because Redis blinked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import timedelta

import redis
import sqlalchemy as sa
from rq import Queue, Retry
from rq.job import Job

from service.events import announce_decision
from service.models import Thread, Webhook
from service.notifications.config import notification_settings
from service.settings import Settings

log = logging.getLogger(__name__)

FAN_OUT_JOB = "worker.notify.fan_out"
DIGEST_JOB = "worker.notify.send_digest"
REPLY_JOB = "worker.notify.send_reply"
WEBHOOK_JOB = "worker.notify.deliver_webhook"
JOBS = (FAN_OUT_JOB, DIGEST_JOB, REPLY_JOB, WEBHOOK_JOB)

# The statuses that notify anyone, and the webhook event each one is.
EVENTS = {"published": "comment.published", "held": "comment.held", "spam": "comment.spam"}


def _retry(settings: Settings) -> Retry | None:
    if not settings.job_retries:
        return None
    return Retry(max=settings.job_retries, interval=list(settings.job_retry_intervals))


def _enqueue(queue: Queue, func: str, *args, **policy) -> Job | None:
    try:
        return queue.enqueue(func, *args, result_ttl=600, failure_ttl=86400, **policy)
    except (redis.RedisError, OSError) as error:
        log.warning("could not enqueue %s%r: %s", func, args, error)
        return None


def enqueue_fan_out(queue: Queue, settings: Settings, comment_id: int, status: str) -> Job | None:
    """Ask the worker to tell everyone concerned that a comment is now ``status``."""
    if status not in EVENTS:
        return None
    return _enqueue(queue, FAN_OUT_JOB, comment_id, status, job_timeout=60, retry=_retry(settings))


def announce_changes(rt, changes: Iterable[tuple[int, int, str]]) -> None:
    """After a commit: wake waiting readers and fan out notifications.

    ``changes`` are (comment id, thread id, new status) of comments that moved.
    """
    changes = list(changes)
    listening = _threads_with_listeners(rt, {thread_id for _, thread_id, _ in changes})
    for comment_id, thread_id, status in changes:
        announce_decision(rt.redis, comment_id, thread_id, status)
        if thread_id in listening:
            enqueue_fan_out(rt.queue, rt.settings, comment_id, status)


def _threads_with_listeners(rt, thread_ids: set[int]) -> set[int]:
    """The threads whose status changes anyone could hear about.

    With mail on, every one (moderator digests, reply mail); without it only
    sites with webhooks. Skipping the rest saves a worker job per decision.
    """
    if notification_settings(rt.settings).mail_enabled or not thread_ids:
        return thread_ids
    with rt.session() as session:
        return set(
            session.scalars(
                sa.select(Thread.id).where(
                    Thread.id.in_(thread_ids),
                    sa.exists().where(Webhook.site_id == Thread.site_id),
                )
            )
        )


def digest_keys(site_id: int) -> tuple[str, str]:
    prefix = f"parley:mail-digest:{site_id}"
    return f"{prefix}:due", f"{prefix}:last"


def request_digest(queue: Queue, settings: Settings, site_id: int) -> Job | None:
    """Make sure one digest job for the site is on its way; None if one already is.

    A flag (SET NX) says a digest is due; the digest job clears it before it
    reads the outbox, so a notice written after that asks for the next one.
    The first digest goes at once; the next waits until ``digest_window``
    after the previous one, which is what batches a spam wave.
    """
    ns = notification_settings(settings)
    conn = queue.connection
    due, last = digest_keys(site_id)
    window = ns.digest_window_seconds
    policy = dict(job_timeout=120, result_ttl=600, failure_ttl=86400, retry=_retry(settings))
    try:
        # Expires on its own, in case the job it announces is lost with Redis.
        if not conn.set(due, "1", nx=True, ex=window + settings.job_timeout_seconds + 600):
            return None
        previous = conn.get(last)
        delay = max(0.0, float(previous) + window - time.time()) if previous else 0.0
        if delay > 0:
            return queue.enqueue_in(timedelta(seconds=delay), DIGEST_JOB, site_id, **policy)
        return queue.enqueue(DIGEST_JOB, site_id, **policy)
    except (redis.RedisError, OSError) as error:
        log.warning("could not request a digest for site %s: %s", site_id, error)
        try:
            conn.delete(due)
        except (redis.RedisError, OSError):
            pass  # it expires on its own
        return None


def enqueue_reply(queue: Queue, settings: Settings, notice_id: int) -> Job | None:
    return _enqueue(queue, REPLY_JOB, notice_id, job_timeout=60, retry=_retry(settings))


def enqueue_webhook(
    queue: Queue, settings: Settings, webhook_id: int, event: str, comment_id: int
) -> Job | None:
    ns = notification_settings(settings)
    intervals = list(ns.webhook_retry_intervals)
    retry = Retry(max=len(intervals), interval=intervals) if intervals else None
    return _enqueue(
        queue,
        WEBHOOK_JOB,
        webhook_id,
        event,
        comment_id,
        job_timeout=int(ns.webhook_timeout_seconds) + 30,
        retry=retry,
    )
