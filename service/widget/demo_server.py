"""The demo's second origin: a tiny static server for "The quiet garden".

``make run`` starts it next to Parley (``python -m service.widget.demo_server --port 8001
--parley http://127.0.0.1:8000``) so the demo shows the widget embedded in a page that Parley
does not serve. The e2e tests use ``make_server`` the same way. Standard library only.
"""

from __future__ import annotations

import argparse
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from service.security_headers import html_headers
from service.widget.demo import demo_policy, render_demo

SECOND_ARTICLE = "the-quiet-garden"


def make_server(
    host: str,
    port: int,
    parley: str,
    pages: dict[str, str] | None = None,
    captcha: str | None = None,
):
    """A server for ``/`` and ``/the-quiet-garden`` plus ``pages`` (path -> HTML).

    ``pages`` is served live, not copied, and as given: tests add host pages (other people's
    sites, with or without a CSP of their own) to it while the server runs. The article is
    rendered for each request, with a fresh nonce for its Content-Security-Policy, which
    allows ``captcha``'s origins (Turnstile or hCaptcha, when Parley uses one).
    """
    routes = {} if pages is None else pages
    articles = {"/", f"/{SECOND_ARTICLE}"} - set(routes)

    def article(nonce: str) -> str:
        other = parley.rstrip("/") + "/demo"
        return render_demo(SECOND_ARTICLE, parley=parley, other=other, nonce=nonce)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            path = self.path.split("?", 1)[0]
            headers = {}
            if path in articles:
                nonce = secrets.token_urlsafe(18)
                body = article(nonce)
                headers = html_headers(nonce, demo_policy(parley, captcha))
            else:
                body = routes.get(path)
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - the http.server API
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def serve_in_thread(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name="demo-origin", daemon=True)
    thread.start()
    return thread


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--parley", default="http://127.0.0.1:8000", help="Parley's base URL")
    parser.add_argument(
        "--captcha", choices=("turnstile", "hcaptcha"), help="the challenge provider Parley uses"
    )
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, args.parley, captcha=args.captcha)
    print(f"demo: second article at http://localhost:{args.port}/{SECOND_ARTICLE}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
