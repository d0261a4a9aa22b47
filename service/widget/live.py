"""Live updates for open widgets: a Server-Sent Events stream of a thread's new comments.

``GET /api/v1/threads/events?site=&thread=[&after=ID]`` answers ``text/event-stream``:

    event: comment    id: <comment id>    data: the comment as the thread listing shows it
                                          (``deleted``: a tombstone; drop it or keep it for
                                          its replies)
    : keep-alive      every few seconds on an idle stream, so proxies keep it open

The worker and the moderation views publish every decision on the thread's Redis channel
(``service.events``); the message is only a nudge, so each one is re-read from the database and
only what is published there is sent. A stream lives a bounded time (``PARLEY_SSE_LIFETIME``),
then ends; the browser's EventSource reconnects by itself after the ``retry:`` delay and sends
``Last-Event-ID``, from which the stream first replays comments published while it was away.
Without Redis the stream polls the database instead. Each open stream holds one web thread
(gunicorn's gthread workers) and one Redis connection.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Annotated

import redis
import sqlalchemy as sa
from pydantic import ConfigDict, Field
from sqlalchemy.orm import joinedload

from service.comments.reading import comment_out
from service.events import close_quietly, decision_of, subscribe, thread_channel
from service.metrics import metrics
from service.models import Comment, Thread
from service.runtime import Runtime
from service.schemas import Slug, Strict, ThreadKey
from service.status import Status

# How long the browser waits before reconnecting after a stream ends (milliseconds).
RECONNECT_MS = 2000
# How often to look again for a thread that has no comment yet, or to poll without Redis.
POLL_SECONDS = 2.0
# Comments read per query when replaying what a reconnecting widget missed.
REPLAY_BATCH = 50


class ThreadEventsQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    thread: ThreadKey
    # The newest comment id the widget already shows: replay what was published after it.
    after: Annotated[int, Field(ge=0)] | None = None


class ThreadStream:
    def __init__(
        self,
        rt: Runtime,
        site_id: int,
        key: str,
        after: int | None,
        lifetime: float,
        heartbeat: float,
    ):
        self.rt = rt
        self.site_id = site_id
        self.key = key
        self.after = after
        self.lifetime = lifetime
        self.heartbeat = heartbeat

    def events(self) -> Iterator[str]:
        deadline = time.monotonic() + self.lifetime
        last_sent = time.monotonic()
        thread_id: int | None = None
        pubsub = None
        metrics().live_streams.inc()
        try:
            # Subscribed before the client reads ": connected" (when the thread exists): what
            # is published after that line reaches it.
            thread_id = self._thread_id()
            if thread_id is not None:
                pubsub = subscribe(self.rt.redis, thread_channel(thread_id))
            yield f"retry: {RECONNECT_MS}\n: connected\n\n"
            if thread_id is not None:
                for chunk in self._replay(thread_id):
                    last_sent = time.monotonic()
                    yield chunk
            while (remaining := deadline - time.monotonic()) > 0:
                if thread_id is None:
                    # The thread row appears with its first comment; until then look again.
                    thread_id = self._thread_id()
                    if thread_id is not None:
                        pubsub = subscribe(self.rt.redis, thread_channel(thread_id))
                        for chunk in self._replay(thread_id):
                            last_sent = time.monotonic()
                            yield chunk
                        continue
                    time.sleep(min(POLL_SECONDS, remaining))
                elif pubsub is not None:
                    try:
                        message = pubsub.get_message(timeout=min(1.0, remaining))
                    except (redis.RedisError, OSError):
                        pubsub = None
                        continue
                    if message and message.get("type") == "message":
                        for chunk in self._decided(thread_id, message["data"]):
                            last_sent = time.monotonic()
                            yield chunk
                else:
                    # Redis is gone: poll the database for newly published comments.
                    time.sleep(min(POLL_SECONDS, remaining))
                    for chunk in self._replay(thread_id):
                        last_sent = time.monotonic()
                        yield chunk
                if time.monotonic() - last_sent >= self.heartbeat:
                    last_sent = time.monotonic()
                    yield ": keep-alive\n\n"
        finally:
            metrics().live_streams.dec()
            close_quietly(pubsub)

    def _thread_id(self) -> int | None:
        with self.rt.session() as session:
            return session.scalar(
                sa.select(Thread.id).where(Thread.site_id == self.site_id, Thread.key == self.key)
            )

    def _replay(self, thread_id: int) -> Iterator[str]:
        """Published comments newer than ``after``, when the widget said what it has."""
        if self.after is None:
            # Without a starting point there is nothing to catch up on; polling starts now.
            self.after = self._newest(thread_id)
            return
        while True:
            with self.rt.session() as session:
                rows = session.scalars(
                    sa.select(Comment)
                    .options(joinedload(Comment.identity))
                    .where(
                        Comment.thread_id == thread_id,
                        Comment.status == Status.PUBLISHED,
                        Comment.id > self.after,
                    )
                    .order_by(Comment.id)
                    .limit(REPLAY_BATCH)
                ).all()
                chunks = [self._comment_event(c) for c in rows]
            if rows:
                self.after = rows[-1].id
            yield from chunks
            if len(rows) < REPLAY_BATCH:
                return

    def _newest(self, thread_id: int) -> int:
        with self.rt.session() as session:
            newest = session.scalar(
                sa.select(sa.func.max(Comment.id)).where(
                    Comment.thread_id == thread_id, Comment.status == Status.PUBLISHED
                )
            )
        return newest or 0

    def _decided(self, thread_id: int, data: bytes | str) -> Iterator[str]:
        news = decision_of(data)
        if news is None:
            return
        comment_id, gone = news
        with self.rt.session() as session:
            comment = session.get(Comment, comment_id, options=[joinedload(Comment.identity)])
            if comment is not None and comment.thread_id != thread_id:
                return
            if comment is None or comment.status != Status.PUBLISHED:
                # Other decisions say nothing to readers (a held comment is its author's
                # business), but one that was published and is gone must leave their pages.
                if gone:
                    yield _event(gone_out(comment_id, self.key), self.after or 0)
                return
            self.after = max(self.after or 0, comment.id)
            chunk = self._comment_event(comment)
        yield chunk

    def _comment_event(self, comment: Comment) -> str:
        data = comment_out(comment, self.key, public=True).model_dump(mode="json")
        # The event id is what the browser sends back as Last-Event-ID: the newest comment
        # this stream has passed on, even when an older one was approved late.
        return _event(data, max(self.after or 0, comment.id))


def gone_out(comment_id: int, key: str) -> dict:
    """What readers learn of a published comment a moderator took away (or deleted): only
    that it is gone, as a tombstone. Not why, not who wrote it, not what it said."""
    return {"id": comment_id, "thread": key, "deleted": True}


def _event(data: dict, last: int) -> str:
    return f"event: comment\nid: {last}\ndata: {json.dumps(data)}\n\n"
