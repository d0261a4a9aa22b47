"""Request validation and the OpenAPI document, from the same pydantic models.

``@endpoint`` routes a view on a blueprint together with the models that
validate its query string and JSON body and describe its responses;
``openapi_document`` renders the operations of the blueprints an app has.
There is no hand-kept copy of the API to drift.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, get_origin

from flask import Blueprint, Flask, request
from pydantic import BaseModel, ValidationError

from service.errors import CODES, ApiError
from service.schemas import DB_INT_MAX


@dataclass
class Operation:
    path: str
    method: str
    summary: str
    tags: list[str]
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    responses: dict[int, type[BaseModel] | None] = field(default_factory=dict)
    auth: bool = False
    errors: tuple[int, ...] = ()


def _first_error(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "body"
    message = first["msg"]
    if first["type"] == "missing":
        message = "is required"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field"
    return where, f"{where}: {message}"


def _unstorable(value: Any, path: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str] | None:
    """Where the first value sits that no database column can hold, and why.

    PostgreSQL refuses NUL in text, and an integer past what an id column holds
    fails in the driver; checked here, once for every route, both are the
    client's mistake (422), not a 500.
    """
    if isinstance(value, str):
        return (path, "must not contain NUL characters") if "\x00" in value else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (
            None if -DB_INT_MAX <= value <= DB_INT_MAX else (path, f"must be at most {DB_INT_MAX}")
        )
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
        if any("\x00" in key for key, _ in items):
            return path, "keys must not contain NUL characters"
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for name, item in items:
        found = _unstorable(item, (*path, name))
        if found:
            return found
    return None


def _validated(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        where, message = _first_error(error)
        raise ApiError("validation_failed", message, field=where) from None
    found = _unstorable(parsed.model_dump())
    if found:
        path, problem = found
        where = ".".join(path) or "body"
        raise ApiError("validation_failed", f"{where}: {problem}", field=where)
    return parsed


def parse_json_body(model: type[BaseModel], max_chars: int | None = None) -> BaseModel:
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiError("unsupported_media_type", "send the body as application/json")
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError("invalid_json", "the request body is not valid JSON") from None
    except RecursionError:
        # A few hundred kilobytes of "[" nest deeper than the parser recurses.
        raise ApiError("invalid_json", "the request body nests too deeply") from None
    if not isinstance(data, dict):
        raise ApiError("invalid_json", "the request body must be a JSON object")
    return _validated(model, data)


def parse_query(model: type[BaseModel]) -> BaseModel:
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in request.args:
            continue
        if get_origin(info.annotation) is list or info.annotation is list:
            data[key] = request.args.getlist(key)
        else:
            data[key] = request.args.get(key)
    return _validated(model, data)


def endpoint(
    bp: Blueprint,
    rule: str,
    method: str,
    *,
    summary: str,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    responses: dict[int, type[BaseModel] | None] | None = None,
    auth: bool = False,
    errors: tuple[int, ...] = (),
    openapi_prefix: str = "",
) -> Callable:
    """Route ``rule`` on ``bp``; the view receives ``query=`` and/or ``body=``."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            if query is not None:
                kwargs["query"] = parse_query(query)
            if body is not None:
                kwargs["body"] = parse_json_body(body)
            return view(*args, **kwargs)

        bp.add_url_rule(rule, view_func=wrapper, methods=[method])
        path = (openapi_prefix or bp.url_prefix or "") + rule
        # Kept on the blueprint, so the document describes exactly the app's routes.
        bp.__dict__.setdefault("api_operations", []).append(
            Operation(
                path=_openapi_path(path),
                method=method.lower(),
                summary=summary,
                tags=[bp.name],
                query=query,
                body=body,
                responses=responses or {200: None},
                auth=auth,
                errors=errors,
            )
        )
        return wrapper

    return decorate


def _openapi_path(rule: str) -> str:
    # Flask's "<int:id>" becomes OpenAPI's "{id}".
    import re

    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _error_statuses(op: Operation) -> set[int]:
    """Every error status the operation can answer, not only the ones its view raises."""
    statuses = {503, *op.errors}  # 503: the database or Redis is down
    if op.query is not None or op.body is not None:
        statuses |= {400, 422}
    if op.body is not None:
        statuses |= {413, 415}  # too large for MAX_CONTENT_LENGTH; not JSON
    if "{" in op.path:
        statuses.add(404)  # no such id (or one past what the database stores)
    if op.method != "get":
        statuses.add(429)  # every route that writes is rate-limited (service.limits)
    return statuses


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def openapi_document(app: Flask) -> dict[str, Any]:
    schemas: dict[str, Any] = {}

    def ref(model: type[BaseModel]) -> dict[str, str]:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            schemas[name] = sub
        schemas[model.__name__] = schema
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    error_ref = ref(ErrorBody)
    paths: dict[str, Any] = {}
    operations = [op for bp in app.blueprints.values() for op in getattr(bp, "api_operations", [])]
    for op in operations:
        item: dict[str, Any] = {"summary": op.summary, "tags": op.tags, "responses": {}}
        params = []
        for segment in op.path.split("/"):
            if segment.startswith("{"):
                name = segment[1:-1]
                params.append(
                    {
                        "name": name,
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer" if name.endswith("id") else "string"},
                    }
                )
        if op.query is not None:
            qschema = op.query.model_json_schema()
            required = set(qschema.get("required", []))
            for name, prop in qschema.get("properties", {}).items():
                param = {"name": name, "in": "query", "required": name in required, "schema": prop}
                if prop.get("type") == "array":
                    param["explode"] = True
                params.append(param)
        if params:
            item["parameters"] = params
        if op.body is not None:
            item["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(op.body)}},
            }
        for status, model in op.responses.items():
            content = {"application/json": {"schema": ref(model)}} if model else None
            item["responses"][str(status)] = {"description": "OK" if status < 300 else "see body"}
            if content:
                item["responses"][str(status)]["content"] = content
        for status in sorted(_error_statuses(op)):
            item["responses"][str(status)] = {
                "description": ", ".join(c for c, s in CODES.items() if s == status),
                "content": {"application/json": {"schema": error_ref}},
            }
        if op.auth:
            item["security"] = [{"bearer": []}]
        paths.setdefault(op.path, {})[op.method] = item

    return {
        "openapi": "3.1.0",
        "info": {"title": "Parley API", "version": app.config.get("PARLEY_VERSION", "1")},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
