"""The dashboard's import page (``/moderate/import``): an owner uploads an export, picks the
format and URL mappings, and watches the job; the page refreshes itself while one runs. The
same rules as ``parley import`` and the API (``service/importing/api.py``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from service.access import current_actor
from service.errors import ApiError
from service.importing.api import MAX_UPLOAD, create_import
from service.importing.sources import FORMATS
from service.models import ImportJob, Site
from service.moderation.dashboard import _check_csrf, csrf_token, html_errors
from service.moderation.i18n import console_language, translator
from service.runtime import current_runtime

bp = Blueprint("import_page", __name__, url_prefix="/moderate", template_folder="templates")

LABELS = {
    "wordpress": "WordPress (WXR)",
    "disqus": "Disqus (XML)",
    "isso": "Isso (JSON or comments.db)",
    "commento": "Commento / Comentario (JSON)",
    "remark42": "Remark42 (backup)",
    "parley": "Parley (export)",
}


def _owned_sites(db, actor) -> list[Site]:
    ids = [i for i in actor.site_ids if actor.owns(i)]
    return list(db.scalars(sa.select(Site).where(Site.id.in_(ids)).order_by(Site.slug)))


@bp.get("/import")
@html_errors
def import_page():
    rt = current_runtime()
    with rt.session() as db:
        actor = current_actor(db)
        sites = _owned_sites(db, actor)
        if not sites:
            raise ApiError("forbidden", "only a site's owners may import comments")
        slug = request.args.get("site") or sites[0].slug
        site = next((s for s in sites if s.slug == slug), None)
        if site is None:
            raise ApiError("forbidden", f"you are not an owner of {slug!r}")
        imports = db.scalars(
            sa.select(ImportJob)
            .where(ImportJob.site_id == site.id)
            .order_by(ImportJob.id.desc())
            .limit(20)
        ).all()
        busy = any(i.state in ("queued", "running") for i in imports)
        html = render_template(
            "import_page.html",
            actor=actor,
            sites=sites,
            site=site,
            imports=imports,
            formats=[(f, LABELS[f]) for f in FORMATS],
            csrf=csrf_token(),
            busy=busy,
            max_mb=MAX_UPLOAD // 2**20,
            nav="import",
            lang=console_language(),
            t=translator(console_language()),
        )
    return html


@bp.post("/import")
@html_errors
def upload():
    rt = current_runtime()
    request.max_content_length = MAX_UPLOAD + 1024 * 1024
    try:
        form, files = request.form, request.files
    except RequestEntityTooLarge:
        message = f"an upload may be at most {MAX_UPLOAD // 2**20} MB"
        raise ApiError("payload_too_large", message) from None
    _check_csrf()
    with rt.session() as db:
        actor = current_actor(db)
        site = next((s for s in _owned_sites(db, actor) if s.slug == form.get("site")), None)
        if site is None:
            raise ApiError("forbidden", "only a site's owners may import comments")
        # One mapping per line in the page's text area; the API takes map_url repeated.
        fields = MultiDict(form)
        fields.setlist("map_url", (form.get("map_urls") or "").splitlines())
        try:
            row = create_import(db, site, fields, files.get("file"), actor.label, rt)
        except ApiError as error:
            if error.status != 422:
                raise
            flash(error.message)
            return redirect(f"/moderate/import?site={site.slug}", 303)
        db.commit()
        flash(f"Import #{row.id} of {row.filename} queued; this page follows it.")
        slug = site.slug
    return redirect(f"/moderate/import?site={slug}", 303)
