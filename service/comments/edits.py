"""Authors editing and deleting their own comments, within the site's window.

Who is the author: a signed-in reader whose identity wrote it (their reader token), or the
browser that posted it as a guest, which holds the comment's secret (``comment_secret``, an
HMAC of the id under the secret key, returned once by the POST and sent back in
``X-Parley-Comment-Secret``). The window is the site's ``edit_window_minutes`` from posting.

An edit is checked again: the text before it is kept (``comment_edits``, for moderators), the
comment goes back to ``pending`` by compare-and-set and the worker decides it as it decided
the first text. A deletion takes the text and the guest's name away for good; a comment with
published replies stays as a tombstone ("deleted") so the conversation keeps its shape.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import sqlalchemy as sa
from flask import request
from sqlalchemy.orm import Session

from service.comments.readers import signed_in_reader
from service.effects import after_commit
from service.enqueue import enqueue_moderation
from service.errors import ApiError
from service.models import Comment, CommentEdit, utcnow
from service.moderation import audit
from service.notifications.dispatch import (
    announce_after_commit,
    announce_to_readers_after_commit,
)
from service.policy import Policy
from service.runtime import Runtime
from service.similarity import simhash
from service.status import Status
from service.text import render_markdown, same_secret

SECRET_HEADER = "X-Parley-Comment-Secret"
# Held after readers reported it: only a moderator lets it out again, not an edit.
REPORTED_REASON = "reported by readers"
EDITABLE = frozenset({Status.PUBLISHED, Status.HELD})


def comment_secret(secret_key: str, comment_id: int) -> str:
    digest = hmac.new(
        secret_key.encode(), f"parley.comment-secret:{comment_id}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def authorize_author(session: Session, rt: Runtime, comment: Comment, policy: Policy) -> str:
    """How the request proves it is the author ("secret" or "token"), within the window.

    Anyone else gets 404 for an unpublished comment (its existence is its author's business)
    and 403 for a published one."""
    secret = request.headers.get(SECRET_HEADER)
    how = None
    if secret:
        if same_secret(comment_secret(rt.settings.secret_key, comment.id), secret.strip()):
            how = "secret"
    else:
        identity = signed_in_reader(session, rt.settings.secret_key, comment.thread.site)
        if identity is not None and identity.id == comment.identity_id:
            how = "token"
    if how is None:
        if comment.status != Status.PUBLISHED:
            raise ApiError("not_found", f"no comment {comment.id}")
        raise ApiError("forbidden", "only the comment's author may change it")
    if comment.deleted_at is not None:
        raise ApiError("not_found", f"comment {comment.id} was deleted")
    window = max(0, policy.edit_window_minutes)
    if window == 0 or utcnow() - comment.created_at > timedelta(minutes=window):
        raise ApiError(
            "forbidden",
            f"comments on this site may be changed only in the first {window} minutes",
        )
    return how


def edit_comment(rt: Runtime, session: Session, comment: Comment, body: str) -> Comment:
    """Store the new text as pending and flush; the commit enqueues its checks."""
    current = Status(comment.status)
    if current == Status.PENDING:
        raise ApiError(
            "conflict",
            "the comment is still being checked; try again in a moment",
            comment_id=comment.id,
        )
    if current not in EDITABLE:
        raise ApiError(
            "invalid_transition",
            f"a comment that is {current} cannot be edited",
            comment_id=comment.id,
        )
    if current == Status.HELD and (comment.status_reason or "").startswith(REPORTED_REASON):
        raise ApiError(
            "invalid_transition",
            "readers reported this comment; a moderator will look at it",
            comment_id=comment.id,
        )
    if body == comment.body_source:
        return comment
    now = utcnow()
    session.add(
        CommentEdit(
            comment_id=comment.id,
            body_source=comment.body_source,
            body_html=comment.body_html,
            status=current,
            created_at=now,
        )
    )
    result = session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.status == current)
        .values(
            body_source=body,
            body_html=render_markdown(body),
            simhash=simhash(body),
            status=Status.PENDING,
            status_reason="edited by its author",
            edited_at=now,
            decided_at=None,
        )
    )
    if result.rowcount == 0:
        raise ApiError(
            "conflict", "the comment changed while you were editing it", comment_id=comment.id
        )
    audit.record(
        session,
        site_id=comment.site_id,
        actor="author",
        action="edit",
        comment_id=comment.id,
        from_status=current,
        to_status=Status.PENDING,
    )
    session.flush()
    after_commit(session, partial(enqueue_moderation, rt.queue, rt.settings, comment.id))
    # Drops the thread's cached reads too; the worker's decision on the new text reaches
    # the thread's open streams as the first one did.
    announce_after_commit(session, rt, comment.id, comment.thread_id, Status.PENDING)
    session.expire(comment)
    return comment


@dataclass(frozen=True)
class Deletion:
    id: int
    tombstone: bool


def delete_own(rt: Runtime, session: Session, comment: Comment) -> Deletion:
    """Take the comment's text (and a guest's name) away and flush; the caller commits."""
    current = Status(comment.status)
    replies = session.scalar(
        sa.select(sa.func.count())
        .select_from(Comment)
        .where(
            Comment.parent_id == comment.id,
            Comment.status == Status.PUBLISHED,
            Comment.deleted_at.is_(None),
        )
    )
    # Not yet decided or held: nobody needs to look at it any more.
    target = Status.REJECTED if current in (Status.PENDING, Status.HELD) else current
    result = session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.status == current)
        .values(
            body_source="",
            body_html="",
            author_name=None,
            author_email=None,
            author_url=None,
            deleted_at=utcnow(),
            status=target,
            status_reason="deleted by its author" if target != current else comment.status_reason,
        )
    )
    if result.rowcount == 0:
        raise ApiError(
            "conflict", "the comment changed while you were deleting it", comment_id=comment.id
        )
    # The author took the text back: earlier versions go with it.
    session.execute(sa.delete(CommentEdit).where(CommentEdit.comment_id == comment.id))
    audit.record(
        session,
        site_id=comment.site_id,
        actor="author",
        action="delete_own",
        comment_id=comment.id,
        from_status=current,
        to_status=target,
    )
    session.flush()
    # Either drops the thread's cached reads and tells its open streams.
    if target != current:
        announce_after_commit(session, rt, comment.id, comment.thread_id, target)
    elif current == Status.PUBLISHED:
        # Still published (a tombstone, or out of the listing): the thread's streams send it
        # again, marked deleted, and other readers' widgets drop it.
        announce_to_readers_after_commit(session, rt, comment.id, comment.thread_id, current)
    session.expire(comment)
    return Deletion(comment.id, tombstone=bool(replies) and current == Status.PUBLISHED)


def history(session: Session, comment_id: int) -> list[CommentEdit]:
    return list(
        session.scalars(
            sa.select(CommentEdit)
            .where(CommentEdit.comment_id == comment_id)
            .order_by(CommentEdit.id)
        ).all()
    )
