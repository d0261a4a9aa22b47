"""Changing a site's settings: one body model, one use case, audited.

``SiteUpdate`` is the body of ``PATCH /api/v1/sites/{slug}``, and ``parley sites update`` maps
its flags onto the same model, so the API, the CLI and the console's settings page accept
exactly the same changes. ``update_site`` applies them: the policy is merged into the stored
one (a key set to null goes back to its default) and validated whole by ``Policy.checked``;
origins are checked and normalised; one audit row names what changed. A new field (an SSO
secret, say) is one line here plus its line in ``_apply``; list it in ``SECRET_FIELDS`` and the
audit row says it changed without ever writing its value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session, object_session

from service.auth.sso import describe, sso_of
from service.errors import ApiError
from service.models import Site
from service.moderation import audit
from service.policy import Policy
from service.sites import origin_of

# Fields whose values never appear in the audit log or in answers.
SECRET_FIELDS: frozenset[str] = frozenset()
MAX_ORIGINS = 50

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Origin = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class SiteUpdate(BaseModel):
    """What may change; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    # The whole list (scheme://host[:port]); replaces the stored one.
    allowed_origins: Annotated[list[Origin], Field(max_length=MAX_ORIGINS)] | None = None
    # Merged into the stored policy, key by key (nested tables too); null resets a key.
    policy: dict[str, Any] | None = None
    # Sign-in by the host's own accounts (service.auth.sso): an HS256 secret shared with the
    # host's server (at least 32 bytes) or the URL of its public keys (RS256/ES256); whether
    # its email_verified claim is believed; false in sso_enabled turns SSO off.
    sso_secret: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None
    sso_jwks_url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    sso_trust_email: bool | None = None
    sso_enabled: bool | None = None

    def sso_changes(self) -> bool:
        return bool(self.model_fields_set & SSO_FIELDS)


SSO_FIELDS = {"sso_secret", "sso_jwks_url", "sso_trust_email", "sso_enabled"}


class SsoOut(BaseModel):
    enabled: bool
    method: str | None  # "secret" or "jwks"; the secret itself is never shown
    algorithms: list[str] = []
    jwks_url: str | None
    trust_email: bool


class SiteOut(BaseModel):
    slug: str
    name: str
    allowed_origins: list[str]
    # What the site stored (only what differs from the defaults).
    policy: dict[str, Any]
    # Every knob with the value in force.
    effective_policy: dict[str, Any]
    created_at: datetime
    sso: SsoOut


def site_out(site: Site) -> SiteOut:
    session = object_session(site)
    return SiteOut(
        sso=SsoOut(**describe(sso_of(session, site) if session is not None else None)),
        slug=site.slug,
        name=site.name,
        allowed_origins=list(site.allowed_origins or []),
        policy=dict(site.policy or {}),
        effective_policy=Policy.of(site.policy, strict=False).model_dump(mode="json"),
        created_at=site.created_at,
    )


def checked_origin(value: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL; anything else is refused."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ApiError(
            "validation_failed",
            f"allowed_origins: {value!r} is not an origin (https://example.com[:port])",
            field="allowed_origins",
        )
    del port
    return origin_of(value.strip())


def merge_policy(stored: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """JSON merge patch (RFC 7386): objects merge key by key, null removes, the rest replaces."""
    merged = dict(stored)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict):
            below = merged.get(key)
            merged[key] = merge_policy(below if isinstance(below, dict) else {}, value)
            if not merged[key]:
                merged.pop(key)  # nothing left but defaults
        else:
            merged[key] = value
    return merged


def _shown(field: str, value: Any) -> str:
    return "(secret)" if field in SECRET_FIELDS else repr(value)


def update_site(session: Session, site: Site, changes: SiteUpdate, actor: str) -> list[str]:
    """Apply ``changes`` to ``site`` and audit them; the names of the fields that changed.

    Raises ``ApiError`` (validation_failed) before anything is written. Flushes; the caller
    commits.
    """
    given = changes.model_dump(exclude_unset=True)
    new: dict[str, Any] = {}
    if given.get("name") is not None:
        new["name"] = changes.name
    if changes.allowed_origins is not None:
        new["allowed_origins"] = list(
            dict.fromkeys(checked_origin(o) for o in changes.allowed_origins)
        )
    if changes.policy is not None:
        merged = merge_policy(dict(site.policy or {}), changes.policy)
        try:
            Policy.checked(merged)
        except ValueError as error:
            raise ApiError("validation_failed", f"policy: {error}", field="policy") from None
        new["policy"] = merged
    changed: list[str] = []
    notes: list[str] = []
    for field, value in new.items():
        before = getattr(site, field)
        if field == "policy":
            keys = sorted(
                k for k in set(before or {}) | set(value) if (before or {}).get(k) != value.get(k)
            )
            if not keys:
                continue
            notes += [
                f"policy.{k}: {_shown(k, (before or {}).get(k))} -> {_shown(k, value.get(k))}"
                for k in keys
            ]
        elif before == value:
            continue
        else:
            notes.append(f"{field}: {_shown(field, before)} -> {_shown(field, value)}")
        setattr(site, field, value)
        changed.append(field)
    if changed:
        audit.record(
            session,
            site_id=site.id,
            actor=actor,
            action="site_updated",
            note="; ".join(notes)[:4000],
        )
    session.flush()
    return changed
