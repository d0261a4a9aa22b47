"""What access logs may show of a request's address: never a credential.

Several addresses carry one: the OAuth callback (``code``, ``state``), one-click mail links and
unsubscribe links (the token is the last path segment), a comment's ``key``, any ``token``. The
access log keeps the route and the other parameters, which is what an operator reads it for,
and writes ``[redacted]`` for those values, as Sentry's and Rails' default scrubbers do.
``service.gunicorn_logger`` applies it to gunicorn's access log, ``install_werkzeug_filter`` to
the development server's.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

REDACTED = "[redacted]"
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
