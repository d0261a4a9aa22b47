"""Who may do what on a site: actors, API tokens, site membership, and the checks views make.

owner ⊇ moderator. A moderator works the queue: acts on comments one at a time or in bulk,
deletes them, bans authors, and reads bans and the audit log. An owner may also lift bans, give
and take roles, and manage the site's webhooks.

Someone acts either with an API token sent as ``Authorization: Bearer`` (``parley tokens
create``), or as a moderator signed in on Parley's own pages (the first-party session cookie
``service.auth`` sets on sign-in). People hold roles through ``SiteMember`` rows naming an
identity, or an email address that counts once a provider has *verified* it. Roles change only
through ``set_role`` and ``remove_member`` (the API, the dashboard and ``parley moderators``
alike), so every change is audited and a site always keeps an owner.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, request
from flask import session as cookie_session
from sqlalchemy.orm import Session

from service.auth.identities import find_identity
from service.errors import ApiError
from service.models import ApiToken, Identity, Site, SiteMember, utcnow
from service.moderation import audit
from service.sites import origin_of
from service.text import hash_token, normalize_email

ROLES = ("owner", "moderator")
TOKEN_PREFIX = "pmt_"
# The first-party session cookie on Parley's own pages holds this identity id.
SESSION_KEY = "parley_identity"
_REF_RE = re.compile(r"^(?P<provider>[a-z][a-z0-9-]{0,63}):(?P<subject>.+)$", re.S)


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


# -- API tokens ----------------------------------------------------------------------------------


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


def revoke_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def bearer_token() -> str | None:
    """The request's ``Authorization: Bearer`` token: a moderator's API token or a reader's."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


# -- membership ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRef:
    """Who a membership names, as an operator types it: ``provider:subject`` or an email."""

    provider: str | None = None
    subject: str | None = None
    email: str | None = None

    @classmethod
    def parse(cls, text: str) -> MemberRef:
        text = text.strip()
        match = _REF_RE.match(text)
        if match:
            return cls(provider=match["provider"], subject=match["subject"])
        local, at, domain = text.rpartition("@")
        if at and local and "." in domain and not any(c.isspace() for c in text):
            return cls(email=text.lower())
        raise ValueError(f"{text!r} is neither provider:subject nor an email address")

    def resolve(self, session: Session, *, create: bool = False) -> tuple[str | None, int | None]:
        """(email, identity_id) as ``set_role`` and ``find_member`` take them.

        A provider:subject nobody has signed in as yet names no one, unless ``create``: then a
        placeholder identity is made, which their first sign-in fills in.
        """
        if self.email is not None:
            return self.email, None
        identity = find_identity(session, self.provider, self.subject)
        if identity is None and create:
            identity = Identity(provider=self.provider, subject=self.subject)
            session.add(identity)
            session.flush()
        return None, identity.id if identity is not None else None

    def __str__(self) -> str:
        return self.email or f"{self.provider}:{self.subject}"


def member_email(member: SiteMember, identity: Identity | None) -> str | None:
    if member.email:
        return member.email
    if identity is not None and identity.email_verified:
        return normalize_email(identity.email)
    return None


def find_member(
    session: Session, site_id: int, *, email: str | None = None, identity_id: int | None = None
) -> SiteMember | None:
    if identity_id is not None:
        return session.scalar(
            sa.select(SiteMember).where(
                SiteMember.site_id == site_id, SiteMember.identity_id == identity_id
            )
        )
    email = normalize_email(email)
    if email is None:
        return None
    verified = sa.select(Identity.id).where(
        sa.func.lower(Identity.email) == email, Identity.email_verified.is_(True)
    )
    return session.scalar(
        sa.select(SiteMember)
        .where(
            SiteMember.site_id == site_id,
            sa.or_(SiteMember.email == email, SiteMember.identity_id.in_(verified)),
        )
        .order_by(SiteMember.id)
        .limit(1)
    )


def list_members(session: Session, site: Site) -> list[tuple[SiteMember, Identity | None]]:
    rows = session.execute(
        sa.select(SiteMember, Identity)
        .outerjoin(Identity, Identity.id == SiteMember.identity_id)
        .where(SiteMember.site_id == site.id)
        .order_by(SiteMember.id)
    ).all()
    return [(member, identity) for member, identity in rows]


def memberships(session: Session, identity: Identity) -> list[SiteMember]:
    """The site roles of this identity: by identity, or by an address its provider verified."""
    match = SiteMember.identity_id == identity.id
    if identity.email and identity.email_verified:
        match = sa.or_(match, sa.func.lower(SiteMember.email) == identity.email.lower())
    return list(session.scalars(sa.select(SiteMember).where(match)))


def _keep_an_owner(session: Session, member: SiteMember) -> None:
    if member.role != "owner":
        return
    others = session.scalar(
        sa.select(sa.func.count())
        .select_from(SiteMember)
        .where(
            SiteMember.site_id == member.site_id,
            SiteMember.role == "owner",
            SiteMember.id != member.id,
        )
    )
    if not others:
        raise ApiError("conflict", "a site keeps at least one owner; name another first")


def set_role(
    session: Session,
    site_id: int,
    role: str,
    actor_label: str,
    *,
    email: str | None = None,
    identity_id: int | None = None,
) -> tuple[SiteMember, bool]:
    """Give someone a role on a site (or change theirs); (member, changed)."""
    if role not in ROLES:
        raise ApiError(
            "validation_failed", f"role: must be one of {', '.join(ROLES)}", field="role"
        )
    if identity_id is not None and session.get(Identity, identity_id) is None:
        raise ApiError("validation_failed", "identity_id: no such identity", field="identity_id")
    email = normalize_email(email)
    if identity_id is None and email is None:
        raise ApiError("validation_failed", "give an email or an identity_id", field="email")
    member = find_member(session, site_id, email=email, identity_id=identity_id)
    if member is not None and member.role == role:
        return member, False
    if member is None:
        member = SiteMember(site_id=site_id, identity_id=identity_id, email=email, role=role)
        session.add(member)
        before = None
    else:
        _keep_an_owner(session, member)
        before = member.role
        member.role = role
    session.flush()
    who = email or f"identity {identity_id}"
    audit.record(
        session,
        site_id=site_id,
        actor=actor_label,
        action="role_set",
        note=f"{who}: {before or 'none'} -> {role}",
    )
    return member, True


def remove_member(session: Session, member: SiteMember, actor_label: str) -> None:
    _keep_an_owner(session, member)
    who = member.email or f"identity {member.identity_id}"
    audit.record(
        session,
        site_id=member.site_id,
        actor=actor_label,
        action="role_removed",
        note=f"{who}: {member.role} -> none",
    )
    session.delete(member)
    session.flush()


# -- the actor of this request -------------------------------------------------------------------


def session_identity(session: Session) -> Identity | None:
    identity_id = cookie_session.get(SESSION_KEY)
    if not isinstance(identity_id, int):
        return None
    return session.get(Identity, identity_id)


def session_actor(session: Session) -> Actor | None:
    """The moderator signed in on this browser, if any."""
    if SESSION_KEY not in cookie_session:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # A cookie rides along on requests other pages trigger; only Parley's own pages
        # may act with it (browsers always send Origin on cross-origin POSTs).
        origin = request.headers.get("Origin")
        own = origin_of(current_app.extensions["parley"].settings.web.base_url)
        if origin and origin.rstrip("/").lower() != own:
            raise ApiError("forbidden", "signed-in moderators may act only from Parley's own pages")
    identity = session_identity(session)
    if identity is None:
        return None
    rows = memberships(session, identity)
    role = "owner" if any(m.role == "owner" for m in rows) else "moderator"
    return Actor(
        label=f"{identity.provider}:{identity.subject}"[:200],
        role=role,
        site_ids=frozenset(m.site_id for m in rows),
        owned_site_ids=frozenset(m.site_id for m in rows if m.role == "owner"),
    )


def current_actor(session: Session) -> Actor:
    """A bearer token, when one is sent, else the signed-in session; 401 for neither."""
    if "parley_actor" in g:
        return g.parley_actor
    token = bearer_token()
    if token is not None:
        actor = actor_from_token(session, token)
        if actor is None:
            raise ApiError("unauthorized", "the bearer token is not valid or was revoked")
    else:
        actor = session_actor(session)
    if actor is None:
        raise ApiError("unauthorized", "moderation needs a moderator token or sign-in")
    g.parley_actor = actor
    return actor


def require_moderator(session: Session, site_id: int) -> Actor:
    actor = current_actor(session)
    if not actor.may_moderate(site_id):
        raise ApiError("forbidden", "you are not a moderator of this site")
    return actor


def require_owner(session: Session, site_id: int) -> Actor:
    actor = require_moderator(session, site_id)
    if not actor.owns(site_id):
        raise ApiError("forbidden", "only an owner of this site may do this")
    return actor


def require_owner_of(session: Session, model: type, row_id: int, noun: str) -> tuple[Any, Actor]:
    """A site's ban, role or webhook, with the owner changing it: 404 first, then 401/403."""
    row = session.get(model, row_id)
    if row is None:
        raise ApiError("not_found", f"no {noun} {row_id}")
    return row, require_owner(session, row.site_id)
