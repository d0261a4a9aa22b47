"""CORS for the public API: pages on any site's registered origin may call it.

CORS only decides whether a page may *read* a response. Whether an origin may
act on a particular site is checked by the views (``sites.check_origin``).
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, request

from service.models import Site
from service.runtime import current_runtime
from service.sites import origin_of

_CACHE_SECONDS = 10


def _known_origins() -> set[str]:
    rt = current_runtime()
    cached = rt.__dict__.get("_origins_cache")
    if cached and cached[0] > time.monotonic():
        return cached[1]
    with rt.session() as session:
        origins = {
            o.rstrip("/").lower()
            for row in session.scalars(sa.select(Site.allowed_origins))
            for o in row or []
        }
    origins.add(origin_of(rt.settings.base_url))
    rt.__dict__["_origins_cache"] = (time.monotonic() + _CACHE_SECONDS, origins)
    return origins


def install_cors(app: Flask, prefixes: tuple[str, ...] = ("/api/", "/auth/")) -> None:
    @app.after_request
    def _cors(response):
        origin = request.headers.get("Origin")
        if not origin or not request.path.startswith(prefixes):
            return response
        if origin.rstrip("/").lower() in _known_origins():
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, DELETE, OPTIONS"
            response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
        return response
