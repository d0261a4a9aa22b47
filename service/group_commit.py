"""Group commit: one transaction, one disk sync for the rows of many requests.

Every web thread that stores a submitted comment hands its row (``comments.submit.Row``)
to the process's ``GroupCommit`` (``Runtime.submits``) and waits. One of the waiting
threads leads: it takes every row queued so far, inserts them in one transaction under
the database's write lock (``Runtime.writing``), commits once, enqueues their checks in
one Redis round trip, and wakes their threads; rows that arrived meanwhile form the next
batch, led by one of their own threads. Under load a commit (one WAL sync on SQLite, one
round trip and one WAL flush on PostgreSQL) carries tens of comments instead of one;
alone, a row is committed at once (no timer: a batch is what queued while the previous
one committed).

The promises stay those of one commit per comment:

- **a 2xx only after its row's commit**: a thread returns once the transaction holding its
  row committed; the enqueue runs after it (a lost enqueue is the sweeper's, as before), in
  the leader's thread once its batch's threads are woken and leadership is handed on, so
  neither the answers nor the next batch's commit wait for Redis;
- **nothing lost, nothing twice**: a batch whose insert or commit fails rolled back
  whole, so its rows are committed again one transaction each, and each thread gets its
  own row or its own error (a 503 when the database is down, a 409 when its parent or
  thread went away meanwhile);
- requests of one thread key racing for its creation (in one batch, in two processes) meet
  the ``INSERT … ON CONFLICT DO NOTHING`` of ``comments.submit.insert_rows``: one thread,
  and every comment in it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from service.errors import ApiError

log = logging.getLogger(__name__)

# Rows per transaction: enough to amortise the sync, small enough that one bad batch's
# one-by-one retry stays short.
MAX_BATCH = 64


# Inserts a batch's rows in the session and flushes; returns what each row became.
Insert = Callable[[Any, list[Any]], list[Any]]
# Runs once the batch committed, with what ``Insert`` returned (the enqueue); never raises.
After = Callable[[list[Any]], None]


@dataclass(eq=False)
class _Waiting:
    row: Any
    result: Any = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class GroupCommit:
    """One per kind of row and process; every caller of one passes the same ``insert`` and
    ``after`` (a batch is inserted with its leader's)."""

    max_batch: int = MAX_BATCH
    # How many batches and rows this process committed (tests and the bench read them).
    batches: int = 0
    rows: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _queue: list[_Waiting] = field(default_factory=list, repr=False)
    _leading: bool = field(default=False, repr=False)

    def store(self, rt, row: Any, insert: Insert, after: After) -> Any:
        """Insert ``row`` and commit; returns what ``insert`` made of it (detached, loaded),
        or raises the error that kept it from being committed."""
        me = _Waiting(row)
        with self._cond:
            self._queue.append(me)
            while self._leading and not me.done:
                self._cond.wait()
            if not me.done:
                self._leading = True
        if not me.done:
            self._lead(rt, me, insert, after)
        if me.error is not None:
            raise me.error
        return me.result

    def _lead(self, rt, me: _Waiting, insert: Insert, after: After) -> None:
        committed: list[list[Any]] = []
        try:
            while not me.done:
                with self._cond:
                    batch = self._queue[: self.max_batch]
                    del self._queue[: self.max_batch]
                try:
                    self._commit(rt, batch, insert, committed)
                finally:
                    with self._cond:
                        for waiting in batch:
                            if waiting.result is None and waiting.error is None:
                                # The leader was interrupted (its worker stopping) mid-batch.
                                waiting.error = ApiError(
                                    "unavailable", "the comment could not be stored; try again"
                                )
                            waiting.done = True
                        self._cond.notify_all()
        finally:
            with self._cond:
                self._leading = False
                # One of the threads still waiting leads the next batch.
                self._cond.notify_all()
        # After the commit, once for each batch (one Redis round trip for its jobs), once the
        # batch's threads are answering and the next batch is committing: the rows are stored
        # whatever happens here, and a failure is the sweeper's to make up for.
        for results in committed:
            try:
                after(results)
            except Exception as error:
                log.warning(
                    "after-commit step of a batch of %d failed (%s)",
                    len(results),
                    type(error).__name__,
                )

    def _commit(
        self, rt, batch: list[_Waiting], insert: Insert, committed: list[list[Any]]
    ) -> None:
        try:
            results = _transaction(rt, [w.row for w in batch], insert)
        except Exception as error:
            if len(batch) == 1:
                batch[0].error = _answer(error)
                return
            # Rolled back whole: nothing of it is stored. Each row again, on its own.
            log.warning(
                "a batch of %d comments failed (%s); committing them one by one",
                len(batch),
                type(error).__name__,
            )
            for waiting in batch:
                self._commit(rt, [waiting], insert, committed)
            return
        for waiting, result in zip(batch, results, strict=True):
            waiting.result = result
        with self._cond:
            self.batches += 1
            self.rows += len(batch)
        committed.append(results)


def _transaction(rt, rows: list[Any], insert: Insert) -> list[Any]:
    with rt.writing(), rt.session() as session:
        results = insert(session, rows)
        session.commit()
    return results


def _answer(error: BaseException) -> BaseException:
    """The error a reader gets for a row that could not be stored: an integrity error is
    a parent (or site) removed between the checks and the insert; anything else keeps its
    type (an outage is answered 503 by ``service.api``)."""
    if isinstance(error, sa.exc.IntegrityError):
        return ApiError(
            "conflict", "the thread or the comment you reply to changed meanwhile; try again"
        )
    return error
