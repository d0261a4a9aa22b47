"""Every RQ job's policy, in one module: dotted paths, job ids, timeouts, TTLs, retries.

The web process names each job by its dotted path and never imports the
worker package; ``tests/worker/test_jobs.py`` imports every path in ``JOBS``.
Nothing here decides *whether* a job is due (that is the use case's, or
``service.notifications.dispatch``'s); callers enqueue from an after-commit
effect (``service.effects``) so a job never names an uncommitted row.
Failing to enqueue is logged and answered with None, never raised: the row
is committed, and the sweeper (or the next status change) catches up.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from rq import Callback, Queue, Retry
from rq.job import Job
from rq.serializers import JSONSerializer

from service.settings import Settings

log = logging.getLogger(__name__)

MODERATE_JOB = "worker.jobs.moderate_comment"
ON_MODERATE_FAILURE = "worker.jobs.on_moderate_failure"
FEEDBACK_JOB = "worker.feedback.moderation_feedback"
FAN_OUT_JOB = "worker.notify.fan_out"
DIGEST_JOB = "worker.notify.send_digest"
REPLY_JOB = "worker.notify.send_reply"
WEBHOOK_JOB = "worker.notify.deliver_webhook"
CDN_PURGE_JOB = "worker.cdn.purge"
ERASE_LINK_JOB = "worker.privacy.send_erase_link"
IMPORT_JOB = "worker.imports.run_import_job"
# Every callable the queue names (the failure callback too).
JOBS = (
    MODERATE_JOB,
    ON_MODERATE_FAILURE,
    FEEDBACK_JOB,
    FAN_OUT_JOB,
    DIGEST_JOB,
    REPLY_JOB,
    WEBHOOK_JOB,
    CDN_PURGE_JOB,
    ERASE_LINK_JOB,
    IMPORT_JOB,
)
SERIALIZER = JSONSerializer

# A result is only read while debugging; RQ's default keeps failures a year,
# and a day is enough to debug.
RESULT_TTL = 600
FAILURE_TTL = 86400


def moderation_job_id(comment_id: int) -> str:
    return f"moderate-{comment_id}"


def make_queue(settings: Settings, connection: redis.Redis) -> Queue:
    return Queue(settings.jobs.queue, connection=connection, serializer=SERIALIZER)


def _retry(settings: Settings) -> Retry | None:
    if not settings.jobs.retries:
        return None
    return Retry(max=settings.jobs.retries, interval=list(settings.jobs.retry_intervals))


def _enqueue(queue: Queue, func: str, *args, delay: float = 0.0, **policy) -> Job | None:
    policy = {"result_ttl": RESULT_TTL, "failure_ttl": FAILURE_TTL, **policy}
    try:
        if delay > 0:
            return queue.enqueue_in(timedelta(seconds=delay), func, *args, **policy)
        return queue.enqueue(func, *args, **policy)
    except (redis.RedisError, OSError) as error:
        log.warning("could not enqueue %s%r: %s", func, args, error)
        return None


def enqueue_moderation(queue: Queue, settings: Settings, comment_id: int) -> Job | None:
    """Run the checks on a committed comment; the sweeper re-enqueues a None."""
    jobs = enqueue_moderations(queue, settings, [comment_id])
    return jobs[0] if jobs else None


def enqueue_moderations(queue: Queue, settings: Settings, comment_ids: list[int]) -> list[Job]:
    """``enqueue_moderation`` for many committed comments in one Redis round trip (RQ's
    ``enqueue_many`` on one pipeline). Nothing on failure (logged): the sweeper
    re-enqueues every one of them."""
    if not comment_ids:
        return []
    retry = _retry(settings)
    datas = [
        Queue.prepare_data(
            MODERATE_JOB,
            args=(comment_id,),
            # One job per comment: the sweeper finds it by this id.
            job_id=moderation_job_id(comment_id),
            timeout=settings.jobs.timeout_seconds,
            result_ttl=3600,
            failure_ttl=FAILURE_TTL,
            retry=retry,
            on_failure=Callback(ON_MODERATE_FAILURE),
        )
        for comment_id in comment_ids
    ]
    try:
        with queue.connection.pipeline() as pipe:
            jobs = queue.enqueue_many(datas, pipeline=pipe)
            pipe.execute()
        return jobs
    except (redis.RedisError, OSError) as error:
        log.warning("could not enqueue %s for %d comments: %s", MODERATE_JOB, len(datas), error)
        return []


def enqueue_feedback(queue: Queue, event_id: int) -> Job | None:
    """Pass a committed moderator decision on (Akismet).

    A None loses only the Akismet report: the labels live in the database.
    """
    return _enqueue(
        queue, FEEDBACK_JOB, event_id, job_timeout=60, retry=Retry(max=3, interval=[10, 60, 300])
    )


def enqueue_fan_out(queue: Queue, settings: Settings, comment_id: int, status: str) -> Job | None:
    """Ask the worker to tell everyone concerned that a comment is now ``status``."""
    return _enqueue(queue, FAN_OUT_JOB, comment_id, status, job_timeout=60, retry=_retry(settings))


def enqueue_digest(
    queue: Queue, settings: Settings, site_id: int, delay: float = 0.0
) -> Job | None:
    """The site's moderator digest, in ``delay`` seconds (needs the worker's scheduler)."""
    return _enqueue(
        queue, DIGEST_JOB, site_id, delay=delay, job_timeout=120, retry=_retry(settings)
    )


def enqueue_reply(queue: Queue, settings: Settings, notice_id: int) -> Job | None:
    return _enqueue(queue, REPLY_JOB, notice_id, job_timeout=60, retry=_retry(settings))


def enqueue_webhook(
    queue: Queue, settings: Settings, webhook_id: int, event: str, comment_id: int
) -> Job | None:
    intervals = list(settings.webhooks.retry_intervals)
    return _enqueue(
        queue,
        WEBHOOK_JOB,
        webhook_id,
        event,
        comment_id,
        job_timeout=int(settings.webhooks.timeout_seconds) + 30,
        retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
    )


def enqueue_cdn_purge(queue: Queue, settings: Settings, keys: list[str]) -> Job | None:
    """Ask the CDN in front of the public reads to drop these surrogate keys (a thread changed).

    A None only leaves the CDN's copy until its s-maxage (``PARLEY_CDN_MAX_AGE``) runs out.
    """
    return _enqueue(
        queue,
        CDN_PURGE_JOB,
        keys,
        job_timeout=int(settings.webhooks.timeout_seconds) + 30,
        retry=Retry(max=3, interval=[1, 5, 30]),
    )


def enqueue_erase_link(queue: Queue, settings: Settings, site_id: int, email: str) -> Job | None:
    """Mail a guest the link that confirms erasing their data (if they wrote anything)."""
    return _enqueue(queue, ERASE_LINK_JOB, site_id, email, job_timeout=60, retry=_retry(settings))


def enqueue_import(queue: Queue, settings: Settings, import_id: int) -> Job | None:
    """Run an uploaded import. Not retried: a failed import says why in its row, and running
    it again is the owner's call (it resumes: nothing is imported twice)."""
    return _enqueue(
        queue, IMPORT_JOB, import_id, job_id=f"import-{import_id}", job_timeout=3600, retry=None
    )
