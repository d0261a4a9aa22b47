"""apply_decision: write check results and the status in one transaction."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from service.models import CheckResultRow, Comment, ModerationEvent, utcnow
from service.status import Status
from worker.checks.base import CheckResult
from worker.decision import Decision

# Built once: a statement costs more to build and compile than to run, and this
# runs for every comment. The check rows go in as executemany parameters of one
# upsert (SQLAlchemy sends them as one multi-row INSERT), so the compiled SQL is
# reused; a .values([...]) list would be compiled anew for every comment.
_DECIDE = (
    sa.update(Comment.__table__)
    .where(Comment.id == sa.bindparam("comment"), Comment.status == Status.PENDING)
    .values(
        status=sa.bindparam("status"),
        status_reason=sa.bindparam("reason"),
        decided_at=sa.bindparam("now"),
        updated_at=sa.bindparam("now"),
    )
)
_SITE_OF = sa.select(Comment.site_id).where(Comment.id == sa.bindparam("comment"))


def _upsert(dialect):
    stmt = dialect.insert(CheckResultRow.__table__)
    return stmt.on_conflict_do_update(
        index_elements=["comment_id", "check"],
        set_={
            k: getattr(stmt.excluded, k)
            for k in ("kind", "score", "reason", "version", "created_at")
        },
    )


_UPSERT_RESULTS = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}


_RECORD = sa.insert(ModerationEvent.__table__).values(
    actor="worker", action="decide", from_status=Status.PENDING
)


def apply_decision(
    session: Session,
    comment_id: int,
    results: Sequence[CheckResult],
    decision: Decision,
) -> bool:
    """Compare-and-set pending -> decision; False if another run already decided.

    The caller commits. Check results are upserted by (comment, check), so a
    second run can never duplicate them. Plain statements on the session's
    connection: ORM objects of the comment already in the session keep their
    old status until they are refreshed. A lost race writes nothing and rolls
    the session back.
    """
    conn = session.connection()
    site_id = conn.scalar(_SITE_OF, {"comment": comment_id})
    won = apply_decisions(session, [(comment_id, site_id, results, decision)])
    if not won:
        session.rollback()
        return False
    return True


def apply_decisions(
    session: Session,
    decisions: Sequence[tuple[int, int, Sequence[CheckResult], Decision]],
) -> set[int]:
    """``apply_decision`` for many (comment id, site id, results, decision) at once.

    Each status moves by its own compare-and-set; the check rows and audit rows
    of the comments that moved go in as one executemany each. Answers the ids
    that moved; the others (decided by another run) get nothing written, and
    the session is not rolled back: the caller commits what did move.
    """
    now = utcnow()
    conn = session.connection()
    won: set[int] = set()
    results_rows: list[dict] = []
    records: list[dict] = []
    for comment_id, site_id, results, decision in decisions:
        moved = conn.execute(
            _DECIDE,
            {
                "comment": comment_id,
                "status": decision.status,
                "reason": decision.reason,
                "now": now,
            },
        )
        if moved.rowcount == 0:
            continue
        won.add(comment_id)
        results_rows.extend(
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
        )
        records.append(
            {
                "site_id": site_id,
                "comment_id": comment_id,
                "to_status": decision.status,
                "note": decision.reason,
                "created_at": now,
            }
        )
    if results_rows:
        conn.execute(_UPSERT_RESULTS[conn.dialect.name], results_rows)
    if records:
        conn.execute(_RECORD, records)
    return won
