"""CORS for the public API: pages on any site's registered origin may call it.

CORS only decides whether a page may *read* a response. Whether an origin may
act on a particular site is checked by the views (``sites.check_origin``).
"""

from __future__ import annotations

import time
import weakref

import sqlalchemy as sa
from flask import Flask, request

from service import caches
from service.models import Site
from service.runtime import current_runtime
from service.sites import origin_of

_CACHE_SECONDS = 10
# Per runtime (each has its own database): id -> (the runtime, expiry, origins).
# The weak reference tells a live runtime from a new one that reuses a dead one's id.
_ORIGINS: dict[int, tuple[weakref.ref, float, set[str]]] = {}
caches.declare("cors.origins", _ORIGINS.clear)


def _known_origins() -> set[str]:
    rt = current_runtime()
    cached = _ORIGINS.get(id(rt))
    if cached and cached[0]() is rt and cached[1] > time.monotonic():
        return cached[2]
    with rt.session() as session:
        origins = {
            o.rstrip("/").lower()
            for row in session.scalars(sa.select(Site.allowed_origins))
            for o in row or []
        }
    origins.add(origin_of(rt.settings.web.base_url))
    for key in [key for key, (ref, _, _) in _ORIGINS.items() if ref() is None]:
        _ORIGINS.pop(key, None)
    _ORIGINS[id(rt)] = (weakref.ref(rt), time.monotonic() + _CACHE_SECONDS, origins)
    return origins


def install_cors(app: Flask, prefixes: tuple[str, ...] = ("/api/", "/auth/")) -> None:
    @app.after_request
    def _cors(response):
        origin = request.headers.get("Origin")
        if not origin or not request.path.startswith(prefixes):
            return response
        if origin.rstrip("/").lower() in _known_origins():
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = (
                "Authorization, Content-Type, X-Parley-Guest, X-Parley-Comment-Secret"
            )
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, PATCH, DELETE, OPTIONS"
            response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
        return response
