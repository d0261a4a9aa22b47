"""The audit log: writing an entry for every moderator action, and reading it back.

``actions.apply_action`` writes its own rows for status changes; deletions,
bans, role changes, webhook changes and dashboard sign-ins come through
``record``. The log is ``moderation_events``, newest first by id.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.models import ModerationEvent


def record(
    session: Session,
    *,
    site_id: int,
    actor: str,
    action: str,
    comment_id: int | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    note: str | None = None,
) -> ModerationEvent:
    event = ModerationEvent(
        site_id=site_id,
        comment_id=comment_id,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    session.add(event)
    return event


def audit_page(
    session: Session,
    site_id: int,
    *,
    cursor: int | None,
    limit: int,
    actor: str | None = None,
    action: str | None = None,
    comment_id: int | None = None,
    people_only: bool = False,
) -> tuple[list[ModerationEvent], int | None]:
    stmt = (
        sa.select(ModerationEvent)
        .where(ModerationEvent.site_id == site_id)
        .order_by(ModerationEvent.id.desc())
        .limit(limit + 1)
    )
    if cursor is not None:
        stmt = stmt.where(ModerationEvent.id < cursor)
    if actor:
        stmt = stmt.where(ModerationEvent.actor == actor)
    if action:
        stmt = stmt.where(ModerationEvent.action == action)
    if comment_id is not None:
        stmt = stmt.where(ModerationEvent.comment_id == comment_id)
    if people_only:
        # The worker's own decisions are in the log too; a moderator reviewing
        # colleagues' actions usually wants them out of the way.
        stmt = stmt.where(ModerationEvent.actor != "worker")
    rows = list(session.scalars(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more else None)
