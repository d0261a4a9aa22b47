"""Serves the OpenAPI document built from the routes' own models."""

from __future__ import annotations

from flask import Blueprint, current_app

from service.api import openapi_document

bp = Blueprint("openapi", __name__)


@bp.get("/api/v1/openapi.json")
def openapi():
    return openapi_document(current_app)
