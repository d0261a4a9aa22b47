"""Starting RQ workers: drained in this process, or the forking `parley worker` operators run.

``drain(rt)`` runs every queued job here with a SimpleWorker (no fork, no scheduler), so a test
steps the pipeline deterministically. ``worker_process(env)`` runs the real worker CLI in its own
process group and stops it the way ``docker stop`` does: SIGTERM to the main process (a warm
shutdown of work-horse and scheduler), SIGKILL to the whole group after ``stop_timeout``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rq import SimpleWorker

from service.enqueue import SERIALIZER
from service.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


def drain(rt: Runtime) -> None:
    """Run every job queued on ``rt``'s queue, as a real RQ worker would, then return."""
    SimpleWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER).work(
        burst=True, with_scheduler=False
    )


def drain_batched(rt: Runtime, batch_size: int = 50) -> None:
    """Run every queued job with the worker ``parley worker`` runs (batches, no fork)."""
    from worker.loop import BatchingWorker

    BatchingWorker(
        [rt.queue], connection=rt.redis, serializer=SERIALIZER, batch_size=batch_size
    ).work(burst=True, with_scheduler=False)


class WorkerDidNotStop(AssertionError):
    """The worker ignored SIGTERM for ``stop_timeout`` seconds and was killed."""


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    log: Path = field(repr=False)
    returncode: int | None = None
    _final: str | None = field(default=None, repr=False)

    @property
    def output(self) -> str:
        """Everything the worker printed (stdout and stderr): so far, or all once stopped."""
        if self._final is not None:
            return self._final
        return self.log.read_text(errors="replace")

    def stopped(self, returncode: int) -> None:
        self.returncode = returncode
        self._final = self.log.read_text(errors="replace")


@contextmanager
def worker_process(
    env: Mapping[str, str], stop_timeout: float = 30, options: tuple[str, ...] = ()
) -> Iterator[WorkerProcess]:
    """Run ``parley worker [OPTIONS]`` configured by ``env`` (PARLEY_* on top of this environment).

    Output goes to a file, not a pipe, so a chatty long-lived worker never blocks on a full one.
    Raises WorkerDidNotStop (after killing its group) when SIGTERM did not stop it in time.
    """
    with parley_process(["worker", *options], env, stop_timeout) as worker:
        yield worker


@contextmanager
def sweeper_process(
    env: Mapping[str, str], every: float = 1, stop_timeout: float = 30
) -> Iterator[WorkerProcess]:
    """Run ``parley sweep --every S`` as operators do, stopped like ``worker_process``."""
    with parley_process(["sweep", "--every", str(every)], env, stop_timeout) as sweeper:
        yield sweeper


@contextmanager
def parley_process(
    args: list[str], env: Mapping[str, str], stop_timeout: float = 30
) -> Iterator[WorkerProcess]:
    """Run ``parley ARGS`` in its own process group; SIGTERM at the end, SIGKILL after
    ``stop_timeout`` (then WorkerDidNotStop)."""
    with tempfile.NamedTemporaryFile("w+", prefix="parley-", suffix=".log") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "worker.cli_entry", *args],
            env={**os.environ, **env},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker = WorkerProcess(process, Path(log.name))
        try:
            yield worker
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGTERM)
            try:
                worker.stopped(process.wait(timeout=stop_timeout))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                worker.stopped(process.wait())
                raise WorkerDidNotStop(
                    f"parley {args[0]} did not stop within {stop_timeout} s of SIGTERM:\n"
                    f"{worker.output[-4000:]}"
                ) from None
