"""One error shape for every failure: {"error": {"code", "message", ...}}.

Views raise ``ApiError``; they never build error JSON by hand. Handlers sit on
the app, not on blueprints, because routing errors (404/405) never reach a
blueprint's handlers.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

import redis
import sqlalchemy.exc

if TYPE_CHECKING:
    from flask import Flask

# Flask is imported where an answer is built, not here: the worker and the sweeper raise and
# catch ApiError (and read UNAVAILABLE) without a web app.

log = logging.getLogger(__name__)

# The fixed list of codes clients may rely on.
CODES = {
    "invalid_json": 400,
    "validation_failed": 422,
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "origin_not_allowed": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "invalid_transition": 409,
    "conflict": 409,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "rate_limited": 429,
    "internal_error": 500,
    "unavailable": 503,
}

_WERKZEUG_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


class ApiError(Exception):
    def __init__(self, code: str, message: str, status: int | None = None, **extra: Any):
        if code not in CODES:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or CODES[code]
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, **self.extra}}


# Errors that mean a dependency is down or out of reach, not that the request
# was wrong: the client should retry. Integrity and data errors are not here:
# they are bugs or bad input and stay loud.
UNAVAILABLE = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,  # no pool connection within pool_timeout
    redis.ConnectionError,
    redis.TimeoutError,
)
RETRY_AFTER_SECONDS = 5


def error_response(error: ApiError):
    import flask  # a plain import: no from-list to resolve on every call

    response = flask.jsonify(error.body())
    response.status_code = error.status
    if error.code == "rate_limited" and "retry_after" in error.extra:
        response.headers["Retry-After"] = str(error.extra["retry_after"])
    if error.code == "unavailable":
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def where_raised(error: BaseException) -> str:
    """file:line of the innermost frame, to find the bug without logging any value."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"


def _matches_any(app: Flask, methods) -> bool:
    from flask import request
    from werkzeug.exceptions import HTTPException

    adapter = app.url_map.bind_to_environ(request.environ)
    for method in methods or ():
        try:
            adapter.match(request.path, method=method)
            return True
        except HTTPException:
            continue
    return False


def register_error_handlers(app: Flask) -> None:
    from flask import request
    from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if isinstance(error, MethodNotAllowed) and not _matches_any(app, error.valid_methods):
            # Werkzeug answers 405 when the path fits a rule of another method before that
            # rule's converter refused it (an id past what the column holds): no route, 404.
            error = NotFound()
        status = error.code or 500
        code = _WERKZEUG_CODES.get(status, "bad_request" if status < 500 else "internal_error")
        message = error.description or error.name
        if status == 404:
            message = f"no such resource: {request.path}"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.path}"
        response = error_response(ApiError(code, message, status=status))
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # One line, no traceback and no values: SQL parameters and exception
        # messages can carry readers' emails and comment text.
        if isinstance(error, UNAVAILABLE):
            cause = getattr(error, "orig", None) or error
            log.warning(
                "%s %s: dependency unavailable (%s)",
                request.method,
                request.path,
                type(cause).__name__,
            )
            return error_response(
                ApiError("unavailable", "a service Parley depends on is unavailable; try again")
            )
        request_id = uuid.uuid4().hex[:12]
        log.error(
            "unhandled %s at %s (request %s, %s %s)",
            type(error).__name__,
            where_raised(error),
            request_id,
            request.method,
            request.path,
        )
        return error_response(
            ApiError("internal_error", "something went wrong on our side", request_id=request_id)
        )
