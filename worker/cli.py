"""The ``parley`` command: the service's operator commands plus the worker's."""

from __future__ import annotations

import importlib
import logging
import signal
import time

import click
import redis
from rq import SimpleWorker, Worker
from rq.exceptions import StopRequested

from service.cli import cli, load_runtime
from service.enqueue import SERIALIZER
from service.heap import release_free_memory
from service.logs import configure_logging
from service.metrics import serve_metrics_port
from service.multiproc import prepare_multiprocess
from worker import runtime as worker_runtime
from worker.backoff import Backoff
from worker.sweeper import heartbeat_interval


def warm_up() -> None:
    """Import the jobs and load models before forking work-horses, so every
    horse starts with them in (copy-on-write) memory instead of loading them
    again for each job."""
    import worker.jobs  # noqa: F401
    from worker.checks import CheckContext, CommentFacts
    from worker.pipeline import run_checks

    # One stateless run loads every model and compiles every pattern.
    run_checks(CommentFacts(body="warm-up comment"), CheckContext(stateful=False))
    # ... and one that passes the rules' gates, so the patterns behind them (the threats,
    # the sales talk) and their prefilters are ready before the first real comment.
    run_checks(
        CommentFacts(body="Earn $500 a day, check out my channel now! See you at the end, idiot."),
        CheckContext(stateful=False),
    )
    # Loading the models freed several MB of buffers that would otherwise stay resident.
    release_free_memory()


class _RefreshBeforeWork:
    """Refresh per-process caches in the parent before each job, so a forked
    work-horse inherits them (copy-on-write) instead of rebuilding them."""

    def execute_job(self, job, queue):
        from worker.checks.labels import refresh_memories

        try:
            with worker_runtime.get().session() as session:
                refresh_memories(session)
        except Exception:  # the job itself will meet (and report) the same problem
            logging.getLogger(__name__).warning("could not refresh label memories", exc_info=True)
        return super().execute_job(job, queue)


class CheckingWorker(_RefreshBeforeWork, Worker):
    pass


class SimpleCheckingWorker(_RefreshBeforeWork, SimpleWorker):
    pass


class _Stop(Exception):
    """SIGTERM or SIGINT while no RQ worker holds the signals (between reconnect attempts)."""


def _stop(signum, frame) -> None:
    raise _Stop


class _StopsDuringOutage:
    """RQ's warm shutdown asks Redis whether a job is running. During an outage that raises a
    connection error inside the signal handler, which RQ's own dequeue retry loop (or the
    reconnect loop below) took for the outage: the stop was lost, and ``docker stop`` ended in
    SIGKILL. Remember the stop, and stop without Redis's answer."""

    stop_requested = False

    def request_stop(self, signum, frame):
        self.stop_requested = True
        try:
            super().request_stop(signum, frame)
        except (redis.ConnectionError, redis.TimeoutError):
            raise StopRequested() from None


@cli.command("worker", help="Run an RQ worker that checks comments.")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option(
    "--batch",
    type=click.IntRange(1, 500),
    default=50,
    show_default=True,
    help="Most moderation jobs decided in one transaction.",
)
@click.option(
    "--simple", is_flag=True, help="RQ's plain SimpleWorker: one job at a time, no batches."
)
@click.option("--fork", is_flag=True, help="RQ's forking worker: a work-horse per job (slow).")
def worker_command(burst: bool, batch: int, simple: bool, fork: bool) -> None:
    # Imported here: the checks and their models are the worker's, and the sweeper and the
    # other commands of this module stay small without them.
    from worker.loop import BatchingWorker

    rt = load_runtime()
    configure_logging(rt.settings.operations.log_format)
    worker_runtime.install(rt)
    if rt.settings.operations.metrics_port:
        # Work-horses are forked per job: their counts reach the port through files.
        prepare_multiprocess()
        serve_metrics_port(rt.settings.operations.metrics_port)
    warm_up()
    if simple and fork:
        raise click.UsageError("--simple and --fork exclude each other")
    cls, options = BatchingWorker, {"batch_size": batch}
    if simple or fork:
        cls, options = (SimpleCheckingWorker if simple else CheckingWorker), {}
    # The chosen class, told to stop without Redis's answer (one mixin for the three).
    cls = type(cls.__name__, (_StopsDuringOutage, cls), {})
    log = logging.getLogger("parley.worker")
    try:
        _work_until_stopped(rt, cls, options, burst, log)
    except _Stop:
        log.info("stop requested while redis was unavailable; exiting")


def _work_until_stopped(rt, cls, options: dict, burst: bool, log: logging.Logger) -> None:
    waits = Backoff()
    while True:
        _own_signals()
        worker = None
        try:
            # Built inside the try: RQ's constructor already talks to Redis (CLIENT SETNAME),
            # so a reconnect attempt while Redis is still down fails here.
            worker = cls(
                [rt.queue],
                connection=rt.redis,
                serializer=SERIALIZER,
                # Heartbeats often enough that the sweeper can tell a killed worker's job.
                job_monitoring_interval=heartbeat_interval(rt.settings.jobs.sweep_after_seconds),
                **options,
            )
            # Redis answered: a later outage starts again from the short wait.
            waits.reset()
            # The scheduler moves retries with a backoff interval back onto the queue.
            worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
            return
        except StopRequested:
            # The stop came while the worker was already leaving (its teardown, after Redis
            # went away): RQ's handler raised it outside the loop that expects it.
            log.info("stop requested; exiting")
            return
        except (redis.ConnectionError, redis.TimeoutError) as error:
            if worker is not None and worker.stop_requested:
                # Stopped during the outage: RQ's goodbye to Redis failed, not the stop.
                log.info("stop requested while redis was unavailable; exiting")
                return
            # A Redis blip must not end the worker: wait, then start a fresh one. A job
            # it was running is pending in the database; the sweeper re-enqueues it.
            wait = waits.next()
            log.warning(
                "redis unavailable (%s); reconnecting in %.0f s", type(error).__name__, wait
            )
            _own_signals()
            time.sleep(wait)


def _own_signals() -> None:
    """Between attempts the signals are the loop's (an RQ worker takes them while it works,
    and leaves its own behind): a stop ends the wait for Redis at once."""
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)


@cli.command("sweep", help="Re-enqueue pending comments whose job is gone.")
@click.option("--every", type=float, default=None, help="Keep sweeping, every N seconds.")
@click.option("--older-than", type=int, default=None, help="Only comments pending this long (s).")
def sweep_command(every: float | None, older_than: int | None) -> None:
    from worker.sweeper import sweep_forever, sweep_pending

    rt = load_runtime()
    configure_logging(rt.settings.operations.log_format)
    worker_runtime.install(rt)
    if every and rt.settings.operations.metrics_port:
        serve_metrics_port(rt.settings.operations.metrics_port, rt)
    if every:
        sweep_forever(rt, every)
        return
    report = sweep_pending(rt, older_than)
    click.echo(
        f"looked at {report.looked_at} pending; re-enqueued {len(report.enqueued)}; "
        f"held {len(report.held)}; still queued {report.alive}"
        + (f"; {report.error}" if report.error else "")
    )


def _register_optional_commands() -> None:
    """Commands of feature areas that may not be present in every checkout."""
    import importlib

    for module, attr in (("service.devstack", "run_command"),):
        try:
            command = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        cli.add_command(command)


_register_optional_commands()


class LazyCommand(click.Command):
    """A command whose module is imported only when it runs (or shows its own help).

    ``parley worker`` and ``parley sweep`` run from this module for days: importing the
    training, evaluation and import code (the checks, NumPy, the XML readers) only to list
    them cost each such process tens of MB. The group lists a lazy command by its ``help``,
    which a test holds equal to the real command's.
    """

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help, add_help_option=False)
        self.target = target

    def real(self) -> click.Command:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def make_context(self, info_name, args, parent=None, **extra):
        # The group invokes ``sub_ctx.command``: the real command, from here on.
        return self.real().make_context(info_name, args, parent=parent, **extra)


LAZY_COMMANDS = (
    ("train", "worker.train:train_command",
     "Train the spam and/or toxicity model from the labeled data."),
    ("eval", "worker.evaluate:eval_command",
     "Measure the spam or toxicity checks on a labeled CSV file."),
    ("import", "service.importing.commands:import_command",
     "Import comments exported by another system (or by Parley)."),
    ("export", "service.importing.commands:export_command",
     "Export a site's threads and comments."),
    ("erase", "service.importing.commands:erase_command",
     "Erase an author's data on a site (their request, GDPR art. 17)."),
)  # fmt: skip
for _name, _target, _help in LAZY_COMMANDS:
    cli.add_command(LazyCommand(_name, _target, _help))


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="parley")
