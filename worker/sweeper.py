"""sweep_pending: re-enqueue pending comments whose job is gone.

The request commits the row before it enqueues, so a comment can be pending
with no job at all (Redis was down, or the job was lost). Nothing a reader
submitted may be lost: the sweeper finds those rows and enqueues them again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import redis
import sqlalchemy as sa
from rq.job import Job, JobStatus

from service.enqueue import SERIALIZER, enqueue_moderation, moderation_job_id
from service.models import Comment, utcnow
from service.runtime import Runtime
from service.status import Status

log = logging.getLogger(__name__)

# Jobs in these states will still run; leave their comments alone.
_ALIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


@dataclass
class SweepReport:
    looked_at: int = 0
    enqueued: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    alive: int = 0
    error: str | None = None


def sweep_pending(
    rt: Runtime, older_than_seconds: int | None = None, batch: int = 500
) -> SweepReport:
    from worker.jobs import hold_after_failure

    older_than = (
        rt.settings.jobs.sweep_after_seconds if older_than_seconds is None else older_than_seconds
    )
    cutoff = utcnow() - timedelta(seconds=older_than)
    with rt.session() as session:
        ids = session.scalars(
            sa.select(Comment.id)
            .where(Comment.status == Status.PENDING, Comment.created_at <= cutoff)
            .order_by(Comment.id)
            .limit(batch)
        ).all()
    report = SweepReport(looked_at=len(ids))
    if not ids:
        return report
    try:
        jobs = Job.fetch_many(
            [moderation_job_id(i) for i in ids], connection=rt.redis, serializer=SERIALIZER
        )
        for comment_id, job in zip(ids, jobs, strict=True):
            status = job.get_status(refresh=False) if job is not None else None
            if status in _ALIVE:
                report.alive += 1
            elif status == JobStatus.FAILED:
                # Retries ran out but the failure callback never held it
                # (the work-horse died): hold, never publish unchecked.
                if hold_after_failure(comment_id, "the job failed after its last retry"):
                    report.held.append(comment_id)
            else:
                # Missing, stopped, cancelled, or finished without deciding.
                if job is not None:
                    job.delete()
                if enqueue_moderation(rt.queue, rt.settings, comment_id) is None:
                    raise redis.ConnectionError("enqueue failed")
                report.enqueued.append(comment_id)
    except (redis.RedisError, OSError) as error:
        report.error = f"redis unavailable: {error}"
        log.warning("sweep stopped early: %s", report.error)
    return report


def sweep_forever(rt: Runtime, interval: float) -> None:
    while True:
        report = sweep_pending(rt)
        if report.enqueued or report.held:
            log.info("sweep: re-enqueued %s, held %s", report.enqueued, report.held)
        time.sleep(interval)
