"""RQ jobs. They take ids only; the database row is the source of truth.

moderate_comment is idempotent: it acts only on a comment that is still
pending, and its final write is a compare-and-set on that status.
"""

from __future__ import annotations

import logging
import traceback

from service.models import Comment
from service.notifications.dispatch import announce_after_commit
from service.sites import policy_of
from service.status import Status
from worker import metrics as worker_metrics
from worker import runtime
from worker.checks.base import CheckContext, CheckResult
from worker.decision import Decision, decide
from worker.outcome import apply_decision
from worker.pipeline import facts_for, run_checks

log = logging.getLogger(__name__)


def moderate_comment(comment_id: int) -> str:
    rt = runtime.get()
    with rt.session() as session:
        comment = session.get(Comment, comment_id)
        if comment is None:
            return "missing"
        if comment.status != Status.PENDING:
            return f"already {comment.status}"
        site = comment.thread.site
        policy = policy_of(site)
        ctx = CheckContext(session=session, policy=policy, settings=rt.settings)
        try:
            results = run_checks(facts_for(comment, site), ctx)
        finally:
            worker_metrics.flush_check_timings()
        decision = decide(results, policy)
        submitted_at = comment.created_at
        won = apply_decision(session, comment.id, results, decision)
        if won:
            # Wakes waiting readers and fans out mail and webhooks (worker.notify).
            announce_after_commit(session, rt, comment_id, comment.thread_id, decision.status)
        session.commit()
    if not won:
        return "decided by another run"
    worker_metrics.decided(submitted_at, decision.status, decision.reason)
    log.info("comment %s -> %s (%s)", comment_id, decision.status, decision.reason)
    return decision.status


def on_moderate_failure(job, connection, exc_type, exc_value, tb) -> None:
    """RQ calls this after every failed attempt; act only after the last one."""
    worker_metrics.job_failed("moderate_comment", will_retry=bool(job.retries_left))
    if job.retries_left:
        return
    comment_id = int(job.args[0])
    detail = "".join(traceback.format_exception_only(exc_type, exc_value)).strip()
    hold_after_failure(comment_id, detail)


def hold_after_failure(comment_id: int, detail: str) -> bool:
    """Checks could not run: hold for a person rather than publish unchecked."""
    rt = runtime.get()
    result = CheckResult(
        "checks_failed", 1.0, f"checks could not run: {detail[:500]}", "1", kind="policy"
    )
    decision = Decision(Status.HELD, "checks_failed")
    with rt.session() as session:
        comment = session.get(Comment, comment_id)
        if comment is None:
            return False
        submitted_at = comment.created_at
        won = apply_decision(session, comment_id, [result], decision)
        if won:
            announce_after_commit(session, rt, comment_id, comment.thread_id, Status.HELD)
        session.commit()
    if won:
        worker_metrics.decided(submitted_at, Status.HELD, "checks_failed: " + detail)
        log.warning("comment %s held: checks_failed (%s)", comment_id, detail)
    return won
