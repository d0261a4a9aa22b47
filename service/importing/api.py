"""Imports for site owners without a shell: upload an export, follow its progress.

``POST /api/v1/moderation/imports`` takes ``multipart/form-data`` (``site``, ``format``,
``file``, and optionally ``map_url`` repeated, ``keep_spam``, ``with_pingbacks``,
``dry_run``), stores the upload in an ``imports`` row and runs it as an RQ job
(``worker.imports``). ``GET …/imports/{id}`` answers its state, progress and, once done, the
same report as ``parley import --json``. Owners only.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, request
from pydantic import BaseModel, ConfigDict, Field
from werkzeug.exceptions import RequestEntityTooLarge

from service.access import current_actor, require_moderator, require_owner
from service.api import endpoint
from service.effects import after_commit
from service.enqueue import enqueue_import
from service.errors import ApiError
from service.importing.keys import parse_map
from service.importing.sources import FORMATS
from service.models import ImportJob, Site
from service.runtime import current_runtime
from service.schemas import SiteQuery
from service.sites import get_site

bp = Blueprint("imports", __name__)

IMPORTS = "/api/v1/moderation/imports"
# Uploads are kept in the database until the worker has read them.
MAX_UPLOAD = 100 * 1024 * 1024
_TRUE = {"1", "true", "on", "yes"}


class ImportOut(BaseModel):
    id: int
    site: str
    format: str
    filename: str | None
    state: str
    processed: int
    total: int | None
    created_by: str
    created_at: datetime
    finished_at: datetime | None
    error: str | None
    report: dict[str, Any] | None


class ImportEnvelope(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    import_: ImportOut = Field(alias="import")


class ImportList(BaseModel):
    imports: list[ImportOut]


def import_out(row: ImportJob, slug: str) -> dict:
    return ImportOut(
        id=row.id,
        site=slug,
        format=row.format,
        filename=row.filename,
        state=row.state,
        processed=row.processed,
        total=row.total,
        created_by=row.created_by,
        created_at=row.created_at,
        finished_at=row.finished_at,
        error=row.error,
        report=row.report,
    ).model_dump(mode="json")


def _form() -> tuple[Any, Any]:
    if request.mimetype != "multipart/form-data":
        raise ApiError("unsupported_media_type", "send the export as multipart/form-data")
    request.max_content_length = MAX_UPLOAD
    try:
        return request.form, request.files
    except RequestEntityTooLarge:
        raise ApiError(
            "payload_too_large", f"an upload may be at most {MAX_UPLOAD // 2**20} MB"
        ) from None


def create_import(session, site, form, upload, actor_label: str, rt) -> ImportJob:
    """Validate an upload and store it as a queued import; flushes and enqueues after commit.
    Shared by the API and the dashboard's import page."""
    fmt = (form.get("format") or "").strip()
    if fmt not in FORMATS:
        raise ApiError("validation_failed", f"format: one of {', '.join(FORMATS)}", field="format")
    if upload is None or not upload.filename:
        raise ApiError("validation_failed", "file: attach the export file", field="file")
    try:
        pairs = parse_map([v for v in form.getlist("map_url") if v.strip()])
    except ValueError as error:
        raise ApiError("validation_failed", f"map_url: {error}", field="map_url") from None
    try:
        payload = upload.read(MAX_UPLOAD + 1)
    finally:
        upload.close()  # a large upload spools to a temporary file
    if len(payload) > MAX_UPLOAD:
        raise ApiError("payload_too_large", f"an upload may be at most {MAX_UPLOAD // 2**20} MB")
    if not payload:
        raise ApiError("validation_failed", "file: the file is empty", field="file")
    row = ImportJob(
        site_id=site.id,
        format=fmt,
        filename=upload.filename[:255],
        options={
            "map_url": [list(pair) for pair in pairs],
            "keep_spam": (form.get("keep_spam") or "").lower() in _TRUE,
            "with_pingbacks": (form.get("with_pingbacks") or "").lower() in _TRUE,
            "dry_run": (form.get("dry_run") or "").lower() in _TRUE,
        },
        payload=payload,
        state="queued",
        processed=0,
        created_by=actor_label[:200],
    )
    session.add(row)
    session.flush()
    after_commit(session, partial(enqueue_import, rt.queue, rt.settings, row.id))
    return row


@endpoint(
    bp,
    IMPORTS,
    "POST",
    summary="Import an export (owners only): multipart/form-data with site, format "
    "(wordpress, disqus, isso, commento, remark42, parley), file, and optionally map_url "
    "(OLD=NEW, repeatable), keep_spam, with_pingbacks, dry_run. Runs as a job; follow it "
    "at GET /api/v1/moderation/imports/{id}.",
    responses={202: ImportEnvelope},
    auth=True,
    errors=(401, 403, 404, 413, 415, 422),
)
def start_import():
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is read or looked up
        form, files = _form()
        site = get_site(session, (form.get("site") or "").strip(), field="site")
        actor = require_owner(session, site.id)
        row = create_import(session, site, form, files.get("file"), actor.label, rt)
        session.commit()
        out = import_out(row, site.slug)
    return {"import": out}, 202


@endpoint(
    bp,
    f"{IMPORTS}/<int:import_id>",
    "GET",
    summary="An import's state (queued, running, done, failed), progress and report "
    "(the site's moderators and owners)",
    responses={200: ImportEnvelope},
    auth=True,
    errors=(401, 403, 404),
)
def get_import(import_id: int):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 first: a stranger learns nothing about which ids exist
        row = session.get(ImportJob, import_id)
        if row is None:
            raise ApiError("not_found", f"no import {import_id}")
        # Moderators may follow an import; only owners start one.
        require_moderator(session, row.site_id)
        return {"import": import_out(row, row_site_slug(session, row))}


@endpoint(
    bp,
    IMPORTS,
    "GET",
    summary="A site's imports, newest first (the site's moderators and owners)",
    query=SiteQuery,
    responses={200: ImportList},
    auth=True,
    errors=(401, 403, 404),
)
def list_imports(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        rows = session.scalars(
            sa.select(ImportJob)
            .where(ImportJob.site_id == site.id)
            .order_by(ImportJob.id.desc())
            .limit(50)
        ).all()
        return {"imports": [import_out(r, site.slug) for r in rows]}


def row_site_slug(session, row: ImportJob) -> str:
    return session.get(Site, row.site_id).slug
