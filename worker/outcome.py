"""apply_decision: write check results and the status in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.models import CheckResultRow, Comment, ModerationEvent, Thread, utcnow
from service.status import Status
from worker.checks.base import CheckResult
from worker.decision import Decision


def apply_decision(
    session: Session, comment_id: int, results: Sequence[CheckResult], decision: Decision
) -> bool:
    """Compare-and-set pending -> decision; False if another run already decided.

    The caller commits. Check results are upserted by (comment, check), so a
    second run can never duplicate them.
    """
    now = utcnow()
    moved = session.execute(
        sa.update(Comment)
        .where(Comment.id == comment_id, Comment.status == Status.PENDING)
        .values(
            status=decision.status, status_reason=decision.reason, decided_at=now, updated_at=now
        )
    )
    if moved.rowcount == 0:
        session.rollback()
        return False
    if results:
        dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
        rows = [
            {
                "comment_id": comment_id,
                "check": r.check,
                "kind": r.kind,
                "score": float(r.score),
                "reason": r.reason,
                "version": r.version,
                "created_at": now,
            }
            for r in results
        ]
        stmt = dialect.insert(CheckResultRow).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=["comment_id", "check"],
            set_={
                k: getattr(stmt.excluded, k)
                for k in ("kind", "score", "reason", "version", "created_at")
            },
        )
        session.execute(stmt)
    site_id = session.scalar(
        sa.select(Thread.site_id)
        .join(Comment, Comment.thread_id == Thread.id)
        .where(Comment.id == comment_id)
    )
    session.add(
        ModerationEvent(
            site_id=site_id,
            comment_id=comment_id,
            actor="worker",
            action="decide",
            from_status=Status.PENDING,
            to_status=decision.status,
            note=decision.reason,
        )
    )
    return True
