"""SQLite has one writer for the whole machine: the web processes' submits and the worker's
batches queue for it on one advisory lock file beside the database (``Runtime.writing``)
rather than sleeping in SQLite's busy handler (issue 17: submit p99 at 32 connections).
PostgreSQL writers run in parallel and do not queue."""

from __future__ import annotations

import threading

from service.runtime import Runtime


def test_sqlite_writers_of_two_processes_take_turns(settings):
    sqlite = settings.database_url.startswith("sqlite")
    # Two runtimes are two processes' worth of state: two descriptors of the lock file.
    first, second = Runtime.build(settings), Runtime.build(settings)
    entered = threading.Event()

    def other_process():
        with second.writing():
            entered.set()

    try:
        with first.writing():
            waiter = threading.Thread(target=other_process)
            waiter.start()
            # SQLite: queued behind the first writer; PostgreSQL: straight in.
            assert entered.wait(0.5) is not sqlite
        assert entered.wait(5)  # in as soon as the first let go
        waiter.join(5)
    finally:
        first.close()
        second.close()
