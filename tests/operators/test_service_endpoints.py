"""Health probes and the generated OpenAPI document."""

from __future__ import annotations

import logging


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_openapi_describes_every_api_route_with_its_models(app, client):
    import re

    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    routes = {
        (re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"<\1>", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "openapi.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (re.sub(r"\{([a-z_]+)\}", r"<\1>", path), method.upper())
        for path, ops in doc["paths"].items()
        for method in ops
    }
    # Every /api/v1 route is documented, and nothing documented is missing from the app
    # (JSON routes outside /api/v1, such as /auth/me, are documented too).
    assert {r for r in routes if r[0].startswith("/api/v1/")} <= documented
    assert documented <= routes


def test_an_untrusted_proxy_is_reported_once(client, caplog):
    caplog.set_level(logging.WARNING, logger="service")
    client.get("/healthz")
    assert "PARLEY_PROXY_HOPS" not in caplog.text
    for _ in range(3):
        client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    warnings = [r for r in caplog.records if "PARLEY_PROXY_HOPS=0" in r.getMessage()]
    assert len(warnings) == 1
