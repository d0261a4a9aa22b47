"""Serving on 127.0.0.1 from a thread, for every test that needs a live server.

``serving(server)`` runs any ``socketserver`` server (werkzeug's, ``http.server``'s) and always
stops it; ``serve_wsgi(app)`` builds the werkzeug server for a WSGI app first. Threaded servers,
so an event stream holds one thread instead of blocking every other request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from socketserver import BaseServer

from werkzeug.serving import WSGIRequestHandler, make_server

from service.embedded import free_port

__all__ = ["LiveServer", "free_port", "serve_wsgi", "serving"]

HOST = "127.0.0.1"


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # pytest shows failures; the access log is noise
        pass


@dataclass(frozen=True)
class LiveServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@contextmanager
def serving(server: BaseServer, name: str = "test-server") -> Iterator[LiveServer]:
    """Serve ``server`` from a daemon thread until the block ends; then shut it and its socket."""
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield LiveServer(host, port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextmanager
def serve_wsgi(
    app, port: int = 0, name: str = "test-wsgi", ssl_context=None
) -> Iterator[LiveServer]:
    """Serve the WSGI ``app`` on 127.0.0.1 (``port`` 0: a free one); TLS with ``ssl_context``."""
    server = make_server(
        HOST, port, app, threaded=True, request_handler=_QuietHandler, ssl_context=ssl_context
    )
    with serving(server, name) as live:
        yield live
