"""Moderators pin comments to the top of their thread (any number; a few is the idea)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.comments.reading import thread_changed
from service.errors import ApiError
from service.models import Comment
from service.moderation import audit
from service.status import Status


def set_pinned(session: Session, comment: Comment, pinned: bool, actor_label: str) -> bool:
    """Pin or unpin and flush, with an audit row; False when it already was so."""
    if pinned and (comment.status != Status.PUBLISHED or comment.deleted_at is not None):
        raise ApiError(
            "invalid_transition", "only a published comment can be pinned", comment_id=comment.id
        )
    if bool(comment.pinned) == pinned:
        return False
    comment.pinned = pinned
    audit.record(
        session,
        site_id=comment.site_id,
        actor=actor_label,
        action="pin" if pinned else "unpin",
        comment_id=comment.id,
    )
    session.flush()
    thread_changed(session, comment.thread_id)
    return True
