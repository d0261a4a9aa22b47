"""Roles per site, and what each may do.

owner ⊇ moderator. A moderator works the queue: acts on comments one at a
time or in bulk, deletes them, bans authors, and reads bans and the audit
log. An owner may also lift bans, give and take roles, and manage the site's
webhooks. Roles are held by API tokens (``parley tokens create --role``) and
by people (``SiteMember``: an identity, or an email not yet signed in),
managed with ``parley roles`` and ``/api/v1/moderation/roles``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.errors import ApiError
from service.models import Identity, SiteMember
from service.moderation import audit
from service.moderation.access import ROLES, Actor, require_moderator
from service.moderation.bans import normalize_email


def is_owner(actor: Actor, site_id: int) -> bool:
    return actor.owns(site_id)


def require_owner(session: Session, site_id: int) -> Actor:
    actor = require_moderator(session, site_id)
    if not is_owner(actor, site_id):
        raise ApiError("forbidden", "only an owner of this site may do this")
    return actor


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


def _owners_left(session: Session, site_id: int, without: int) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(SiteMember)
            .where(
                SiteMember.site_id == site_id, SiteMember.role == "owner", SiteMember.id != without
            )
        )
        or 0
    )


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
        if member.role == "owner" and _owners_left(session, site_id, member.id) == 0:
            raise ApiError("conflict", "a site keeps at least one owner; name another first")
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
    if member.role == "owner" and _owners_left(session, member.site_id, member.id) == 0:
        raise ApiError("conflict", "a site keeps at least one owner; name another first")
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
