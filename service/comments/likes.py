"""Page likes: one per reader (``service.comments.readers``), the count and the signed-in
likers' names and avatars, as WordPress.com shows "N bloggers like this" under a post."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from service.comments.readers import Reader
from service.comments.reading import thread_changed
from service.comments.schemas import Liker, Likes
from service.models import Thread, ThreadLike
from service.urls import safe_url

SHOWN_LIKERS = 20


def thread_likes(session: Session, thread: Thread | None) -> Likes:
    if thread is None:
        return Likes()
    count = session.scalar(
        sa.select(sa.func.count()).select_from(ThreadLike).where(ThreadLike.thread_id == thread.id)
    )
    rows = session.scalars(
        sa.select(ThreadLike)
        .options(joinedload(ThreadLike.identity))
        .where(ThreadLike.thread_id == thread.id, ThreadLike.identity_id.is_not(None))
        .order_by(ThreadLike.id.desc())
        .limit(SHOWN_LIKERS)
    ).all()
    likers = [
        Liker(name=r.identity.name, avatar_url=safe_url(r.identity.avatar_url))
        for r in rows
        if r.identity is not None
    ]
    return Likes(count=count or 0, likers=likers)


def like_counts(session: Session, site_id: int, keys: list[str]) -> dict[str, int]:
    rows = session.execute(
        sa.select(Thread.key, sa.func.count(ThreadLike.id))
        .join(ThreadLike, ThreadLike.thread_id == Thread.id)
        .where(Thread.site_id == site_id, Thread.key.in_(keys))
        .group_by(Thread.key)
    ).all()
    counts = dict.fromkeys(keys, 0)
    counts.update({key: n for key, n in rows})
    return counts


def set_like(session: Session, thread: Thread, reader: Reader, value: int) -> None:
    """Like (1) or take the like back (0), idempotently; flushes, the caller commits."""
    mine = (ThreadLike.thread_id == thread.id, ThreadLike.liker == reader.key)
    if value == 0:
        session.execute(sa.delete(ThreadLike).where(*mine))
    elif session.scalar(sa.select(ThreadLike.id).where(*mine)) is None:
        try:
            with session.begin_nested():
                session.add(
                    ThreadLike(
                        thread_id=thread.id,
                        liker=reader.key,
                        identity_id=reader.identity.id if reader.identity else None,
                    )
                )
        except IntegrityError:
            pass  # the same reader's other request liked it first: liked either way
    session.flush()
    thread_changed(session, thread.id)
