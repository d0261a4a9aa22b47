"""Requests that wait for a comment's decision (``GET /api/v1/comments/{id}?wait=S``), woken by
one Redis subscription per process.

Each wait used to open its own subscription: redis-py's ``PubSub`` takes a connection of its
own, and closing it disconnects that connection, so every ``?wait=`` paid a TCP connect, the
client handshake, ``SUBSCRIBE`` and a teardown (at 100 comments/s, ~30 % of the web's busy
samples sat in those round trips). Here one daemon thread per process holds
``PSUBSCRIBE parley:comment:*`` (the channel the worker announces each decision on, after
its commit: ``service.events.announce_decisions``) and wakes the waiting threads of the
comments it hears about; a wait costs a dict entry and an ``Event``.

The promises of the per-request subscription stay:

- **never a missed decision**: a wait is registered before the row is read, and it relies
  on the subscription only from a read made once the subscription was confirmed, so a
  decision committed after that read is announced to a subscription that already exists; the
  row is read again every second anyway (a decision whose announcement Redis lost is seen
  within a second);
- **without Redis** (or until the subscription is confirmed) the wait polls the row every
  ``POLL_S``, as before; the listener subscribes again with backoff. A comment already decided
  is answered at once, whatever the subscription's state.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from service.events import comment_channel
from service.status import Status

log = logging.getLogger(__name__)

PATTERN = comment_channel(0)[:-1] + "*"  # "parley:comment:*"
PREFIX = PATTERN[:-1]
RECHECK_S = 1.0  # the row is read again this often, whatever the subscription says
POLL_S = 0.1  # without a subscription


@dataclass(eq=False)
class _Waiter:
    event: threading.Event = field(default_factory=threading.Event)
    status: str | None = None


class DecisionWaiters:
    """One per process (``Runtime.decisions``); the listener starts on the first wait."""

    def __init__(self, conn: redis.Redis):
        self._conn = conn
        self._lock = threading.Lock()
        self._waiting: dict[int, list[_Waiter]] = {}
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = threading.Event()

    def wait(self, comment_id: int, read: Callable[[], str | None], seconds: float) -> str | None:
        """Block up to ``seconds`` until comment ``comment_id`` is no longer pending; returns
        its status then, or the last one ``read`` gave (None: no such comment)."""
        deadline = time.monotonic() + seconds
        me = _Waiter()
        with self._lock:
            self._waiting.setdefault(comment_id, []).append(me)
        try:
            ready = self._listening()
            # Subscribed before this read: a decision committed after it is announced to us.
            subscribed = ready.is_set()
            status = read()
            while status == Status.PENDING:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                if not subscribed:
                    # Not (yet) subscribed, or Redis is gone: poll the row, and use the
                    # subscription from the read that follows its confirmation.
                    subscribed = ready.wait(min(remaining, POLL_S))
                elif me.event.wait(min(remaining, RECHECK_S)):
                    if me.status not in (None, Status.PENDING):
                        return me.status
                    me.event.clear()
                    continue
                else:
                    subscribed = ready.is_set()  # a second without news: read the row again
                status = read()
            return status
        finally:
            with self._lock:
                waiters = self._waiting.get(comment_id)
                if waiters is not None:
                    waiters.remove(me)
                    if not waiters:
                        del self._waiting[comment_id]

    def close(self) -> None:
        """Stop listening; the subscription is gone when this returns (within ~1 s: the
        listener looks up between reads)."""
        self._stopping.set()
        thread = self._thread
        if thread is not None and self._pid == os.getpid() and thread.is_alive():
            thread.join(timeout=3)

    def _listening(self) -> threading.Event:
        """Start this process's listener if it is not running (a forked child has none);
        the event set while its subscription is confirmed."""
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._ready = threading.Event()
                self._thread = threading.Thread(
                    target=self._listen, name="parley-decisions", daemon=True
                )
                self._thread.start()
            return self._ready

    def _listen(self) -> None:
        ready = self._ready
        pause = 0.5
        while not self._stopping.is_set():
            pubsub = None
            try:
                pubsub = self._conn.pubsub()
                pubsub.psubscribe(PATTERN)
                while not self._stopping.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "psubscribe":
                        ready.set()
                        pause = 0.5
                    elif message["type"] == "pmessage":
                        self._wake(message["channel"], message["data"])
            except (redis.RedisError, OSError, ValueError) as error:
                ready.clear()
                if not self._stopping.is_set():
                    log.warning("decision subscription lost (%s); waits poll", type(error).__name__)
            finally:
                if pubsub is not None:
                    try:
                        pubsub.close()
                    except (redis.RedisError, OSError):
                        pass
            self._stopping.wait(pause)
            pause = min(pause * 2, 10.0)

    def _wake(self, channel: bytes | str, data: bytes | str) -> None:
        if isinstance(channel, bytes):
            channel = channel.decode()
        try:
            comment_id = int(channel[len(PREFIX) :])
            status = json.loads(data).get("status")
        except (ValueError, AttributeError):
            return
        with self._lock:
            waiters = list(self._waiting.get(comment_id, ()))
        for waiter in waiters:
            waiter.status = status
            waiter.event.set()
