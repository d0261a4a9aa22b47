"""What readers may see: published threads, counts, and a comment's status."""

from __future__ import annotations

import base64
import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from service.access import TOKEN_PREFIX, bearer_token, current_actor
from service.auth.readers import reader_identity
from service.comments import ranking
from service.comments.freshness import invalidate_after_commit
from service.comments.schemas import AuthorOut, CommentOut
from service.errors import ApiError
from service.models import Comment, Thread
from service.runtime import Runtime, current_runtime
from service.status import Status
from service.text import same_secret
from service.urls import safe_url

_Reply = aliased(Comment)


def comment_out(
    comment: Comment, thread_key: str, *, public: bool | None = None, down_votes: bool = False
) -> CommentOut:
    public = comment.status == Status.PUBLISHED if public is None else public
    out = CommentOut(
        id=comment.id,
        thread=thread_key,
        parent=comment.parent_id,
        status=comment.status,
        depth=comment.depth,
        created_at=comment.created_at,
        votes=comment.votes_up or 0,
        score=(comment.votes_up or 0) - (comment.votes_down or 0) if down_votes else None,
        pinned=bool(comment.pinned),
        edited=comment.edited_at is not None,
        edited_at=comment.edited_at,
        deleted=comment.deleted_at is not None,
    )
    # A tombstone (``deleted``) shows neither author nor text: its replies keep their place.
    if public and not out.deleted:
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


def thread_changed(session: Session, thread_id: int) -> None:
    """Something readers see on the thread changed (a vote, an edit, a deletion, a pin, a like,
    closing): its cached pages and counts are dropped after the commit
    (``service.comments.freshness``). Status changes are also announced to waiting readers
    (``announce_after_commit``), which invalidates the same way."""
    invalidate_after_commit(session, current_runtime(), thread_id)


# -- who may see an unpublished comment's status ----------------------------------------------
# Its author and the site's moderators see the comment as it is (its status, thread, parent,
# time). A guest author has no account, so the answer to the POST carries a per-comment key the
# widget keeps (an HMAC of the id under the secret key: no row to store, and it survives the
# reader coming back days later). Anyone else learns only what the id's existence and the
# published thread already tell: the id and whether it is still pending or not shown
# (``public_status``: spam and rejected read "held"), never text, author, thread or reasons.
# Strangers may long-poll that (a client that submitted without keeping the key, a load
# harness); what the wait reveals is when a decision came, not which.


def public_status(status: str) -> str:
    """A non-published comment's status as a stranger sees it."""
    return Status.PENDING.value if status == Status.PENDING else Status.HELD.value


def comment_key(secret_key: str, comment_id: int) -> str:
    digest = hmac.new(
        secret_key.encode(), f"parley.comment-key:{comment_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def _is_key(secret_key: str, comment_id: int, key: str | None) -> bool:
    return same_secret(comment_key(secret_key, comment_id), key)


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


def thread_page(
    session: Session,
    site_id: int,
    key: str,
    after: int,
    limit: int,
    sort: str = "oldest",
    *,
    down_votes: bool = False,
):
    """One page of the thread's published comments in ``sort`` order, with the total and the
    next cursor. Pinned comments come first, on the first page. "oldest" pages by id, so
    replies arrive after their parents; "newest" and "top" order the top-level comments and
    put each one's replies (oldest first) right after it, so a page never splits a
    conversation from its start (see ``service.comments.ranking``)."""
    thread = session.scalar(sa.select(Thread).where(Thread.site_id == site_id, Thread.key == key))
    if thread is None:
        return [], 0, None
    shown = (
        Comment.thread_id == thread.id,
        Comment.status == Status.PUBLISHED,
        # A deleted comment stays only as the tombstone its published replies hang from.
        sa.or_(
            Comment.deleted_at.is_(None),
            sa.exists().where(
                _Reply.parent_id == Comment.id,
                _Reply.status == Status.PUBLISHED,
                _Reply.deleted_at.is_(None),
            ),
        ),
    )
    counted = (
        Comment.thread_id == thread.id,
        Comment.status == Status.PUBLISHED,
        Comment.deleted_at.is_(None),
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(Comment).where(*counted))
    load = sa.select(Comment).options(joinedload(Comment.identity)).where(*shown)
    if sort == "oldest":
        rows = list(
            session.scalars(
                load.where(Comment.id > after, Comment.pinned.is_(False))
                .order_by(Comment.id)
                .limit(limit + 1)
            ).all()
        )
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = rows[-1].id if more else None
        if after == 0:
            pinned = session.scalars(load.where(Comment.pinned.is_(True)).order_by(Comment.id))
            rows = [*pinned, *rows]
    else:
        rows, next_cursor = ranking.page(
            session.scalars(load.order_by(Comment.id)).all(), sort, after, limit
        )
    out = [comment_out(c, key, public=True, down_votes=down_votes) for c in rows]
    return out, total or 0, next_cursor


def published_counts(session: Session, site_id: int, keys: list[str]) -> dict[str, int]:
    rows = session.execute(
        sa.select(Thread.key, sa.func.count(Comment.id))
        .join(
            Comment,
            sa.and_(
                Comment.thread_id == Thread.id,
                Comment.status == Status.PUBLISHED,
                Comment.deleted_at.is_(None),
            ),
        )
        .where(Thread.site_id == site_id, Thread.key.in_(keys))
        .group_by(Thread.key)
    ).all()
    counts = dict.fromkeys(keys, 0)
    counts.update({key: n for key, n in rows})
    return counts


def wait_for_decision(rt: Runtime, comment_id: int, wait: float) -> str | None:
    """Block up to ``wait`` seconds until the comment is no longer pending; its status then
    (None: no such comment).

    Woken by the process's one subscription to decisions (``service.comments.decisions``),
    registered before the row is read so a decision between the read and the wait is not
    missed; without Redis it polls the database.
    """
    return rt.decisions.wait(comment_id, lambda: _status(rt, comment_id), wait)


# Built once: a status wait reads the row at least once, and again every second it waits.
_STATUS = sa.select(Comment.status).where(Comment.id == sa.bindparam("id"))


def _status(rt: Runtime, comment_id: int) -> str | None:
    with rt.session() as session:
        return session.scalar(_STATUS, {"id": comment_id})


# A comment and its thread's key, in one query built once (``GET /api/v1/comments/{id}``).
_WITH_THREAD_KEY = (
    sa.select(Comment, Thread.key)
    .join(Thread, Thread.id == Comment.thread_id)
    .where(Comment.id == sa.bindparam("id"))
)


def comment_with_thread_key(session: Session, comment_id: int) -> tuple[Comment, str] | None:
    found = session.execute(_WITH_THREAD_KEY, {"id": comment_id}).first()
    return None if found is None else (found[0], found[1])
