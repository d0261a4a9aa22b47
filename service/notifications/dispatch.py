"""Who hears about a status change: waiting readers, and the notification fan-out.

A use case that moves a comment calls ``announce_after_commit``; once the
transaction commits (``service.effects``) every change it made is announced
together. The decisions live here (which statuses notify anyone, which
threads have listeners, whether a digest is already due); every RQ policy is
in ``service.enqueue``. Failing to announce is logged, never raised: a status
change must not fail because Redis blinked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from functools import partial

import redis
import sqlalchemy as sa
from rq import Queue
from rq.job import Job
from sqlalchemy.orm import Session

from service.comments.freshness import invalidate_thread_ids, invalidate_threads_by_key
from service.effects import after_commit, after_commit_batch
from service.enqueue import enqueue_digest, enqueue_fan_out
from service.events import announce_decisions
from service.models import Thread, Webhook
from service.settings import Settings
from service.status import Status

log = logging.getLogger(__name__)

# The statuses that notify anyone, and the webhook event each one is.
EVENTS = {"published": "comment.published", "held": "comment.held", "spam": "comment.spam"}


def announce_after_commit(
    session: Session,
    rt,
    comment_id: int,
    thread_id: int,
    status: str,
    *,
    was: str | None = None,
) -> None:
    """Once the session commits, announce that the comment is now ``status``. ``was``: the
    status the compare-and-set moved it from; a comment that leaves ``published`` is
    announced as gone, and the thread's open widgets drop it."""
    gone = was == Status.PUBLISHED and status != Status.PUBLISHED
    after_commit_batch(
        session,
        announce_changes,
        partial(announce_changes, rt),
        (comment_id, thread_id, status, gone),
    )


def announce_changes(rt, changes: Iterable[tuple[int, int, str, bool]]) -> None:
    """Wake waiting readers and fan out notifications about committed changes.

    ``changes`` are (comment id, thread id, new status, whether it left the published page)
    of comments that moved.
    """
    changes = list(changes)
    gone = {comment_id for comment_id, _, _, left in changes if left}
    moved = [(comment_id, thread_id, status) for comment_id, thread_id, status, _ in changes]
    # Cached reads of these threads go first: a reader woken below must not read the old page.
    invalidate_thread_ids(rt, {thread_id for _, thread_id, _ in moved})
    listening = _threads_with_listeners(rt, {thread_id for _, thread_id, _ in moved})
    _announce(rt, moved, listening, gone)


def announce_to_readers_after_commit(
    session: Session, rt, comment_id: int, thread_id: int, status: str
) -> None:
    """Once the session commits, tell the thread's readers that a comment they may be shown
    changed while keeping its ``status`` (its author deleted it): the thread's cached reads go
    (with the CDN purge) as for a status change, and its open streams read the comment again,
    as they do after a moderator's decision. No decision is announced, nobody is notified."""
    after_commit_batch(
        session,
        announce_to_readers,
        partial(announce_to_readers, rt),
        (comment_id, thread_id, status),
    )


def announce_to_readers(rt, changes: Iterable[tuple[int, int, str]]) -> None:
    changes = list(changes)
    invalidate_thread_ids(rt, {thread_id for _, thread_id, _ in changes})
    announce_decisions(rt.redis, changes, threads_only=True)


def announce_batch_after_commit(
    session: Session,
    rt,
    changes: list[tuple[int, int, str]],
    threads: dict[int, tuple[str, str]],
) -> None:
    """``announce_after_commit`` for a batch that has its threads at hand: ``threads`` maps
    each thread id of ``changes`` to its (site slug, thread key). What ``announce_changes``
    reads in sessions of its own (the threads' keys, which have listeners) is read here, in
    ``session``, before its commit; after it, the announcement costs no database round trip."""
    if not changes:
        return
    thread_ids = {thread_id for _, thread_id, _ in changes}
    listening = threads_with_listeners(session, rt.settings, thread_ids)
    keys = sorted({threads[thread_id] for thread_id in thread_ids})
    after_commit(session, partial(_announce_known, rt, list(changes), keys, listening))


def _announce_known(rt, changes, keys: list[tuple[str, str]], listening: set[int]) -> None:
    invalidate_threads_by_key(rt, keys)
    _announce(rt, changes, listening)


def _announce(
    rt, changes: list[tuple[int, int, str]], listening: set[int], gone: set[int] | None = None
) -> None:
    announce_decisions(rt.redis, changes, gone=gone or ())
    for comment_id, thread_id, status in changes:
        if thread_id in listening and status in EVENTS:
            enqueue_fan_out(rt.queue, rt.settings, comment_id, status)


def _threads_with_listeners(rt, thread_ids: set[int]) -> set[int]:
    if rt.settings.mail.enabled or not thread_ids:
        return thread_ids
    with rt.session() as session:
        return threads_with_listeners(session, rt.settings, thread_ids)


def threads_with_listeners(session: Session, settings: Settings, thread_ids: set[int]) -> set[int]:
    """The threads whose status changes anyone could hear about.

    With mail on, every one (moderator digests, reply mail); without it only
    sites with webhooks. Skipping the rest saves a worker job per decision.
    """
    if settings.mail.enabled or not thread_ids:
        return set(thread_ids)
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
    window = settings.mail.digest_window_seconds
    conn = queue.connection
    due, last = digest_keys(site_id)
    job = None
    try:
        # Expires on its own, in case the job it announces is lost with Redis.
        if not conn.set(due, "1", nx=True, ex=window + settings.jobs.timeout_seconds + 600):
            return None
        previous = conn.get(last)
        delay = max(0.0, float(previous) + window - time.time()) if previous else 0.0
        job = enqueue_digest(queue, settings, site_id, delay)
    except (redis.RedisError, OSError) as error:
        log.warning("could not request a digest for site %s: %s", site_id, error)
    if job is None:
        try:
            conn.delete(due)
        except (redis.RedisError, OSError):
            pass  # it expires on its own
    return job
