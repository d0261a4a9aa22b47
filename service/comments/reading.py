"""What readers may see: published threads, counts, and a comment's status."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import redis
import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from service.access import TOKEN_PREFIX, bearer_token, current_actor
from service.auth.readers import reader_identity
from service.comments.schemas import AuthorOut, CommentOut
from service.errors import ApiError
from service.events import close_quietly, comment_channel, subscribe
from service.models import Comment, Thread
from service.runtime import Runtime
from service.status import Status
from service.urls import safe_url


def comment_out(comment: Comment, thread_key: str, *, public: bool | None = None) -> CommentOut:
    public = comment.status == Status.PUBLISHED if public is None else public
    out = CommentOut(
        id=comment.id,
        thread=thread_key,
        parent=comment.parent_id,
        status=comment.status,
        depth=comment.depth,
        created_at=comment.created_at,
    )
    if public:
        identity = comment.identity
        out.author = AuthorOut(
            name=identity.name if identity else comment.author_name,
            # Checked again on the way out: rows from an import or an older release, and a
            # provider's profile URL, were never checked by today's rules.
            url=safe_url(identity.profile_url if identity else comment.author_url),
            avatar_url=safe_url(identity.avatar_url) if identity else None,
            provider=identity.provider if identity else None,
        )
        out.body_html = comment.body_html
    return out


# -- who may see an unpublished comment's status ----------------------------------------------
# Its author and the site's moderators. A guest author has no account, so the answer to the
# POST carries a per-comment key the widget keeps (an HMAC of the id under the secret key: no
# row to store, and it survives the reader coming back days later); anyone else gets the same
# 404 as for an id that does not exist, so the ids of held and spam comments reveal nothing.


def comment_key(secret_key: str, comment_id: int) -> str:
    digest = hmac.new(
        secret_key.encode(), f"parley.comment-key:{comment_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def _is_key(secret_key: str, comment_id: int, key: str | None) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (a hostile ?key=).
    return bool(key) and hmac.compare_digest(
        comment_key(secret_key, comment_id).encode(), key.encode()
    )


def may_see_status(session: Session, secret_key: str, comment: Comment, key: str | None) -> bool:
    if comment.status == Status.PUBLISHED or _is_key(secret_key, comment.id, key):
        return True
    token = bearer_token()
    try:
        if token is not None and not token.startswith(TOKEN_PREFIX):
            identity = reader_identity(session, secret_key, comment.thread.site)
            return identity is not None and identity.id == comment.identity_id
        return current_actor(session).may_moderate(comment.site_id)
    except ApiError:
        return False


def thread_page(session: Session, site_id: int, key: str, after: int, limit: int):
    thread = session.scalar(sa.select(Thread).where(Thread.site_id == site_id, Thread.key == key))
    if thread is None:
        return [], 0, None
    published = (Comment.thread_id == thread.id, Comment.status == Status.PUBLISHED)
    rows = session.scalars(
        sa.select(Comment)
        .options(joinedload(Comment.identity))
        .where(*published, Comment.id > after)
        .order_by(Comment.id)
        .limit(limit + 1)
    ).all()
    total = session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*published))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = rows[-1].id if more else None
    return [comment_out(c, key, public=True) for c in rows], total or 0, next_cursor


def published_counts(session: Session, site_id: int, keys: list[str]) -> dict[str, int]:
    rows = session.execute(
        sa.select(Thread.key, sa.func.count(Comment.id))
        .join(Comment, sa.and_(Comment.thread_id == Thread.id, Comment.status == Status.PUBLISHED))
        .where(Thread.site_id == site_id, Thread.key.in_(keys))
        .group_by(Thread.key)
    ).all()
    counts = dict.fromkeys(keys, 0)
    counts.update({key: n for key, n in rows})
    return counts


def wait_for_decision(rt: Runtime, comment_id: int, wait: float) -> None:
    """Block up to ``wait`` seconds until the comment is no longer pending.

    Subscribes before reading so a decision between the read and the
    subscription is not missed; without Redis it polls the database.
    """
    deadline = time.monotonic() + wait
    pubsub = subscribe(rt.redis, comment_channel(comment_id))
    try:
        while True:
            if _status(rt, comment_id) != Status.PENDING:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if pubsub is not None:
                try:
                    message = pubsub.get_message(timeout=min(remaining, 1.0))
                except (redis.RedisError, OSError):
                    pubsub = None
                    continue
                if message and json.loads(message["data"]).get("status") != Status.PENDING:
                    return
            else:
                time.sleep(min(remaining, 0.1))
    finally:
        close_quietly(pubsub)


def _status(rt: Runtime, comment_id: int) -> str | None:
    with rt.session() as session:
        return session.scalar(sa.select(Comment.status).where(Comment.id == comment_id))
