"""Telling the caches that a thread changed: call this after any commit that changes what a
thread shows (a comment published, removed, edited, voted on...).

``invalidate_after_commit(session, rt, thread_id)`` registers the invalidation as an
after-commit effect (``service.effects``): the cached pages and counts of the thread are dropped
(``service.comments.cache``) and, when ``PARLEY_CDN_PURGE_URL`` is set, one purge of the
thread's surrogate key is queued (``worker.cdn.purge``). ``announce_changes`` (every status
change) already does it; a feature that changes a published comment without changing its status
calls it itself. ``invalidate_thread_ids(rt, ids)`` does it at once, outside a transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.comments.cache import invalidate_threads, surrogate_key
from service.effects import after_commit_batch
from service.enqueue import enqueue_cdn_purge
from service.errors import UNAVAILABLE
from service.models import Site, Thread

log = logging.getLogger(__name__)


def invalidate_after_commit(session: Session, rt, thread_id: int) -> None:
    """Once the session commits, drop every cached read of the thread."""
    after_commit_batch(
        session, invalidate_thread_ids, partial(invalidate_thread_ids, rt), thread_id
    )


def invalidate_thread_ids(rt, thread_ids: Iterable[int]) -> None:
    ids = sorted(set(thread_ids))
    if not ids:
        return
    try:
        with rt.session() as session:
            threads = session.execute(
                sa.select(Site.slug, Thread.key)
                .join(Site, Site.id == Thread.site_id)
                .where(Thread.id.in_(ids))
            ).all()
    except UNAVAILABLE as error:
        # The cached entries expire on their own (service.comments.cache.TTL_SECONDS).
        log.warning("could not invalidate cached threads: %s", type(error).__name__)
        return
    invalidate_threads_by_key(rt, [(slug, key) for slug, key in threads])


def invalidate_threads_by_key(rt, threads: list[tuple[str, str]]) -> None:
    """Drop cached reads of (site slug, thread key) pairs; queue the CDN purge if configured."""
    invalidate_threads(rt.redis, threads)
    if threads and rt.settings.web.cdn_purge_url:
        enqueue_cdn_purge(rt.queue, rt.settings, sorted({surrogate_key(*t) for t in threads}))
