"""Moderators who sign in: site membership, and the session actor for the moderation API.

A person moderates a site when a ``SiteMember`` row names their identity, or names an email
address that their provider *verified*. An unverified address grants nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, request
from flask import session as cookie_session
from sqlalchemy.orm import Session

from service.auth.identities import find_identity
from service.errors import ApiError
from service.models import Identity, Site, SiteMember
from service.moderation.access import ROLES, Actor
from service.sites import origin_of

# The first-party session cookie on Parley's own pages holds this identity id.
SESSION_KEY = "parley_identity"
_REF_RE = re.compile(r"^(?P<provider>[a-z][a-z0-9-]{0,63}):(?P<subject>.+)$", re.S)


@dataclass(frozen=True)
class MemberRef:
    """Who a membership names: ``provider:subject`` or a (verified) email address."""

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

    def __str__(self) -> str:
        return self.email or f"{self.provider}:{self.subject}"


def add_member(session: Session, site: Site, ref: MemberRef, role: str = "moderator") -> SiteMember:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if ref.email is not None:
        member = session.scalar(
            sa.select(SiteMember).where(
                SiteMember.site_id == site.id, sa.func.lower(SiteMember.email) == ref.email
            )
        )
        if member is None:
            member = SiteMember(site_id=site.id, email=ref.email, role=role)
            session.add(member)
    else:
        identity = find_identity(session, ref.provider, ref.subject)
        if identity is None:
            # Named before their first sign-in; the sign-in fills in the profile.
            identity = Identity(provider=ref.provider, subject=ref.subject)
            session.add(identity)
            session.flush()
        member = session.scalar(
            sa.select(SiteMember).where(
                SiteMember.site_id == site.id, SiteMember.identity_id == identity.id
            )
        )
        if member is None:
            member = SiteMember(site_id=site.id, identity_id=identity.id, role=role)
            session.add(member)
    member.role = role
    session.flush()
    return member


def remove_member(session: Session, site: Site, ref: MemberRef) -> bool:
    if ref.email is not None:
        where = sa.func.lower(SiteMember.email) == ref.email
    else:
        identity = find_identity(session, ref.provider, ref.subject)
        if identity is None:
            return False
        where = SiteMember.identity_id == identity.id
    result = session.execute(sa.delete(SiteMember).where(SiteMember.site_id == site.id, where))
    return result.rowcount > 0


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


def session_identity(session: Session) -> Identity | None:
    identity_id = cookie_session.get(SESSION_KEY)
    if not isinstance(identity_id, int):
        return None
    return session.get(Identity, identity_id)


def session_actor(session: Session) -> Actor | None:
    """Resolver for ``moderation.access``: the signed-in moderator of this browser, if any."""
    if SESSION_KEY not in cookie_session:
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # A cookie rides along on requests other pages trigger; only Parley's own pages
        # may act with it (browsers always send Origin on cross-origin POSTs).
        origin = request.headers.get("Origin")
        own = origin_of(current_app.extensions["parley"].settings.base_url)
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
