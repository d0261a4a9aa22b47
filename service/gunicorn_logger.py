"""gunicorn's logger for Parley (``logger_class`` in ``service.gunicorn_conf``).

Apart from ``service.redaction`` so that the processes that log without gunicorn (the worker,
the sweeper, the CLI) do not import gunicorn to redact a line.
"""

from __future__ import annotations

import os
import sys
import time

import gunicorn.config
import gunicorn.glogging

from service.redaction import REDACTED, redact_path, redact_query, redact_target, redact_url

_DEFAULT_ACCESS_FORMAT = gunicorn.config.AccessLogFormat.default


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
