"""One error shape for every failure: {"error": {"code", "message", ...}}.

Views raise ``ApiError``; they never build error JSON by hand. Handlers sit on
the app, not on blueprints, because routing errors (404/405) never reach a
blueprint's handlers.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

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


def error_response(error: ApiError):
    response = jsonify(error.body())
    response.status_code = error.status
    if error.code == "rate_limited" and "retry_after" in error.extra:
        response.headers["Retry-After"] = str(error.extra["retry_after"])
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        return error_response(error)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        code = _WERKZEUG_CODES.get(status, "bad_request" if status < 500 else "internal_error")
        message = error.description or error.name
        if status == 404:
            message = f"no such resource: {request.path}"
        elif status == 405:
            message = f"{request.method} is not allowed on {request.path}"
        return error_response(ApiError(code, message, status=status))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        request_id = uuid.uuid4().hex[:12]
        log.exception("unhandled error (request %s)", request_id)
        return error_response(
            ApiError("internal_error", "something went wrong on our side", request_id=request_id)
        )
