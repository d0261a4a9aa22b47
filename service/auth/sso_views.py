"""A site's SSO settings over the API: ``PATCH /api/v1/sites/{slug}`` (owners only).

Only the SSO fields live here; the logic is ``service.auth.sso.configure_sso``, so a general
site-settings endpoint can take these fields over by calling the same function.
"""

from __future__ import annotations

from typing import Annotated

from flask import Blueprint
from pydantic import BaseModel, StringConstraints

from service.access import require_owner
from service.api import endpoint
from service.auth.sso import configure_sso, describe, sso_of
from service.runtime import current_runtime
from service.schemas import Strict
from service.sites import get_site

bp = Blueprint("site_sso", __name__, url_prefix="/api/v1/sites")


class SiteSsoPatch(Strict):
    # HS256: the secret shared with the host's server, at least 32 bytes.
    sso_secret: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None
    # RS256/ES256: where the host publishes its public keys (JWKS).
    sso_jwks_url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    # Believe the host's email_verified claim (links to roles named by address).
    sso_trust_email: bool | None = None
    # false turns SSO off.
    sso_enabled: bool | None = None


class SsoOut(BaseModel):
    enabled: bool
    method: str | None  # "secret" or "jwks"
    algorithms: list[str] = []
    jwks_url: str | None
    trust_email: bool


class SiteSsoOut(BaseModel):
    site: str
    sso: SsoOut


@endpoint(
    bp,
    "/<slug>",
    "PATCH",
    summary="Change a site's settings: its SSO (owners only; audited; the secret is never shown)",
    body=SiteSsoPatch,
    responses={200: SiteSsoOut},
    auth=True,
    errors=(401, 403, 404),
)
def update_site(slug: str, body: SiteSsoPatch):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, slug)
        actor = require_owner(session, site.id)
        row = configure_sso(
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
        out = SiteSsoOut(site=site.slug, sso=SsoOut(**describe(row or sso_of(session, site))))
    return out.model_dump(mode="json")
