"""apply_action: a moderator moves a comment, by compare-and-set, with an audit row."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.access import Actor
from service.effects import after_commit
from service.enqueue import enqueue_feedback
from service.errors import ApiError
from service.models import Comment, utcnow
from service.moderation import audit
from service.notifications.dispatch import announce_after_commit
from service.runtime import current_runtime
from service.status import MODERATOR_ACTIONS, Status


@dataclass(frozen=True)
class Outcome:
    comment_id: int
    from_status: str
    to_status: str
    changed: bool


def apply_action(
    session: Session, comment: Comment, action: str, actor: Actor, site_id: int
) -> Outcome:
    """Apply and flush; the caller commits (so bulk actions are one transaction).

    After the commit the change is announced (readers, notifications) and the
    decision passed on as feedback; a rollback announces nothing.
    """
    target, sources = MODERATOR_ACTIONS[action]
    current = Status(comment.status)
    if current == target:
        # Repeating an action is harmless: 200, nothing changes, no audit row.
        return Outcome(comment.id, current, current, False)
    if current not in sources:
        raise ApiError(
            "invalid_transition",
            f"cannot {action} a comment that is {current}",
            comment_id=comment.id,
        )
    result = session.execute(
        sa.update(Comment)
        .where(Comment.id == comment.id, Comment.status == current)
        .values(status=target, status_reason=f"{action} by {actor.label}", updated_at=utcnow())
    )
    if result.rowcount == 0:
        # Someone else moved it first; tell the caller instead of overwriting.
        raise ApiError(
            "conflict", "the comment changed while you were looking at it", comment_id=comment.id
        )
    event = audit.record(
        session,
        site_id=site_id,
        actor=actor.label,
        action=action,
        comment_id=comment.id,
        from_status=current,
        to_status=target,
    )
    session.flush()
    rt = current_runtime()
    announce_after_commit(session, rt, comment.id, comment.thread_id, target, was=current)
    # Moderator decisions are labels: the worker learns from them (worker.feedback).
    after_commit(session, partial(enqueue_feedback, rt.queue, event.id))
    session.expire(comment)
    return Outcome(comment.id, current, target, True)
