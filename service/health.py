"""Liveness and readiness probes for load balancers and compose healthchecks."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint

from service.runtime import current_runtime

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    rt = current_runtime()
    checks = {}
    try:
        with rt.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # any driver error means "not ready"
        checks["database"] = f"unavailable: {type(error).__name__}"
    try:
        rt.redis.ping()
        checks["redis"] = "ok"
    except Exception as error:
        checks["redis"] = f"unavailable: {type(error).__name__}"
    ready = all(v == "ok" for v in checks.values())
    if ready:
        return {"status": "ready", "checks": checks}
    return {"error": {"code": "unavailable", "message": "not ready", "checks": checks}}, 503
