"""decide_batch: moderate several pending comments in one transaction.

The same steps as ``worker.jobs.moderate_comment`` (load, checks, decision,
compare-and-set, announce after commit), for many comments at once: one query
loads the rows with their thread and site, every comment's checks run under
its own time limit, and the decisions are written and committed together, so
a batch pays one commit and one announcement round trip instead of one per
comment. The checks of every comment run before the first write: on SQLite
the write lock is held only for the writes themselves.

A comment whose checks raise or overrun the limit is left out of the batch
(still pending) and reported in ``failed``: the worker runs its job again on
RQ's own path, with its retries and, after the last one, the hold
(``worker.jobs.on_moderate_failure``). Nothing is ever decided twice: every
write is the same compare-and-set on ``pending``.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from service.models import Comment, Thread
from service.notifications.dispatch import announce_batch_after_commit
from service.policy import Policy
from service.sites import policy_of
from service.status import Status
from worker import metrics as worker_metrics
from worker.checks.base import CheckContext, CheckResult
from worker.decision import Decision, decide
from worker.outcome import apply_decisions
from worker.pipeline import facts_for, run_checks

log = logging.getLogger(__name__)


class ChecksTimedOut(Exception):
    """A comment's checks ran past the job's time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ChecksTimedOut in this (main) thread after ``seconds``: the in-process
    death penalty RQ's SimpleWorker uses, with a sub-second timer."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _expired(_signum, _frame):
        raise ChecksTimedOut(f"checks ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class BatchReport:
    # comment id -> "published" / "held" / "spam", "already <status>", "missing",
    # or "decided by another run"
    outcomes: dict[int, str] = field(default_factory=dict)
    # comment id -> why its checks did not finish (left pending for RQ's retry path)
    failed: dict[int, BaseException] = field(default_factory=dict)


_LOAD = (
    sa.select(Comment)
    .options(joinedload(Comment.thread).joinedload(Thread.site), joinedload(Comment.identity))
    .where(Comment.id.in_(sa.bindparam("ids", expanding=True)))
)


def decide_batch(
    rt,
    comment_ids: Sequence[int],
    timeout_seconds: float,
    before: Callable[[Session], None] | None = None,
) -> BatchReport:
    """``before(session)``: run first in the batch's session (the label memories' refresh),
    so a batch opens one session; its failure is logged, and the batch goes on."""
    report = BatchReport()
    planned: list[tuple[Comment, list[CheckResult], Decision]] = []
    with rt.session() as session:
        if before is not None:
            try:
                before(session)
            except Exception:
                log.warning("could not refresh label memories", exc_info=True)
                session.rollback()
        rows = {c.id: c for c in session.scalars(_LOAD, {"ids": list(comment_ids)}).unique()}
        policies: dict[int, Policy] = {}
        for comment_id in comment_ids:
            comment = rows.get(comment_id)
            if comment is None:
                report.outcomes[comment_id] = "missing"
                continue
            if comment.status != Status.PENDING:
                report.outcomes[comment_id] = f"already {comment.status}"
                continue
            site = comment.thread.site
            if site.id not in policies:
                policies[site.id] = policy_of(site)
            policy = policies[site.id]
            ctx = CheckContext(session=session, policy=policy, settings=rt.settings)
            try:
                with time_limit(timeout_seconds):
                    results = run_checks(facts_for(comment, site), ctx)
            except Exception as error:  # a bug, an outage or the time limit: RQ's path retries
                report.failed[comment_id] = error
                # The checks only read; end whatever they left open (objects reload on use).
                session.rollback()
                continue
            planned.append((comment, results, decide(results, policy)))

        worker_metrics.flush_check_timings()  # the batch's check timings, together
        # The checks only read: end their read transaction, then queue with the web's
        # submits for the writer (``Runtime.writing``) for the writes and the commit alone.
        session.commit()
        with rt.writing():
            won = apply_decisions(
                session, [(c.id, c.thread.site_id, results, d) for c, results, d in planned]
            )
            changes = []
            for comment, _results, decision in planned:
                if comment.id in won:
                    changes.append((comment.id, comment.thread_id, decision.status))
                    report.outcomes[comment.id] = decision.status
                else:
                    report.outcomes[comment.id] = "decided by another run"
            # The threads' keys are at hand (loaded with the rows): announcing them costs no
            # session of its own after the commit.
            announce_batch_after_commit(
                session,
                rt,
                changes,
                {c.thread_id: (c.thread.site.slug, c.thread.key) for c, _r, _d in planned},
            )
            session.commit()
    for comment, _results, decision in planned:
        if report.outcomes[comment.id] == decision.status:
            worker_metrics.decided(comment.created_at, decision.status, decision.reason)
            log.info("comment %s -> %s (%s)", comment.id, decision.status, decision.reason)
    return report
