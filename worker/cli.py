"""The ``parley`` command: the service's operator commands plus the worker's."""

from __future__ import annotations

import importlib
import logging
import time

import click
import redis
from rq import SimpleWorker, Worker

from service.cli import cli, load_runtime
from service.enqueue import SERIALIZER
from service.heap import release_free_memory
from service.logs import configure_logging
from service.metrics import serve_metrics_port
from service.multiproc import prepare_multiprocess
from worker import runtime as worker_runtime
from worker.backoff import delays
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
    log = logging.getLogger("parley.worker")
    waits = delays()
    while True:
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
            # The scheduler moves retries with a backoff interval back onto the queue.
            worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
            return
        except (redis.ConnectionError, redis.TimeoutError) as error:
            # A Redis blip must not end the worker: wait, then start a fresh one. A job
            # it was running is pending in the database; the sweeper re-enqueues it.
            wait = next(waits)
            log.warning(
                "redis unavailable (%s); reconnecting in %.0f s", type(error).__name__, wait
            )
            time.sleep(wait)


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
