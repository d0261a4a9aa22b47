"""HTTP face of a site's settings: read them, change them (owners only).

``PATCH /api/v1/sites/{slug}`` takes ``service.site_admin.SiteUpdate``; the console's settings
page (``/moderate/settings``) sends exactly this request.
"""

from __future__ import annotations

from flask import Blueprint

from service.access import current_actor, require_moderator, require_owner
from service.api import endpoint
from service.auth.sso import configure_sso
from service.errors import ApiError
from service.runtime import current_runtime
from service.site_admin import SiteOut, SiteUpdate, site_out, update_site
from service.sites import get_site

bp = Blueprint("sites", __name__, url_prefix="/api/v1/sites")


def _site(session, slug: str, require=require_owner):
    current_actor(session)  # 401 before anything is looked up
    if len(slug) > 64:
        raise ApiError("not_found", "unknown site")
    site = get_site(session, slug)
    return site, require(session, site.id)


@endpoint(
    bp,
    "/<slug>",
    "GET",
    summary="A site's settings: name, allowed origins, stored and effective policy (its "
    "moderators and owners; only owners change them)",
    responses={200: SiteOut},
    auth=True,
    errors=(401, 403, 404),
)
def read_site(slug: str):
    rt = current_runtime()
    with rt.session() as session:
        site, _actor = _site(session, slug, require_moderator)
        return site_out(site).model_dump(mode="json")


@endpoint(
    bp,
    "/<slug>",
    "PATCH",
    summary="Change a site's settings (owners only; audited): name, allowed_origins (the whole "
    "list), policy (merged key by key; null resets a key to its default; validated whole), and "
    "sign-in by the host's accounts (sso_secret or sso_jwks_url, sso_trust_email, sso_enabled; "
    "the secret is never shown)",
    body=SiteUpdate,
    responses={200: SiteOut},
    auth=True,
    errors=(401, 403, 404),
)
def update_site_settings(slug: str, body: SiteUpdate):
    rt = current_runtime()
    with rt.session() as session:
        site, actor = _site(session, slug)
        update_site(session, site, body, actor.label)
        if body.sso_changes():
            configure_sso(
                session,
                site,
                settings=rt.settings,
                actor=actor.label,
                secret=body.sso_secret,
                jwks_url=body.sso_jwks_url,
                trust_email=body.sso_trust_email,
                disable=body.sso_enabled is False,
            )
        session.commit()
        return site_out(site).model_dump(mode="json")
