"""gunicorn's gthread worker, with live streams handed to the process's stream hub.

``worker_class = "service.gunicorn_worker.StreamingWorker"`` (``service/gunicorn_conf.py``).
Every request runs as under gthread, on a thread of the pool. For ``GET
/api/v1/threads/events`` the environ also carries ``parley.stream_hub``: the view validates the
request, takes its slot, and calls it with the stream's spec; the worker then writes nothing of
the (empty) WSGI body, hands the socket, with the response's status line and headers, to the
``StreamHub`` (``service.widget.hub``), and forgets the connection. The thread returns to the
pool at once, so ten thousand open widgets hold ten thousand sockets, not ten thousand threads.

A request the view answers otherwise (404, 429, a thread with no comment yet) is written as
any other response. TLS sockets are never handed over (TLS ends at the proxy in front).
"""

from __future__ import annotations

import ssl
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

from gunicorn.http import wsgi
from gunicorn.workers.gthread import ThreadWorker

if TYPE_CHECKING:
    from service.widget.hub import StreamHub

EVENTS_PATH = "/api/v1/threads/events"
# Moderators' queues are streams of the same hub (service.moderation.live).
STREAM_PATHS = frozenset({EVENTS_PATH, "/api/v1/moderation/events"})


class StreamingWorker(ThreadWorker):
    def init_process(self):
        self._hub: StreamHub | None = None
        self._hub_lock = threading.Lock()
        super().init_process()

    def hub(self, rt) -> StreamHub:
        # Imported in the web process, not at module level: gunicorn's master loads this
        # class too, and stays small without the app's modules (it serves no request).
        from service.widget.hub import StreamHub

        with self._hub_lock:
            if self._hub is None:
                self._hub = StreamHub(rt)
            return self._hub

    def handle_request(self, req, conn):
        if (
            req.path not in STREAM_PATHS
            or req.method != "GET"
            or isinstance(conn.sock, ssl.SSLSocket)
        ):
            return super().handle_request(req, conn)
        return self._handle_stream(req, conn)

    def _handle_stream(self, req, conn):
        from service.widget.hub import HUB_ENVIRON_KEY

        adopted: list = []
        resp, environ = wsgi.create(req, conn.sock, conn.client, conn.server, self.cfg)
        environ["wsgi.multithread"] = True
        environ[HUB_ENVIRON_KEY] = lambda rt, spec: adopted.append((rt, spec))
        self.nr += 1
        if not self.alive or not self.cfg.keepalive:
            resp.force_close()
        self.cfg.pre_request(self, req)
        try:
            respiter = self.wsgi(environ, resp.start_response)
            try:
                if not adopted:
                    for item in respiter:
                        resp.write(item)
                    resp.close()
            finally:
                if hasattr(respiter, "close"):
                    respiter.close()
        finally:
            try:
                self.cfg.post_request(self, req, environ, resp)
            except Exception:
                self.log.exception("Exception in post_request hook")
        if not adopted:
            return not resp.should_close()
        rt, spec = adopted[0]
        # The stream's body ends when the connection does: no chunked framing, no keep-alive.
        resp.force_close()
        resp.chunked = False
        head = "".join(
            [*resp.default_headers(), *(f"{k}: {v}\r\n" for k, v in resp.headers), "\r\n"]
        ).encode("latin-1")
        resp.headers_sent = True
        self.log.access(resp, req, environ, _ZERO)
        conn.parley_detached = True
        self.hub(rt).adopt(conn.sock, head, spec)
        return False

    def finish_request(self, conn, fs):
        if getattr(conn, "parley_detached", False):
            # The hub owns the socket now: not closed, not kept alive, not counted here.
            self.nr_conns -= 1
            return
        super().finish_request(conn, fs)


_ZERO = timedelta(0)
