"""What access logs may show of a request's address: never a credential.

Several addresses carry one: the OAuth callback (``code``, ``state``), one-click mail links and
unsubscribe links (the token is the last path segment), a comment's ``key``, any ``token``. The
access log keeps the route and the other parameters, which is what an operator reads it for,
and writes ``[redacted]`` for those values, as Sentry's and Rails' default scrubbers do.
``service.gunicorn_conf`` installs it for gunicorn; ``install_werkzeug_filter`` for the
development server.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from urllib.parse import urlsplit

import gunicorn.config
import gunicorn.glogging

REDACTED = "[redacted]"
_DEFAULT_ACCESS_FORMAT = gunicorn.config.AccessLogFormat.default
# Lowercased query parameter names whose values are credentials.
SECRET_PARAMS = frozenset(
    {
        "token", "code", "state", "key", "secret", "password", "id_token", "access_token",
        "refresh_token", "client_secret", "session_state", "code_verifier",
    }
)  # fmt: skip
# Routes whose last segment is a signed token.
_TOKEN_PATHS = re.compile(r"^(?P<route>/(?:moderate/mail|notifications/unsubscribe)/)[^/?#]+")


def redact_path(path: str) -> str:
    return _TOKEN_PATHS.sub(lambda m: m["route"] + REDACTED, path or "")


def redact_query(query: str) -> str:
    if not query:
        return query or ""
    parts = []
    for pair in query.split("&"):
        name, eq, _value = pair.partition("=")
        if eq and name.lower() in SECRET_PARAMS:
            pair = f"{name}={REDACTED}"
        parts.append(pair)
    return "&".join(parts)


def redact_target(target: str) -> str:
    """A request target (``/path?query``) with its credentials redacted."""
    path, question, query = (target or "").partition("?")
    return redact_path(path) + (question + redact_query(query) if question else "")


def redact_url(url: str) -> str:
    """A full URL (a Referer) with credentials, user:password@ included, redacted."""
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    if not parts.scheme:
        return redact_target(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = REDACTED + "@" + netloc.rpartition("@")[2]
    return parts._replace(
        netloc=netloc, path=redact_path(parts.path), query=redact_query(parts.query)
    ).geturl()


class RedactingLogger(gunicorn.glogging.Logger):
    """gunicorn's logger, with the request line, path, query and Referer redacted.

    With gunicorn's default ``access_log_format`` (Parley's), a line is built from the few
    values it shows: gunicorn's own ``atoms`` first copies every request header, response
    header and environ entry into a dictionary, on every request."""

    _stamp: tuple[int, str] = (0, "")

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled or self.cfg.access_log_format != _DEFAULT_ACCESS_FORMAT:
            return super().access(resp, req, environ, request_time)
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        target = redact_target(environ.get("RAW_URI", ""))
        line = '{} - {} {} "{} {} {}" {} {} "{}" "{}"'.format(
            environ.get("REMOTE_ADDR", "-"),
            self._get_user(environ) or "-",
            self._now(),
            environ.get("REQUEST_METHOD"),
            target,
            environ.get("SERVER_PROTOCOL"),
            status,
            str(sent) if sent is not None else "-",
            redact_url(environ.get("HTTP_REFERER", "-")),
            environ.get("HTTP_USER_AGENT", "-"),
        )
        try:
            fd = self._raw_stdout()
            if fd is None:
                self.access_log.info(line)
            else:
                # One write(2) per line, no lock: the logging module's handler lock, taken by
                # 64 threads, was 5-24 % of a cached read's samples. A line is one system call,
                # as atomic between threads and processes as the handler's write and flush.
                os.write(fd, (line + "\n").encode("utf-8", "backslashreplace"))
        except Exception:
            self.exception("could not write the access log")

    def _raw_stdout(self) -> int | None:
        """stdout's descriptor when the access log is gunicorn's one handler on it ("-")."""
        handlers = self.access_log.handlers
        if (
            self.cfg.accesslog != "-"
            or len(handlers) != 1
            or not getattr(handlers[0], "_gunicorn", False)
            or getattr(handlers[0], "stream", None) is not sys.stdout
        ):
            return None
        try:
            return sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):
            return None

    def _now(self) -> str:
        second = int(time.time())
        if self._stamp[0] != second:
            self._stamp = (second, time.strftime("[%d/%b/%Y:%H:%M:%S %z]"))
        return self._stamp[1]

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        target = redact_target(environ.get("RAW_URI", ""))
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {target} {environ.get('SERVER_PROTOCOL')}"
        atoms["U"] = redact_path(environ.get("PATH_INFO", ""))
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_url(environ.get("HTTP_REFERER", "-"))
        for name in ("{referer}i", "{authorization}i", "{cookie}i"):
            if name in atoms:
                atoms[name] = REDACTED if name != "{referer}i" else atoms["f"]
        return atoms


class _WerkzeugFilter(logging.Filter):
    # werkzeug logs '"%s %s %s" %s %s' with the request line as its first argument.
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            method, _, rest = record.args[0].partition(" ")
            target, _, protocol = rest.rpartition(" ")
            if target:
                line = f"{method} {redact_target(target)} {protocol}"
                record.args = (line, *record.args[1:])
        return True


def install_werkzeug_filter() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _WerkzeugFilter) for f in logger.filters):
        logger.addFilter(_WerkzeugFilter())
