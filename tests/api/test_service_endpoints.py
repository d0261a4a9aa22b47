"""Health probes and the generated OpenAPI document."""

from __future__ import annotations


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_openapi_describes_every_api_route_with_its_models(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    api_rules = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "openapi.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    import re

    documented = {
        (re.sub(r"\{([a-z_]+)\}", r"<\1>", path), method.upper())
        for path, ops in doc["paths"].items()
        for method in ops
    }
    normalized = {(re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"<\1>", r), m) for r, m in api_rules}
    assert normalized == documented

    post = doc["paths"]["/api/v1/comments"]["post"]
    schema_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    # The very model the view validates with: its limits show up in the document.
    from service.comments.schemas import CommentIn

    assert schema == doc["components"]["schemas"]["CommentIn"]
    assert set(schema["required"]) == {"site", "thread", "body"}
    assert CommentIn.model_json_schema()["properties"]["body"]["maxLength"] == 10_000
    assert "422" in post["responses"] and "202" in post["responses"]
    error = doc["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["error"]["$ref"].endswith("ErrorDetail")
