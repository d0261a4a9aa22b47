"""Closed threads: no new comments; the existing ones stay, and may still be read and voted on.

A moderator closes (and reopens) a thread; a site's ``auto_close_days`` closes every thread
that long after its first comment (when the thread row was made), as WordPress closes comments
on posts older than N days. Nothing is written when a thread closes by age: it is a rule read
at each request, so changing the policy reopens or closes old threads at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.comments.reading import thread_changed
from service.errors import ApiError
from service.models import Thread, utcnow
from service.moderation import audit
from service.policy import Policy


def thread_of(session: Session, site_id: int, key: str) -> Thread | None:
    return session.scalar(sa.select(Thread).where(Thread.site_id == site_id, Thread.key == key))


def is_closed(thread: Thread, policy: Policy) -> bool:
    if thread.closed_at is not None:
        return True
    days = policy.auto_close_days
    return days > 0 and thread.created_at < utcnow() - timedelta(days=days)


def closes_at(thread: Thread | None, policy: Policy) -> datetime | None:
    """When ``thread`` closes by age, if that is still to come (None: open for good, or
    already closed). Cached thread pages live no longer than this (service/comments/views.py)."""
    days = policy.auto_close_days
    if thread is None or thread.closed_at is not None or days <= 0:
        return None
    moment = thread.created_at + timedelta(days=days)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment if moment > utcnow() else None


def check_open(thread: Thread | None, policy: Policy) -> None:
    """403 when ``thread`` (None: not started yet, so open) takes no new comments."""
    if thread is not None and is_closed(thread, policy):
        raise ApiError("forbidden", "this thread is closed to new comments", field="thread")


def set_closed(session: Session, thread: Thread, closed: bool, actor_label: str) -> bool:
    """Close or reopen and flush, with an audit row; False when it already was so."""
    if (thread.closed_at is not None) == closed:
        return False
    thread.closed_at = utcnow() if closed else None
    audit.record(
        session,
        site_id=thread.site_id,
        actor=actor_label,
        action="close" if closed else "reopen",
        comment_id=None,
        note=f"thread {thread.key}",
    )
    session.flush()
    thread_changed(session, thread.id)
    return True
