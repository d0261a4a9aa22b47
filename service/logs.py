"""Log lines: the usual text, or with ``PARLEY_LOG_FORMAT=json`` one JSON object per line.

In JSON mode every request is logged once by the app itself (logger ``parley.request``): its
request id (a sane ``X-Request-Id`` from the proxy, else a new one, echoed in the answer), the
route (the rule, never raw ids), method, redacted path, status and duration. Nothing that
identifies a reader is written (no address, no user agent, no body), credentials in paths and
queries are redacted (``service.redaction``), and an exception is named by its type, never
with a traceback (which may quote anything). gunicorn's and werkzeug's own access lines are
then off, so each request is one line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import TYPE_CHECKING

from service.redaction import redact_target

if TYPE_CHECKING:
    from flask import Flask

REQUEST_LOGGER = "parley.request"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# LogRecord attributes that are not "extra" fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, default=str, ensure_ascii=False)


def configure_logging(log_format: str) -> None:
    """The root logger's one handler, on stderr, in the chosen format."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
        # The app logs each request itself; the development server's lines would repeat it.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers = [handler]
    root.setLevel(logging.INFO)


def request_id() -> str:
    # Flask on first use: the worker and the sweeper configure logging without a web app.
    import flask  # a plain import: no from-list to resolve on every call

    return flask.g.get("parley_request_id") or ""


def install_request_log(app: Flask, log_format: str) -> None:
    """Give every request an id; in JSON mode, log it once when it is answered."""
    from flask import g, request

    log = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def _begin() -> None:
        sent = request.headers.get("X-Request-Id", "")
        g.parley_request_id = sent if _REQUEST_ID.match(sent) else uuid.uuid4().hex
        g.parley_request_started = time.perf_counter()

    @app.after_request
    def _end(response):
        response.headers["X-Request-Id"] = request_id()
        if log_format == "json":
            started = g.get("parley_request_started", time.perf_counter())
            log.info(
                "%s %s %s",
                request.method,
                request.url_rule.rule if request.url_rule else "(unmatched)",
                response.status_code,
                extra={
                    "request_id": request_id(),
                    "route": request.url_rule.rule if request.url_rule else None,
                    "method": request.method,
                    "path": redact_target(request.full_path.rstrip("?")),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
        return response
