"""Undo the last bulk action on the dashboard: every comment it moved goes back where it was.

The dashboard keeps what the action changed (comment id, from, to; the bans it made) in the
moderator's session. Undo moves each comment back by the same compare-and-set as any action
(``… WHERE status = <what the action left>``), so a comment a colleague has moved since is
left alone and reported; it lifts the bans the action made. Each step writes an audit row
(action ``undo``; lifted bans ``unban``). Deletions cannot be undone: the row is gone.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.access import Actor
from service.models import Ban, Comment, utcnow
from service.moderation import audit
from service.moderation.bans import lift_ban
from service.notifications.dispatch import announce_after_commit
from service.runtime import current_runtime
from service.status import ALL_STATUSES


@dataclass(frozen=True)
class Step:
    comment_id: int
    from_status: str  # before the action
    to_status: str  # what the action left


@dataclass(frozen=True)
class UndoResult:
    restored: int
    skipped: list[int]  # moved by someone else since, or gone
    bans_lifted: int


def undo(session: Session, steps: list[Step], ban_ids: list[int], actor: Actor) -> UndoResult:
    """Flushes; the caller commits. Only comments of sites the actor moderates are touched."""
    rt = current_runtime()
    restored, skipped = 0, []
    for step in steps:
        comment = session.get(Comment, step.comment_id)
        if (
            comment is None
            or step.from_status not in ALL_STATUSES
            or not actor.may_moderate(comment.site_id)
        ):
            skipped.append(step.comment_id)
            continue
        moved = session.execute(
            sa.update(Comment)
            .where(Comment.id == comment.id, Comment.status == step.to_status)
            .values(
                status=step.from_status,
                status_reason=f"undo by {actor.label}",
                updated_at=utcnow(),
            )
        )
        if moved.rowcount == 0:
            skipped.append(step.comment_id)
            continue
        audit.record(
            session,
            site_id=comment.site_id,
            actor=actor.label,
            action="undo",
            comment_id=comment.id,
            from_status=step.to_status,
            to_status=step.from_status,
        )
        announce_after_commit(
            session, rt, comment.id, comment.thread_id, step.from_status, was=step.to_status
        )
        session.expire(comment)
        restored += 1
    lifted = 0
    for ban_id in ban_ids:
        ban = session.get(Ban, ban_id)
        if ban is not None and actor.may_moderate(ban.site_id):
            lift_ban(session, ban, actor)
            lifted += 1
    session.flush()
    return UndoResult(restored, skipped, lifted)
