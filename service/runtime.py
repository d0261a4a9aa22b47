"""Connections a process needs: database engine, session factory, Redis, queue.

Built once per process from ``Settings`` (the app factory keeps it on
``app.extensions["parley"]``; the worker builds one on first use). Nothing here
connects at import time.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import redis
import sqlalchemy as sa
from rq import Queue
from sqlalchemy.orm import Session, sessionmaker

from service import effects
from service.comments.decisions import DecisionWaiters
from service.enqueue import make_queue
from service.group_commit import GroupCommit
from service.settings import Settings
from service.slots import Slots


def make_engine(database_url: str, threads: int = 16, synchronous: str = "full") -> sa.Engine:
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; spare operators the dialect suffix.
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    if database_url.startswith("sqlite"):
        path = sa.engine.make_url(database_url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            database_url,
            connect_args={"timeout": 30},
            hide_parameters=True,
            # One pooled connection per web thread: an overflow connection is opened (and its
            # pragmas run) per request and closed after it, which under load costs more than
            # the query. SQLite connections are a file handle and a page cache each.
            pool_size=max(5, threads),
            max_overflow=10,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # WAL lets the web process read while a worker writes; foreign keys
            # are off by default in SQLite and we rely on them.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # settings.sqlite_synchronous (PARLEY_SQLITE_SYNCHRONOUS): full or normal.
            cursor.execute(f"PRAGMA synchronous={'NORMAL' if synchronous == 'normal' else 'FULL'}")
            cursor.close()

        return engine
    return sa.create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        # A black-holed database must not hold web threads: give up connecting
        # after 5 s, on a query after 15 s, on a free pool slot after 5 s.
        pool_timeout=5,
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=15000"},
        # Parameters are readers' emails and comment text: never in an error or a log.
        hide_parameters=True,
    )


@dataclass
class Runtime:
    settings: Settings
    engine: sa.Engine
    sessions: sessionmaker[Session]
    redis: redis.Redis
    queue: Queue
    # Web threads lent to requests that wait (event streams, ?wait=): service.slots.
    waiting: Slots
    # Live streams held by the process's stream hub (no thread each): service.widget.hub.
    streams: Slots
    # Requests waiting for a decision, woken by one subscription (service.comments.decisions).
    decisions: DecisionWaiters
    # Submitted comments, committed many to a transaction (service.group_commit).
    submits: GroupCommit = field(default_factory=GroupCommit)
    _pid: int = field(default_factory=os.getpid)
    _writing: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _writers: tuple[int, int] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        engine = make_engine(
            settings.database_url, settings.web.threads, settings.sqlite_synchronous
        )
        # Short timeouts: a request must not hang because Redis is gone; the
        # database row is the source of truth and the sweeper catches up.
        conn = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=1, socket_timeout=5)
        sessions = sessionmaker(engine, expire_on_commit=False)
        # Effects registered with a session run after its commit (service.effects).
        effects.install(sessions)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            redis=conn,
            queue=make_queue(settings, conn),
            waiting=Slots(
                settings.widget.max_waiting or max(1, settings.web.threads // 2),
                settings.widget.max_waiting_per_client,
            ),
            streams=Slots(settings.widget.max_streams, settings.widget.max_waiting_per_client),
            decisions=DecisionWaiters(conn),
        )

    def after_fork(self) -> None:
        """SQLAlchemy's advice for os.fork(): never share pooled connections."""
        if os.getpid() != self._pid:
            self.engine.dispose(close=False)
            self._pid = os.getpid()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around a short write transaction on a hot path (a submitted comment, a batch of
        decisions).

        SQLite has one writer; threads that wait for it sleep in SQLite's busy handler,
        up to 100 ms a nap, so under load the unlucky ones wait seconds (a 3 s p99 at 32
        connections). Queued instead, each takes the database as soon as the previous one
        commits: on a lock in this process, then on an advisory lock file beside the
        database (``flock``) that every web process and the worker share, so processes
        hand the writer over at once too. Other writers (moderators, the CLI) still meet
        SQLite's busy timeout. PostgreSQL writers do not need it.
        """
        if self.engine.dialect.name != "sqlite":
            yield
            return
        with self._writing:
            fd = self._writers_file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fd is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)

    def _writers_file(self) -> int | None:
        """This process's descriptor of ``<database>.writers`` (opened after a fork anew: a
        descriptor shared with the parent would share its lock)."""
        if self._writers is not None and self._writers[0] == os.getpid():
            return self._writers[1]
        path = self.engine.url.database
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        try:
            fd = os.open(f"{path}.writers", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            return None
        self._writers = (os.getpid(), fd)
        return fd

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def close(self) -> None:
        self.decisions.close()
        self.engine.dispose()
        self.redis.close()
        if self._writers is not None and self._writers[0] == os.getpid():
            os.close(self._writers[1])
        self._writers = None


def current_runtime() -> Runtime:
    # Flask here only: the worker, the sweeper and the CLI build a Runtime without a web app.
    import flask  # a plain import: no from-list to resolve on every call

    return flask.current_app.extensions["parley"]
