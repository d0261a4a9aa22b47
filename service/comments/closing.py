"""Closed threads: no new comments; the existing ones stay, and may still be read and voted on.

A moderator closes (and reopens) a thread; a site's ``auto_close_days`` closes every thread
that long after its first comment (when the thread row was made), as WordPress closes comments
on posts older than N days. Nothing is written when a thread closes by age: it is a rule read
at each request, so changing the policy reopens or closes old threads at once.
"""

from __future__ import annotations

from datetime import timedelta

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
