"""The worker ``parley worker`` runs: one process, no fork, moderation in batches.

RQ's forking worker forks a work-horse per job (~125 ms of CPU on a warmed
parent) and its SimpleWorker pays ~20 Redis round trips and a commit per job;
the checks themselves take ~1.5 ms. ``BatchingWorker`` is RQ's SimpleWorker
(its loop, scheduler, heartbeats, signals, and every job that is not a
moderation job run exactly as RQ runs them) with one change: when the job it
dequeued is ``moderate-<id>``, it claims up to ``batch_size - 1`` more
moderation jobs from the head of the queue in one atomic Redis script, decides
all of them in one transaction (``worker.batch.decide_batch``), and marks the
jobs finished in one pipeline.

The guarantees stay those of one job per comment:

- **Claimed means started**: the script pops a job id and marks its job
  ``started`` with a fresh heartbeat in the same step, so a worker killed
  mid-batch leaves jobs whose heartbeat goes stale; the sweeper re-enqueues
  their comments (``worker.sweeper``) exactly as it does for a killed RQ job.
- **Idempotent**: every decision is the compare-and-set on ``pending``.
- **Time limit**: each comment's checks run under the job's timeout (an
  in-process SIGALRM, as RQ's SimpleWorker does).
- **Retries and the hold**: a comment whose checks raised or overran is
  handed to RQ's own path (``SimpleWorker.execute_job``), which retries it
  with the job's backoff and holds it (``checks_failed``) after the last try.
"""

from __future__ import annotations

import logging
import threading
import time

from rq import SimpleWorker
from rq.job import Job, JobStatus
from rq.scheduler import RQScheduler
from rq.scheduler import run as run_scheduler
from rq.utils import now, utcformat
from rq.worker import WorkerStatus

from service.enqueue import MODERATE_JOB, moderation_job_id
from worker import runtime as worker_runtime
from worker.batch import decide_batch

log = logging.getLogger(__name__)

MODERATION_PREFIX = moderation_job_id(0)[:-1]  # "moderate-"

# KEYS[1] the queue list, KEYS[2] its intermediate list (where RQ moved the job it
# dequeued), KEYS[3] the worker's own key (its state becomes busy in the same step).
# ARGV: the dequeued job id, how many more to take, the job key prefix,
# the id prefix of moderation jobs, the timestamp, the worker's name.
# Pops moderation job ids from the head of the queue (stopping at the first other
# job, so order between kinds of jobs is kept) and marks each one started with a
# heartbeat, atomically: a claimed job is never both off the queue and "queued".
_CLAIM = """
local claimed = {}
redis.call('HSET', KEYS[3], 'state', 'busy')
local function start(id)
  local key = ARGV[3] .. id
  if redis.call('EXISTS', key) == 1 then
    redis.call('HSET', key, 'status', 'started', 'started_at', ARGV[5],
               'last_heartbeat', ARGV[5], 'worker_name', ARGV[6])
    table.insert(claimed, id)
  end
end
redis.call('LREM', KEYS[2], 1, ARGV[1])
start(ARGV[1])
local more = tonumber(ARGV[2])
while more > 0 do
  local id = redis.call('LINDEX', KEYS[1], 0)
  if not id or string.sub(id, 1, string.len(ARGV[4])) ~= ARGV[4] then
    break
  end
  redis.call('LPOP', KEYS[1])
  start(id)
  more = more - 1
end
return claimed
"""


def comment_of(job_id: str) -> int:
    return int(job_id[len(MODERATION_PREFIX) :])


class _SchedulerThread(threading.Thread):
    pid = None  # RQ's stop_scheduler signals a process by pid: a thread has none


class ThreadScheduler(RQScheduler):
    """RQ's scheduler (it moves retries whose backoff is over back onto the queue) in a
    thread of the worker rather than a forked copy of it: the fork's copy of a worker that
    holds the learned models costs ~140 MiB of RSS for a loop that wakes once a second."""

    def start(self):
        self._status = self.Status.STARTED
        self._stop_requested = False
        self._process = _SchedulerThread(target=run_scheduler, args=(self,), daemon=True)
        self._process.start()
        return self._process

    def _install_signal_handlers(self):
        pass  # signals are the worker's (main thread); it stops this one (stop_scheduler)


class BatchingWorker(SimpleWorker):
    batch_size = 50
    # RQ's loop writes the worker's heartbeat (HSET, then EXPIRE: two round trips) before
    # every dequeue and after every job, its state three times a job, and reads the
    # suspension flag once a job: eight round trips a batch, more than the batch's own
    # work at a batch of one. The worker's key lives worker_ttl + 60 s (480 s by default),
    # so one heartbeat a second (one pipelined round trip) keeps it as alive; a state is
    # written when it changes; ``rq suspend`` is seen within a second.
    heartbeat_every = 1.0
    suspension_every = 1.0

    def __init__(self, *args, batch_size: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if batch_size:
            self.batch_size = batch_size
        self._claim = self.connection.register_script(_CLAIM)
        self._suspension_checked = -float("inf")

    def heartbeat(self, timeout=None, pipeline=None):
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)
            return
        last = self.last_heartbeat
        if timeout is None and last is not None:
            if (now() - last).total_seconds() < self.heartbeat_every:
                return
        with self.connection.pipeline(transaction=False) as pipe:
            super().heartbeat(timeout, pipe)
            pipe.execute()

    def set_state(self, state, pipeline=None):
        if state == self.get_state():
            return
        super().set_state(state, pipeline)

    def check_for_suspension(self, burst):
        if time.monotonic() - self._suspension_checked < self.suspension_every:
            return
        self._suspension_checked = time.monotonic()
        super().check_for_suspension(burst)

    def _start_scheduler(
        self, burst=False, logging_level="INFO", date_format=None, log_format=None
    ):
        """As RQ's, with the scheduler in a thread (``ThreadScheduler``)."""
        formats = (("date_format", date_format), ("log_format", log_format))
        options = {name: value for name, value in formats if value}
        self.scheduler = ThreadScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            serializer=self.serializer,
            **options,
        )
        self.scheduler.acquire_locks()
        if not self.scheduler.acquired_locks:
            return
        if burst:
            try:
                self.scheduler.register_birth()
                self.scheduler.enqueue_scheduled_jobs()
            finally:
                self.scheduler.release_locks()
                self.scheduler.register_death()
        else:
            self.scheduler.start()

    def stop_scheduler(self):
        thread = self.scheduler._process if self.scheduler else None
        if not isinstance(thread, _SchedulerThread):
            super().stop_scheduler()
            return
        # It sees the request within its interval (1 s), releases its locks and stops.
        self.scheduler.request_stop()
        thread.join(self.scheduler.interval + 5)

    def execute_job(self, job: Job, queue) -> None:
        if job.func_name != MODERATE_JOB or not job.id.startswith(MODERATION_PREFIX):
            refresh_label_memories()
            super().execute_job(job, queue)
            return
        # Busy: a SIGTERM now asks for a warm stop after this batch (RQ raises StopRequested
        # wherever an idle worker is, which would land in the batch's own code). Redis hears
        # it from the claim, in the same round trip.
        self._state = WorkerStatus.BUSY
        try:
            self._run_batch(job, queue)
        finally:
            self.set_state(WorkerStatus.IDLE)

    def _run_batch(self, job: Job, queue) -> None:
        stamp = utcformat(now())
        claimed = [
            i.decode() if isinstance(i, bytes) else i
            for i in self._claim(
                keys=[queue.key, queue.intermediate_queue_key, self.key],
                args=[
                    job.id,
                    self.batch_size - 1,
                    Job.redis_job_namespace_prefix,
                    MODERATION_PREFIX,
                    stamp,
                    self.name,
                ],
            )
        ]
        if not claimed:
            return  # deleted since it was dequeued
        rt = worker_runtime.get()
        try:
            # The label memories are refreshed in the batch's own session (one session a batch).
            report = decide_batch(
                rt,
                [comment_of(i) for i in claimed],
                rt.settings.jobs.timeout_seconds,
                before=_refresh_memories,
            )
        except Exception as error:
            # The transaction rolled back (a database outage, a bug): nothing was
            # decided. Each job goes through RQ's own path, with its retries.
            log.warning(
                "batch of %d failed (%s); running its jobs one by one",
                len(claimed),
                type(error).__name__,
            )
            self._one_by_one(claimed, queue)
            return
        done = [i for i in claimed if comment_of(i) not in report.failed]
        self._finish(done)
        for comment_id, error in report.failed.items():
            log.warning(
                "comment %s: checks failed in a batch (%s); retrying on its own",
                comment_id,
                type(error).__name__,
            )
        self._one_by_one([i for i in claimed if comment_of(i) in report.failed], queue)

    def _finish(self, job_ids: list[str]) -> None:
        """Mark jobs finished, kept for the moderation job's result TTL, and the worker idle,
        in one round trip."""
        if not job_ids:
            return
        stamp = utcformat(now())
        ttl = 3600  # service.enqueue.enqueue_moderation's result_ttl
        with self.connection.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                key = Job.key_for(job_id)
                pipe.hset(key, mapping={"status": JobStatus.FINISHED.value, "ended_at": stamp})
                pipe.expire(key, ttl)
            self.set_state(WorkerStatus.IDLE, pipeline=pipe)
            pipe.execute()

    def _one_by_one(self, job_ids: list[str], queue) -> None:
        for job_id in job_ids:
            try:
                job = Job.fetch(job_id, connection=self.connection, serializer=self.serializer)
            except Exception:  # gone (deleted, expired): its comment, if pending, is the sweeper's
                continue
            super().execute_job(job, queue)


def _refresh_memories(session) -> None:
    from worker.checks.labels import refresh_memories

    refresh_memories(session)


def refresh_label_memories() -> None:
    """Bring the moderator-label memories up to date before the next job (cheap when
    nothing changed); a failure is the job's to meet and report."""
    from worker.checks.labels import refresh_memories

    try:
        with worker_runtime.get().session() as session:
            refresh_memories(session)
    except Exception:
        log.warning("could not refresh label memories", exc_info=True)
