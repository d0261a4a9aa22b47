"""``GET /metrics`` and the request series: the web app's side of ``service.metrics``.

Apart from it so that the processes that count without serving HTTP (the worker, the sweeper)
import no Flask.
"""

from __future__ import annotations

import hmac
import ipaddress
import time

from flask import Blueprint, Flask, Response, g, request

from service.errors import ApiError
from service.metrics import exposition, metrics


def _internal(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private


bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def metrics_view():
    from prometheus_client import CONTENT_TYPE_LATEST

    from service.runtime import current_runtime

    rt = current_runtime()
    token = rt.settings.operations.metrics_token
    if token:
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise ApiError("unauthorized", "metrics need the metrics token as a bearer token")
    elif not _internal(request.remote_addr):
        raise ApiError(
            "forbidden", "metrics answer internal addresses only, or set PARLEY_METRICS_TOKEN"
        )
    return Response(exposition(rt), mimetype=CONTENT_TYPE_LATEST.split(";")[0])


def install_request_metrics(app: Flask) -> None:
    """Count and time every request by its route (the rule, never the raw path)."""

    @app.before_request
    def _start() -> None:
        g.parley_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("parley_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "(unmatched)"
            m = metrics()
            m.requests.labels(route, request.method, str(response.status_code)).inc()
            m.request_seconds.labels(route, request.method).observe(time.perf_counter() - started)
        return response
