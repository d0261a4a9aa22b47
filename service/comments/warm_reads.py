"""Warm public reads answered in front of Flask: the exact bytes of a recent answer, per process.

A cached thread page or count (``service.comments.cache``) still cost a whole Flask request:
routing, the limiter's and the other hooks, CORS, the security headers, the request id, the
metrics, and a Redis round trip; about 1.5–2 ms of CPU, twice a hello-world request. Most
reads of a popular page are the same request again (the same query, from the same site's
origin), so ``WarmReads``, a thin WSGI layer around the app, keeps the complete answer Flask
gave to ``GET /api/v1/comments`` and ``GET /api/v1/counts``: status, headers (ETag,
Cache-Control, Surrogate-Key / Cache-Tag, CORS for that origin, ``nosniff``) and body, keyed by
the path, the raw query string and the ``Origin`` header. A warm read is a dictionary look-up
and a write of those bytes, with a fresh ``Date`` and ``X-Request-Id`` and the same request
metrics (and, in JSON log mode, the same request log line) Flask would have given.
``If-None-Match`` is answered 304 with werkzeug's own comparison and header rules.

Everything else goes to Flask unchanged: other routes and methods, requests carrying a cookie
or an ``Authorization`` header, ``If-Match`` / ``If-Modified-Since`` / ``Range``, and any miss.
Only a ``200`` that is plainly public is kept: the standard ``Cache-Control`` (a thread that
closes by age has a shrinking ``max-age``, so it is never kept), no ``Set-Cookie``. Errors
(a bad query's 400/422, an unknown site's 404, 503) are never kept: they are Flask's answers
every time. Reads carry no rate limit today (``service.limits.ROUTES`` holds only writes), so
serving them here changes no limit.

**Freshness.** An entry names the threads it shows by its surrogate keys. ``invalidate_threads``
(``service.comments.cache``: after every decision, moderator's action, edit, vote, like,
removal) drops the entries of those threads in this process at once and publishes their keys
on ``READS_CHANNEL``; each process's listener thread (one Redis subscription per process)
drops them there. Entries are served only while that subscription is up (a process that cannot
hear about changes answers through Flask) and for at most ``PARLEY_WARM_READS_SECONDS``
(default 2) after Flask last confirmed them: the bound on what a lost message can leave
behind. A miss racing an invalidation (it read the old page from Redis, then the drop came) is
not stored: every drop bumps an epoch the miss compares before storing. An expired entry is
renewed by a 304 from Flask for the same ETag and headers (the page is unchanged), so
revalidating browsers keep it warm too.

The stream hub's subscription (``service.widget.hub``) exists only once a live stream opened
and only under gunicorn's streaming worker; this one must be up before anything is served, on
any WSGI server, so it is its own connection.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
from werkzeug.datastructures import Headers
from werkzeug.http import http_date, parse_etags, remove_entity_headers

from service import caches
from service.comments.cache import (
    READS_CHANNEL,
    closes_at_in,
    keep_informed,
    public_cache_control,
)
from service.logs import _REQUEST_ID, REQUEST_LOGGER
from service.models import utcnow
from service.redaction import redact_target

log = logging.getLogger(__name__)

ROUTES = frozenset({"/api/v1/comments", "/api/v1/counts"})
MAX_ENTRIES = 2048
# What a process keeps at most (thread pages of 200 comments run to a few hundred KB).
MAX_BYTES = 16 * 1024 * 1024
# Request headers that change what Flask would answer in ways an entry does not hold.
_TO_FLASK = (
    "HTTP_COOKIE",
    "HTTP_AUTHORIZATION",
    "HTTP_IF_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
)
# Headers made per answer, never kept.
_PER_ANSWER = frozenset({"date", "x-request-id"})
_STATUS_304 = "304 NOT MODIFIED"
# How often the listener looks whether its layer still exists.
_ALIVE_CHECK_SECONDS = 5.0

# Every live layer of this process (for caches.forget_all).
_LAYERS: weakref.WeakSet[WarmReads] = weakref.WeakSet()


def _forget_all() -> None:
    for layer in list(_LAYERS):
        layer.clear()


caches.declare("reads.warm", _forget_all)


@dataclass(slots=True)
class _Entry:
    status: str
    headers: list[tuple[str, str]]
    headers_304: list[tuple[str, str]]
    body: bytes
    etag: str
    tags: tuple[str, ...]
    fresh_until: float


class WarmReads:
    """WSGI middleware: ``app.wsgi_app = WarmReads(app.wsgi_app, ...)``."""

    def __init__(
        self,
        app: Callable,
        *,
        redis_url: str,
        seconds: float,
        cache_control: str,
        json_log: bool,
        metrics: Callable | None = None,
    ) -> None:
        self.app = app
        self.redis_url = redis_url
        self.seconds = seconds
        self.cache_control = cache_control
        self.json_log = json_log
        self._metrics = metrics
        self._entries: dict[tuple, _Entry] = {}
        self._bytes = 0
        self._by_tag: dict[str, set[tuple]] = {}
        self._lock = threading.Lock()
        self._epoch = 0
        self._listening = False
        self._listener_pid: int | None = None
        self._request_log = logging.getLogger(REQUEST_LOGGER)
        self._stamp: tuple[int, str] = (0, "")
        # The request metrics' series this layer adds to, looked up once.
        self._series: dict[tuple[str, str], tuple] = {}
        # Answers given from memory (tests and operators' curiosity; not exact under threads).
        self.served = 0
        _LAYERS.add(self)
        # An invalidation in this process drops entries at once, before any echo from Redis.
        keep_informed(self)

    # -- the request -----------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO")
        if (
            path not in ROUTES
            or environ.get("REQUEST_METHOD") != "GET"
            or self.seconds <= 0
            or any(name in environ for name in _TO_FLASK)
        ):
            return self.app(environ, start_response)
        if self._listener_pid != os.getpid():
            self.start()
        started = time.perf_counter()
        key = (path, environ.get("QUERY_STRING", ""), environ.get("HTTP_ORIGIN"))
        entry = self._entries.get(key)
        if entry is not None and self._listening and entry.fresh_until > time.monotonic():
            return self._answer(entry, environ, start_response, started)
        return self._through_flask(key, entry, environ, start_response)

    def _answer(self, entry: _Entry, environ: dict, start_response: Callable, started: float):
        sent = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match and parse_etags(match).contains_weak(entry.etag):
            status, headers, body = _STATUS_304, entry.headers_304, b""
        else:
            status, headers, body = entry.status, entry.headers, entry.body
        start_response(status, [*headers, ("Date", self._date()), ("X-Request-Id", request_id)])
        self._observe(environ, status[:3], request_id, started)
        self.served += 1
        return [body]

    def _date(self) -> str:
        """The Date header (one-second resolution: formatted once a second)."""
        second = int(time.time())
        if self._stamp[0] != second:
            self._stamp = (second, http_date(second))
        return self._stamp[1]

    def _observe(self, environ: dict, status: str, request_id: str, started: float) -> None:
        """What Flask's hooks record of a request (service.metrics, service.logs)."""
        route = environ["PATH_INFO"]
        elapsed = time.perf_counter() - started
        if self._metrics is not None:
            series = self._series.get((route, status))
            if series is None:
                m = self._metrics()
                series = (
                    m.requests.labels(route, "GET", status),
                    m.request_seconds.labels(route, "GET"),
                )
                self._series[(route, status)] = series
            series[0].inc()
            series[1].observe(elapsed)
        if self.json_log:
            query = environ.get("QUERY_STRING", "")
            self._request_log.info(
                "%s %s %s",
                "GET",
                route,
                int(status),
                extra={
                    "request_id": request_id,
                    "route": route,
                    "method": "GET",
                    "path": redact_target(f"{route}?{query}" if query else route),
                    "status": int(status),
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )

    def _through_flask(self, key: tuple, stale: _Entry | None, environ: dict, start_response):
        epoch = self._epoch
        seen: list = []
        match = environ.get("HTTP_IF_NONE_MATCH")
        # A revalidating client with nothing here to renew: Flask's 304 would leave nothing to
        # keep (a process that saw only revalidations would never warm up), so ask Flask for
        # the page and answer the condition here, by werkzeug's rules as Flask would. (Flask's
        # request metrics count that one request as the 200 it answered.)
        fill = match is not None and stale is None and self._listening
        if fill:
            environ = {k: v for k, v in environ.items() if k != "HTTP_IF_NONE_MATCH"}

        def capture(status, headers, exc_info=None):
            seen[:] = [status, headers]
            if fill:
                return lambda data: None  # Flask's answers never write(); sent below
            return start_response(status, headers, exc_info)

        answer = self.app(environ, capture)
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        if seen and self._listening:
            self._keep(key, stale, seen[0], seen[1], body, epoch)
        if fill:
            status, headers = seen
            etag = next((v for k, v in headers if k.lower() == "etag"), None)
            if (
                status.startswith("200 ")
                and etag
                and parse_etags(match).contains_weak(etag.strip('"'))
            ):
                without_body = Headers(headers)
                remove_entity_headers(without_body)
                status, headers, body = _STATUS_304, without_body.to_wsgi_list(), b""
            start_response(status, headers)
        return [body]

    # -- what is kept --------------------------------------------------------------------------

    def _keep(self, key, stale, status: str, headers, body: bytes, epoch: int) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in _PER_ANSWER]
        found = {k.lower(): v for k, v in kept}
        if (
            found.get("cache-control") != self.cache_control
            or "set-cookie" in found
            or "etag" not in found
        ):
            return
        etag = found["etag"].strip('"')
        if status.startswith("200 ") and self._closes_within(body, self.seconds + 1):
            return  # a thread closing by age answers "closed" from that moment: Flask's job
        if status.startswith("200 "):
            without_body = Headers(kept)
            remove_entity_headers(without_body)
            entry = _Entry(
                status=status,
                headers=kept,
                headers_304=list(without_body.to_wsgi_list()),
                body=body,
                etag=etag,
                tags=tuple(found.get("surrogate-key", "").split()),
                fresh_until=0.0,
            )
        elif status.startswith("304 ") and stale is not None and stale.etag == etag:
            # Flask confirmed the page this entry holds is still the page: keep it longer.
            if sorted(kept) != sorted(stale.headers_304):
                return
            entry = stale
        else:
            return
        with self._lock:
            if epoch != self._epoch or not self._listening:
                return  # a change was announced while Flask answered: it may be the old page
            entry.fresh_until = time.monotonic() + self.seconds
            self._remove(key)
            # The oldest go first; an answer larger than a sixteenth of the room is not kept.
            if len(entry.body) > MAX_BYTES // 16:
                return
            while self._entries and (
                len(self._entries) >= MAX_ENTRIES or self._bytes + len(entry.body) > MAX_BYTES
            ):
                self._remove(next(iter(self._entries)))
            self._entries[key] = entry
            self._bytes += len(entry.body)
            for tag in entry.tags:
                self._by_tag.setdefault(tag, set()).add(key)

    @staticmethod
    def _closes_within(body: bytes, seconds: float) -> bool:
        closes = closes_at_in(body)
        return closes is not None and (closes - utcnow()).total_seconds() < seconds

    def _remove(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self._bytes -= len(entry.body)
        for tag in entry.tags:
            keys = self._by_tag.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_tag[tag]

    def drop(self, tags: Iterable[str]) -> None:
        with self._lock:
            self._epoch += 1
            for tag in tags:
                for key in list(self._by_tag.get(tag, ())):
                    self._remove(key)

    def clear(self) -> None:
        with self._lock:
            self._epoch += 1
            self._empty()

    def _empty(self) -> None:
        """Forget every entry (the caller holds the lock)."""
        self._entries.clear()
        self._by_tag.clear()
        self._bytes = 0

    def entries(self) -> int:
        return len(self._entries)

    def listening(self) -> bool:
        return self._listening

    # -- hearing about changes ---------------------------------------------------------------

    def start(self) -> None:
        """Subscribe, in this process (the first warm-able request does it; after a fork, the
        child's first one does it again)."""
        with self._lock:
            if self._listener_pid == os.getpid():
                return
            # A forked copy heard nothing of its parent's subscription: start empty.
            self._listener_pid = os.getpid()
            self._listening = False
            self._empty()
        threading.Thread(
            target=_listen,
            args=(weakref.ref(self), self.redis_url),
            name="parley-warm-reads",
            daemon=True,
        ).start()

    def _set_listening(self, listening: bool) -> None:
        with self._lock:
            self._epoch += 1
            self._listening = listening
            # Whatever was kept before a (re)subscription may have missed a change.
            self._empty()

    def _heard(self, data) -> None:
        text = data.decode() if isinstance(data, bytes) else str(data)
        self.drop(text.split())


def _listen(layer_ref: weakref.ref, redis_url: str) -> None:
    """The layer's subscription, in its own daemon thread. It holds the layer weakly and ends
    once the layer is gone (an app a test built and dropped)."""
    wait = 0.5
    while (layer := layer_ref()) is not None:
        del layer
        pubsub = None
        try:
            conn = redis.Redis.from_url(
                redis_url, socket_connect_timeout=2, health_check_interval=30
            )
            pubsub = conn.pubsub()
            pubsub.subscribe(READS_CHANNEL)
            while True:
                message = pubsub.get_message(timeout=_ALIVE_CHECK_SECONDS)
                layer = layer_ref()
                if layer is None:
                    return
                if message is not None and message["type"] == "subscribe":
                    layer._set_listening(True)
                    wait = 0.5
                elif message is not None and message["type"] == "message":
                    layer._heard(message["data"])
                del layer
        except (redis.RedisError, OSError, ValueError) as error:
            layer = layer_ref()
            if layer is None:
                return
            if layer._listening:
                log.warning("warm reads: redis unavailable (%s)", type(error).__name__)
            layer._set_listening(False)
            del layer
        finally:
            if pubsub is not None:
                try:
                    pubsub.close()
                except Exception:
                    pass
        time.sleep(wait)
        wait = min(wait * 2, 10.0)


def install(flask_app, settings) -> None:
    """Put the layer in front of ``flask_app`` (the app factory calls this)."""
    from service.metrics import metrics

    web = settings.web
    flask_app.wsgi_app = WarmReads(
        flask_app.wsgi_app,
        redis_url=settings.redis_url,
        seconds=web.warm_reads_seconds,
        cache_control=public_cache_control(web),
        json_log=settings.operations.log_format == "json",
        metrics=metrics,
    )
