"""Who may moderate a site: API tokens (and, later, signed-in moderators)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.orm import Session

from service.auth.readers import bearer_token
from service.errors import ApiError
from service.models import ApiToken, Site, utcnow
from service.text import hash_token

ROLES = ("owner", "moderator")
TOKEN_PREFIX = "pmt_"


@dataclass(frozen=True)
class Actor:
    """Someone acting on a site's comments, as the audit log names them."""

    label: str
    role: str  # the highest role held anywhere, for display only
    site_ids: frozenset[int]
    # Ownership is per site: owning one site must not make someone owner of another.
    owned_site_ids: frozenset[int] = frozenset()

    def may_moderate(self, site_id: int) -> bool:
        return site_id in self.site_ids

    def owns(self, site_id: int) -> bool:
        return site_id in self.owned_site_ids


def create_token(session: Session, site: Site, role: str, label: str | None = None) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(site_id=site.id, role=role, token_hash=hash_token(token), label=label))
    session.flush()
    return token


def actor_from_token(session: Session, token: str) -> Actor | None:
    row = session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None:
        return None
    sites = frozenset({row.site_id})
    return Actor(
        label=f"token:{row.id}",
        role=row.role,
        site_ids=sites,
        owned_site_ids=sites if row.role == "owner" else frozenset(),
    )


# Other ways to be a moderator (a signed-in session) register a resolver here:
# a function (session) -> Actor | None, consulted after bearer tokens. Resolvers that
# belong to one app (set up in create_app) go in app.extensions["parley_actor_resolvers"].
ACTOR_RESOLVERS: list = []


def current_actor(session: Session) -> Actor:
    if "parley_actor" in g:
        return g.parley_actor
    actor = None
    token = bearer_token()
    if token is not None:
        actor = actor_from_token(session, token)
        if actor is None:
            raise ApiError("unauthorized", "the bearer token is not valid or was revoked")
    for resolve in [*ACTOR_RESOLVERS, *current_app.extensions.get("parley_actor_resolvers", ())]:
        if actor is not None:
            break
        actor = resolve(session)
    if actor is None:
        raise ApiError("unauthorized", "moderation needs a moderator token or sign-in")
    g.parley_actor = actor
    return actor


def require_moderator(session: Session, site_id: int) -> Actor:
    actor = current_actor(session)
    if not actor.may_moderate(site_id):
        raise ApiError("forbidden", "you are not a moderator of this site")
    return actor


def revoke_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
