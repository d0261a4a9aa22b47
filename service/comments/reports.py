"""Readers flagging published comments, and the hold that enough flags bring.

One report per reader and comment (``service.comments.readers``); a second is answered as
already filed. When a comment has the site's ``report_threshold`` open reports it is held by
compare-and-set (``published`` -> ``held``, reason "reported by readers"), with an audit row,
so it leaves the page until a moderator decides. Reports count only after the comment's last
approval: a moderator who approves a reported comment is not overruled by the reports they
already read. Moderators see the reasons and notes, never who filed them, and dismiss them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.edits import REPORTED_REASON
from service.comments.reader_schemas import ReportItem
from service.comments.readers import Reader
from service.comments.reading import thread_changed
from service.effects import after_commit
from service.errors import ApiError
from service.events import announce_to_moderators
from service.models import Comment, CommentReport, ModerationEvent, utcnow
from service.moderation import audit
from service.notifications.dispatch import announce_after_commit
from service.policy import Policy
from service.runtime import Runtime
from service.status import Status

REASONS = ("spam", "abuse", "off_topic", "other")


@dataclass(frozen=True)
class ReportOutcome:
    duplicate: bool
    held: bool


def _open_reports(comment_id: int):
    approved = (
        sa.select(sa.func.max(ModerationEvent.created_at))
        .where(
            ModerationEvent.comment_id == comment_id,
            ModerationEvent.action.in_(("approve", "ham")),
        )
        .scalar_subquery()
    )
    return (
        CommentReport.comment_id == comment_id,
        CommentReport.dismissed_at.is_(None),
        sa.or_(approved.is_(None), CommentReport.created_at > approved),
    )


def file_report(
    rt: Runtime,
    session: Session,
    comment: Comment,
    reader: Reader,
    reason: str,
    note: str | None,
    policy: Policy,
) -> ReportOutcome:
    if comment.status != Status.PUBLISHED or comment.deleted_at is not None:
        raise ApiError("not_found", f"no comment {comment.id}")
    if reader.identity is not None and reader.identity.id == comment.identity_id:
        raise ApiError("forbidden", "you cannot report your own comment")
    try:
        with session.begin_nested():
            session.add(
                CommentReport(
                    comment_id=comment.id,
                    site_id=comment.site_id,
                    reporter=reader.key,
                    reason=reason,
                    note=note or None,
                )
            )
    except IntegrityError:
        return ReportOutcome(duplicate=True, held=False)
    session.flush()
    threshold = policy.report_threshold
    count = session.scalar(
        sa.select(sa.func.count()).select_from(CommentReport).where(*_open_reports(comment.id))
    )
    held = False
    if threshold > 0 and (count or 0) >= threshold:
        result = session.execute(
            sa.update(Comment)
            .where(Comment.id == comment.id, Comment.status == Status.PUBLISHED)
            .values(status=Status.HELD, status_reason=f"{REPORTED_REASON} ({count} reports)")
        )
        held = result.rowcount == 1
        if held:
            audit.record(
                session,
                site_id=comment.site_id,
                actor="readers",
                action="auto_hold",
                comment_id=comment.id,
                from_status=Status.PUBLISHED,
                to_status=Status.HELD,
                note=f"{count} open reports (threshold {threshold})",
            )
            session.flush()
            announce_after_commit(
                session, rt, comment.id, comment.thread_id, Status.HELD, was=Status.PUBLISHED
            )
            thread_changed(session, comment.thread_id)
    if not held:
        # Held, it was announced as a status change; otherwise the site's open moderation
        # queues hear of it on their own channel (readers' streams never do).
        site_id, comment_id = comment.site_id, comment.id
        after_commit(
            session, lambda: announce_to_moderators(rt.redis, site_id, comment_id, "report")
        )
    return ReportOutcome(duplicate=False, held=held)


def reports_of(session: Session, comment_ids: list[int]) -> dict[int, list[CommentReport]]:
    if not comment_ids:
        return {}
    rows = session.scalars(
        sa.select(CommentReport)
        .where(CommentReport.comment_id.in_(comment_ids))
        .order_by(CommentReport.id)
    ).all()
    found: dict[int, list[CommentReport]] = {}
    for row in rows:
        found.setdefault(row.comment_id, []).append(row)
    return found


def has_open_reports():
    """A filter for the moderation queue's ``status=reported``."""
    return sa.exists().where(
        CommentReport.comment_id == Comment.id, CommentReport.dismissed_at.is_(None)
    )


def dismiss_reports(session: Session, comment: Comment, actor_label: str) -> int:
    result = session.execute(
        sa.update(CommentReport)
        .where(CommentReport.comment_id == comment.id, CommentReport.dismissed_at.is_(None))
        .values(dismissed_at=utcnow(), dismissed_by=actor_label)
    )
    if result.rowcount:
        audit.record(
            session,
            site_id=comment.site_id,
            actor=actor_label,
            action="dismiss_reports",
            comment_id=comment.id,
            note=f"{result.rowcount} reports dismissed",
        )
        session.flush()
    return result.rowcount


def add_reports(session: Session, items: list) -> None:
    """Fill each moderation queue item's ``reports`` (one query for the page)."""
    found = reports_of(session, [item.id for item in items])
    for item in items:
        item.reports = [
            ReportItem(
                reason=r.reason,
                note=r.note,
                created_at=r.created_at,
                dismissed=r.dismissed_at is not None,
                reporter="guest" if r.reporter.startswith("guest:") else "signed-in",
            )
            for r in found.get(item.id, [])
        ]
