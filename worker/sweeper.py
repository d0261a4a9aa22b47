"""sweep_pending: re-enqueue pending comments whose job is gone.

The request commits the row before it enqueues, so a comment can be pending
with no job at all (Redis was down, or the job was lost). Nothing a reader
submitted may be lost: the sweeper finds those rows and enqueues them again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import redis
import sqlalchemy as sa
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from service.enqueue import SERIALIZER, enqueue_moderation, moderation_job_id
from service.errors import UNAVAILABLE
from service.models import Comment, utcnow
from service.runtime import Runtime
from service.status import Status
from worker import metrics as worker_metrics
from worker.backoff import delays

log = logging.getLogger(__name__)

# Jobs in these states will still run on their own; leave their comments alone.
_WAITING = {JobStatus.QUEUED, JobStatus.DEFERRED}


def heartbeat_interval(sweep_after_seconds: int) -> int:
    """How often a worker proves it is still running a job (RQ's job monitoring interval).

    A third of the sweep delay, so a job whose worker was killed goes quiet for
    longer than ``PARLEY_SWEEP_AFTER`` only when nobody is running it.
    """
    return max(1, min(30, sweep_after_seconds // 3))


def _still_running(
    job: Job, status: JobStatus, stale: timedelta, rt: Runtime, dequeued: set[str]
) -> bool:
    """Will this job still decide its comment without the sweeper?

    A started job whose worker was SIGKILLed stays "started" until RQ's own
    maintenance (every ten minutes) notices; a retry scheduled by a worker that
    died waits for a scheduler lock (61 s) the next worker cannot take yet. So
    a started job counts only while its heartbeat is fresh, and a scheduled one
    only until it is overdue by the sweep delay. ``dequeued`` are the ids in the
    queue's intermediate list (popped by a worker, not yet started).
    """
    if status in _WAITING:
        # Queued, yet taken off the queue by a worker (RQ's intermediate list) and not
        # started: that worker died between the two steps. A live one starts it within
        # milliseconds; running it twice is harmless (compare-and-set), never running it is not.
        return job.id not in dequeued
    now = utcnow()
    if status == JobStatus.STARTED:
        beat = job.last_heartbeat or job.started_at
        return beat is not None and now - _aware(beat) <= stale
    if status == JobStatus.SCHEDULED:
        due = ScheduledJobRegistry(queue=rt.queue).get_scheduled_time(job)
        return now - _aware(due) <= stale
    return False


def _aware(moment: datetime) -> datetime:
    # RQ hands back naive UTC datetimes; the rows' are aware.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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
    older_than = (
        rt.settings.jobs.sweep_after_seconds if older_than_seconds is None else older_than_seconds
    )
    stale = timedelta(seconds=older_than)
    cutoff = utcnow() - stale
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
        dequeued = {
            i.decode() if isinstance(i, bytes) else i
            for i in rt.redis.lrange(rt.queue.intermediate_queue_key, 0, -1)
        }
        for comment_id, job in zip(ids, jobs, strict=True):
            status = job.get_status(refresh=False) if job is not None else None
            if job is not None and _still_running(job, status, stale, rt, dequeued):
                report.alive += 1
            elif status == JobStatus.FAILED:
                # Retries ran out but the failure callback never held it
                # (the work-horse died): hold, never publish unchecked. Imported
                # here: worker.jobs brings the checks and their models, which a healthy
                # sweeper never needs (it stays ~25 MB smaller).
                from worker.jobs import hold_after_failure

                if hold_after_failure(comment_id, "the job failed after its last retry"):
                    report.held.append(comment_id)
            else:
                # Missing, stopped, cancelled, finished without deciding, or
                # started or scheduled by a worker that is gone.
                if job is not None:
                    job.delete()
                if enqueue_moderation(rt.queue, rt.settings, comment_id) is None:
                    raise redis.ConnectionError("enqueue failed")
                report.enqueued.append(comment_id)
    except (redis.RedisError, OSError) as error:
        report.error = f"redis unavailable: {error}"
        log.warning("sweep stopped early: %s", report.error)
    return report


def sweep_forever(rt: Runtime, interval: float, stop: threading.Event | None = None) -> None:
    """Sweep every ``interval`` seconds until ``stop`` is set; outages only slow it down."""
    stop = stop or threading.Event()
    waits = delays()
    while not stop.is_set():
        try:
            report = sweep_pending(rt)
        except UNAVAILABLE as error:
            # The database (or Redis) blinked: the sweeper is what recovers from
            # outages, so it must outlive them. One line, no values.
            wait = max(interval, next(waits))
            log.warning("sweep: %s unavailable; again in %.0f s", type(error).__name__, wait)
            stop.wait(wait)
            continue
        waits = delays()
        worker_metrics.swept(len(report.enqueued), len(report.held))
        if report.enqueued or report.held:
            log.info("sweep: re-enqueued %s, held %s", report.enqueued, report.held)
        stop.wait(interval)
