"""One event loop per web process that holds every open live stream (``/api/v1/threads/events``).

A thread per stream (gunicorn's gthread model) caps a process at its thread count: at 128
open widgets the JSON API stopped answering. Here the request is still read, validated,
rate-capped and answered (status and headers, CORS included) by the Flask app on a gunicorn
thread; then ``service.gunicorn_worker`` hands the socket over to this hub and the thread is
free for the next request. The hub is an asyncio loop in one daemon thread:

- **one Redis subscription per process** (``PSUBSCRIBE parley:thread:*``), whatever the number
  of streams; a decision on a thread with open streams is read from the database once (in a
  small thread pool, so the loop never waits on the database), serialized once by the one
  serializer of a comment (``comment_out``), and written to each of the thread's streams;
- an idle stream costs a socket, a small object and its entry in epoll: no thread, no
  Redis connection, no timer of its own (one sweep a second sends keep-alives and ends streams
  that reached ``PARLEY_SSE_LIFETIME``);
- a client that hangs up is noticed by its socket becoming readable (EOF); one that stops
  reading is dropped once its socket buffer is full, never waited for;
- without Redis the hub polls the database for its threads every ``POLL_SECONDS`` and
  subscribes again with backoff.

Moderators' queues (``/api/v1/moderation/events``, ``service.moderation.live``) are streams of
the same hub keyed by site instead of thread: every decision on the site's threads, and the
reports ``service.events.MODERATION_CHANNEL`` carries (under the same pattern), each read once
from the database and sent to the site's open queues as a short nudge.

Each stream still takes its slot from ``Runtime.streams`` (the hardening issue's per-client cap,
and a total per process) and gives it back when it ends.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import redis
import redis.asyncio as aioredis
import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from service.comments.reading import comment_out
from service.events import MODERATION_CHANNEL, decision_of
from service.models import Comment
from service.moderation import live as moderation_live
from service.status import Status
from service.widget.live import gone_out

log = logging.getLogger(__name__)

# The WSGI environ key under which service.gunicorn_worker offers the hub to the view.
HUB_ENVIRON_KEY = "parley.stream_hub"
POLL_SECONDS = 2.0
RECONNECT_MS = 2000
REPLAY_BATCH = 50
# How long a new stream waits for the hub's subscription before it is answered anyway.
LISTEN_WAIT_SECONDS = 5.0
_THREAD_PREFIX = "parley:thread:"
HUB_CLIENT_NAME = "parley-stream-hub"


@dataclass(frozen=True)
class StreamSpec:
    """What the validated request asks the hub for."""

    thread_id: int
    key: str
    after: int | None
    lifetime: float
    heartbeat: float
    give_back: Callable[[], None]
    # Set for a moderation queue's stream: every piece of news of this site (thread_id unused).
    site_id: int | None = None


@dataclass(eq=False)
class _Stream:
    sock: socket.socket
    spec: StreamSpec
    after: int
    deadline: float
    last_sent: float
    closed: bool = False
    writing: bool = False
    backlog: list[bytes] = field(default_factory=list)


class StreamHub:
    def __init__(self, rt) -> None:
        self.rt = rt
        self.loop = asyncio.new_event_loop()
        self.db = ThreadPoolExecutor(max_workers=4, thread_name_prefix="parley-hub-db")
        self.by_thread: dict[int, set[_Stream]] = {}
        self.by_site: dict[int, set[_Stream]] = {}
        self._tasks: set[asyncio.Task] = set()
        self.redis_ok = False
        # Set once the first subscription is in place (or failed: then the database poll
        # stands in); until then a new stream is not told ": connected".
        self.settled = asyncio.Event()
        self._thread = threading.Thread(target=self._run, name="parley-stream-hub", daemon=True)
        self._thread.start()

    # -- from gunicorn's threads ---------------------------------------------------------

    def adopt(self, sock: socket.socket, head: bytes, spec: StreamSpec) -> None:
        """Take over ``sock`` (the response's status line and headers are ``head``)."""
        self.loop.call_soon_threadsafe(self._adopt, sock, head, spec)

    def close(self) -> None:
        """Stop the loop and its thread (tests; a web process's hub lives as long as it)."""

        async def stop() -> None:
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self.loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), self.loop)
        self._thread.join(timeout=10)
        self.db.shutdown(wait=True)
        if not self._thread.is_alive():
            self.loop.close()

    def open_streams(self) -> int:
        return sum(len(s) for s in self._groups())

    def _groups(self) -> list[set[_Stream]]:
        return [*self.by_thread.values(), *self.by_site.values()]

    def _group_of(self, stream: _Stream) -> tuple[dict[int, set[_Stream]], int]:
        if stream.spec.site_id is not None:
            return self.by_site, stream.spec.site_id
        return self.by_thread, stream.spec.thread_id

    # -- in the loop ---------------------------------------------------------------------

    def _spawn(self, coroutine) -> asyncio.Task:
        # The loop keeps only weak references to tasks, and a task waiting on a Redis socket is
        # referenced by nothing but a cycle through its own frame (asyncio's streams hold their
        # reader weakly): a garbage collection would destroy the listener mid-wait, silently
        # ending every stream's news. Running tasks are kept here until they finish.
        task = self.loop.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self._spawn(self._listen())
        self._spawn(self._tick())
        self.loop.run_forever()

    def _adopt(self, sock: socket.socket, head: bytes, spec: StreamSpec) -> None:
        if self.settled.is_set():
            self._open(sock, head, spec)
        else:
            self._spawn(self._open_when_listening(sock, head, spec))

    async def _open_when_listening(self, sock: socket.socket, head: bytes, spec: StreamSpec):
        # The hub is made with its first stream and subscribes in the background: a client
        # told ": connected" before that would miss what is published meanwhile (a page acts
        # on that line).
        try:
            await asyncio.wait_for(self.settled.wait(), timeout=LISTEN_WAIT_SECONDS)
        except TimeoutError:
            pass
        self._open(sock, head, spec)

    def _open(self, sock: socket.socket, head: bytes, spec: StreamSpec) -> None:
        sock.setblocking(False)
        now = time.monotonic()
        stream = _Stream(sock, spec, spec.after or 0, now + spec.lifetime, now)
        groups, key = self._group_of(stream)
        groups.setdefault(key, set()).add(stream)
        try:
            self.loop.add_reader(sock.fileno(), self._readable, stream)
        except (OSError, ValueError):
            self._close(stream)
            return
        self._send(stream, head + f"retry: {RECONNECT_MS}\n: connected\n\n".encode())
        if spec.after is not None:
            self._spawn(self._replay(stream))
        else:
            # Without a starting point there is nothing to catch up on: from the newest on.
            self._spawn(self._from_newest(stream))

    async def _from_newest(self, stream: _Stream) -> None:
        if stream.spec.site_id is not None:
            newest = await self.loop.run_in_executor(self.db, self._site_call, "newest", stream)
            stream.after = max(stream.after, newest or 0)
            return
        newest = await self.loop.run_in_executor(self.db, self._newest, stream.spec.thread_id)
        stream.after = max(stream.after, newest)

    def _newest(self, thread_id: int) -> int:
        try:
            with self.rt.session() as session:
                newest = session.scalar(
                    sa.select(sa.func.max(Comment.id)).where(
                        Comment.thread_id == thread_id, Comment.status == Status.PUBLISHED
                    )
                )
            return newest or 0
        except Exception as error:
            log.warning("stream hub: could not read the newest comment (%s)", type(error).__name__)
            return 0

    def _readable(self, stream: _Stream) -> None:
        # A stream's client sends nothing after its request: readable means gone (EOF).
        try:
            data = stream.sock.recv(4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(stream)

    def _send(self, stream: _Stream, chunk: bytes) -> None:
        if stream.closed:
            return
        stream.last_sent = time.monotonic()
        if stream.backlog:
            stream.backlog.append(chunk)
            return
        try:
            sent = stream.sock.send(chunk)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._close(stream)
            return
        if sent < len(chunk):
            rest = chunk[sent:]
            if len(rest) > 256 * 1024:
                self._close(stream)  # a reader that does not read: not waited for
                return
            stream.backlog.append(rest)
            self.loop.add_writer(stream.sock.fileno(), self._writable, stream)

    def _writable(self, stream: _Stream) -> None:
        data = b"".join(stream.backlog)
        stream.backlog.clear()
        try:
            sent = stream.sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self._close(stream)
            return
        if sent < len(data):
            if len(data) - sent > 256 * 1024:
                self._close(stream)
                return
            stream.backlog.append(data[sent:])
            return
        self.loop.remove_writer(stream.sock.fileno())

    def _close(self, stream: _Stream) -> None:
        if stream.closed:
            return
        stream.closed = True
        groups, key = self._group_of(stream)
        streams = groups.get(key)
        if streams is not None:
            streams.discard(stream)
            if not streams:
                del groups[key]
        try:
            fd = stream.sock.fileno()
            if fd >= 0:
                self.loop.remove_reader(fd)
                self.loop.remove_writer(fd)
        except (OSError, ValueError):
            pass
        try:
            stream.sock.close()
        except OSError:
            pass
        try:
            stream.spec.give_back()
        except Exception:  # a slot's bookkeeping must not break the loop
            log.warning("could not give a stream's slot back", exc_info=True)

    async def _tick(self) -> None:
        """Once a second: keep-alives for quiet streams, an end for streams past their life,
        and, while Redis is away, a look at the database for what was published."""
        last_poll = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            for streams in self._groups():
                for stream in list(streams):
                    if now >= stream.deadline:
                        self._close(stream)
                    elif now - stream.last_sent >= stream.spec.heartbeat:
                        self._send(stream, b": keep-alive\n\n")
            if not self.redis_ok and now - last_poll >= POLL_SECONDS:
                last_poll = now
                for streams in self._groups():
                    for stream in list(streams):
                        await self._replay(stream)

    async def _listen(self) -> None:
        """The process's one subscription: every thread's decisions."""
        wait = 0.5
        while True:
            conn = aioredis.Redis.from_url(
                self.rt.settings.redis_url,
                socket_connect_timeout=2,
                health_check_interval=30,
                client_name=HUB_CLIENT_NAME,  # which connection is whose in CLIENT LIST
            )
            pubsub = conn.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(_THREAD_PREFIX + "*")
                self.redis_ok = True
                self.settled.set()
                wait = 0.5
                while True:
                    message = await pubsub.get_message(timeout=30.0)
                    if message and message.get("type") == "pmessage":
                        await self._decided(message["channel"], message["data"])
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError) as error:
                if self.redis_ok:
                    log.warning("stream hub: redis unavailable (%s); polling", type(error).__name__)
                self.redis_ok = False
                self.settled.set()
            finally:
                try:
                    await pubsub.aclose()
                    await conn.aclose()
                except Exception:
                    pass
            await asyncio.sleep(wait)
            wait = min(wait * 2, 10.0)

    async def _decided(self, channel: bytes | str, data: bytes | str) -> None:
        if isinstance(channel, bytes):
            channel = channel.decode()
        if channel == MODERATION_CHANNEL:
            await self._site_news(data)
            return
        news = decision_of(data)
        try:
            thread_id = int(channel[len(_THREAD_PREFIX) :])
        except ValueError:
            return
        if news is None:
            return
        comment_id, gone = news
        if self.by_site:
            # Moderators' queues hear of it on the side: readers' streams do not wait for them.
            self._spawn(self._site_news(data))
        streams = self.by_thread.get(thread_id)
        if not streams:
            return
        key = next(iter(streams)).spec.key
        found = await self.loop.run_in_executor(
            self.db, self._published, comment_id, thread_id, key, gone
        )
        if found is None:
            return  # held, spam: a reader's business only once it is published
        for stream in list(self.by_thread.get(thread_id, ())):
            if "status" in found:  # a gone one's tombstone (``gone_out``) moves no event id
                stream.after = max(stream.after, comment_id)
            self._send(stream, _event(found, stream.after))

    def _published(self, comment_id: int, thread_id: int, key: str, gone: bool) -> dict | None:
        """The comment as readers see it; a published one that left (``gone``) as a tombstone."""
        try:
            with self.rt.session() as session:
                comment = session.get(Comment, comment_id, options=[joinedload(Comment.identity)])
                if comment is not None and comment.thread_id != thread_id:
                    return None
                if comment is None or comment.status != Status.PUBLISHED:
                    return gone_out(comment_id, key) if gone else None
                return comment_out(comment, key, public=True).model_dump(mode="json")
        except Exception as error:
            log.warning("stream hub: could not read comment (%s)", type(error).__name__)
            return None

    # -- moderators' streams (service.moderation.live) -----------------------------------

    async def _site_news(self, data: bytes | str) -> None:
        """A comment was decided or reported: a nudge to its site's open moderation queues."""
        comment_id = moderation_live.comment_of(data)
        if comment_id is None or not self.by_site:
            return
        found = await self.loop.run_in_executor(self.db, self._site_read, comment_id)
        if found is None:
            return
        site_id, _, payload = found
        for stream in list(self.by_site.get(site_id, ())):
            stream.after = max(stream.after, comment_id)
            self._send(stream, moderation_live.event(payload, stream.after).encode())

    def _site_read(self, comment_id: int):
        try:
            return moderation_live.news_of(self.rt, comment_id)
        except Exception as error:
            log.warning("stream hub: could not read comment (%s)", type(error).__name__)
            return None

    def _site_call(self, what: str, stream: _Stream):
        try:
            if what == "newest":
                return moderation_live.newest(self.rt, stream.spec.site_id)
            return moderation_live.newer(self.rt, stream.spec.site_id, stream.after)
        except Exception as error:
            log.warning("stream hub: could not read a site's news (%s)", type(error).__name__)
            return 0 if what == "newest" else []

    async def _replay(self, stream: _Stream) -> None:
        """Published comments newer than what the stream's reader said they have (for a
        moderator's stream: the site's decided comments)."""
        while not stream.closed and stream.spec.site_id is not None:
            rows = await self.loop.run_in_executor(self.db, self._site_call, "newer", stream)
            for comment_id, data in rows:
                stream.after = max(stream.after, comment_id)
                self._send(stream, moderation_live.event(data, stream.after).encode())
            if len(rows) < REPLAY_BATCH:
                return
        while not stream.closed:
            rows = await self.loop.run_in_executor(
                self.db, self._newer, stream.spec.thread_id, stream.spec.key, stream.after
            )
            for comment_id, data in rows:
                stream.after = max(stream.after, comment_id)
                self._send(stream, _event(data, stream.after))
            if len(rows) < REPLAY_BATCH:
                return

    def _newer(self, thread_id: int, key: str, after: int) -> list[tuple[int, dict]]:
        try:
            with self.rt.session() as session:
                rows = session.scalars(
                    sa.select(Comment)
                    .options(joinedload(Comment.identity))
                    .where(
                        Comment.thread_id == thread_id,
                        Comment.status == Status.PUBLISHED,
                        Comment.id > after,
                    )
                    .order_by(Comment.id)
                    .limit(REPLAY_BATCH)
                ).all()
                return [
                    (c.id, comment_out(c, key, public=True).model_dump(mode="json")) for c in rows
                ]
        except Exception as error:
            log.warning("stream hub: could not replay (%s)", type(error).__name__)
            return []


def _event(data: dict, last: int) -> bytes:
    # The event id is what the browser sends back as Last-Event-ID: the newest comment this
    # stream has passed on, even when an older one was approved late.
    return f"event: comment\nid: {last}\ndata: {json.dumps(data)}\n\n".encode()
