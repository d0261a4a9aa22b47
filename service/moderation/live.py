"""Live news for open moderation queues: a Server-Sent Events stream of one site's comments.

``GET /api/v1/moderation/events?site=SLUG[&after=ID]`` (a moderator of that site: session or
bearer token) answers ``text/event-stream``:

    event: comment    id: <newest comment id passed on>    data: {"id", "status"}
    : keep-alive      on an idle stream

A ``comment`` event says only that a comment of the site was decided (held, published, spam,
moved by a colleague) or reported; the page then asks ``/moderate/cards?ids=`` for the cards
that match its filters, so what a moderator sees is read, filtered and rendered by the same
code as the page itself. It is the same machinery as the readers' streams
(``service.widget.live``, ``service.widget.hub``): the thread channels every decision is
published on (``service.events``), one of which, ``MODERATION_CHANNEL``, carries reports below
the hold threshold. Readers' streams never carry anything but published comments; this stream is
answered only after ``require_moderator`` for the site, and is re-authorised at every
reconnect (a stream ends after ``PARLEY_SSE_LIFETIME``).

Under gunicorn (``service.gunicorn_worker``) the stream is held by the process's stream hub
with no thread of its own; elsewhere (the dev server, tests' WSGI servers) ``SiteStream``
below holds a thread and its own subscription.
"""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Callable, Iterator
from typing import Annotated

import redis
import sqlalchemy as sa
from pydantic import ConfigDict, Field

from service.events import close_quietly
from service.models import Comment
from service.runtime import Runtime
from service.schemas import Slug, Strict
from service.status import Status

RECONNECT_MS = 2000
POLL_SECONDS = 2.0
REPLAY_BATCH = 50
THREAD_PATTERN = "parley:thread:*"


class ModerationEventsQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    # The newest comment id the page already shows: replay what was decided after it.
    after: Annotated[int, Field(ge=0)] | None = None


def news_of(rt: Runtime, comment_id: int) -> tuple[int, int, dict] | None:
    """(site id, comment id, event data) of a comment that has news, or None (gone, pending)."""
    with rt.session() as session:
        row = session.execute(
            sa.select(Comment.site_id, Comment.status).where(Comment.id == comment_id)
        ).first()
    if row is None or row.status == Status.PENDING:
        return None
    return row.site_id, comment_id, {"id": comment_id, "status": row.status}


def newer(rt: Runtime, site_id: int, after: int) -> list[tuple[int, dict]]:
    """Decided comments of the site newer than ``after``, oldest first (one batch)."""
    with rt.session() as session:
        rows = session.execute(
            sa.select(Comment.id, Comment.status)
            .where(Comment.site_id == site_id, Comment.id > after, Comment.status != Status.PENDING)
            .order_by(Comment.id)
            .limit(REPLAY_BATCH)
        ).all()
    return [(r.id, {"id": r.id, "status": r.status}) for r in rows]


def newest(rt: Runtime, site_id: int) -> int:
    with rt.session() as session:
        return (
            session.scalar(sa.select(sa.func.max(Comment.id)).where(Comment.site_id == site_id))
            or 0
        )


def comment_of(data: bytes | str) -> int | None:
    """The comment id a message on a thread channel or the moderation channel names."""
    try:
        return int(json.loads(data)["id"])
    except (ValueError, KeyError, TypeError):
        return None


def event(data: dict, last: int) -> str:
    return f"event: comment\nid: {last}\ndata: {json.dumps(data)}\n\n"


def hung_up(sock: socket.socket) -> Callable[[], bool]:
    """A check that the client of ``sock`` has gone: it sends nothing after its request, so a
    readable socket with nothing to read is its end (as the stream hub notices it)."""

    def check() -> bool:
        try:
            readable, _, _ = select.select([sock], [], [], 0)
            return bool(readable) and sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    return check


class SiteStream:
    """One moderation stream on a thread of its own (no stream hub in this process)."""

    def __init__(
        self,
        rt: Runtime,
        site_id: int,
        after: int | None,
        lifetime: float,
        beat: float,
        gone: Callable[[], bool] | None = None,
    ):
        self.rt = rt
        # Whether the browser hung up, when the server can tell (else: at the next write).
        self.gone = gone or (lambda: False)
        self.site_id = site_id
        self.after = after
        self.lifetime = lifetime
        self.heartbeat = beat

    def events(self) -> Iterator[str]:
        deadline = time.monotonic() + self.lifetime
        last_sent = time.monotonic()
        # Subscribed before the client reads ": connected": what is decided after that line
        # reaches it.
        pubsub = self._subscribe()
        try:
            yield f"retry: {RECONNECT_MS}\n: connected\n\n"
            if self.after is None:
                self.after = newest(self.rt, self.site_id)
            else:
                yield from self._replay()
            while (remaining := deadline - time.monotonic()) > 0 and not self.gone():
                if pubsub is not None:
                    try:
                        message = pubsub.get_message(timeout=min(1.0, remaining))
                    except (redis.RedisError, OSError):
                        close_quietly(pubsub)
                        pubsub = None
                        continue
                    if message and message.get("type") == "pmessage":
                        for chunk in self._news(message["data"]):
                            last_sent = time.monotonic()
                            yield chunk
                else:
                    # Redis is gone: look at the database for what was decided since.
                    time.sleep(min(POLL_SECONDS, remaining))
                    for chunk in self._replay():
                        last_sent = time.monotonic()
                        yield chunk
                if time.monotonic() - last_sent >= self.heartbeat:
                    last_sent = time.monotonic()
                    yield ": keep-alive\n\n"
        finally:
            close_quietly(pubsub)

    def _subscribe(self):
        try:
            pubsub = self.rt.redis.pubsub(ignore_subscribe_messages=True)
            pubsub.psubscribe(THREAD_PATTERN)  # MODERATION_CHANNEL among them
            return pubsub
        except (redis.RedisError, OSError):
            return None

    def _news(self, data: bytes | str) -> Iterator[str]:
        comment_id = comment_of(data)
        if comment_id is None:
            return
        found = news_of(self.rt, comment_id)
        if found is None or found[0] != self.site_id:
            return
        self.after = max(self.after or 0, comment_id)
        yield event(found[2], self.after)

    def _replay(self) -> Iterator[str]:
        while True:
            rows = newer(self.rt, self.site_id, self.after or 0)
            for comment_id, data in rows:
                self.after = max(self.after or 0, comment_id)
                yield event(data, self.after)
            if len(rows) < REPLAY_BATCH:
                return
