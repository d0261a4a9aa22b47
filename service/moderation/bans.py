"""Bans: an author whose next comments never publish.

A ban names what we know of the author: the identity of a signed-in author,
the email of a guest, and the hashed IP either way. Any one of them matching
a new comment on the same site is enough (``matching_ban``, used by the
worker's ``banned_author`` check, which then holds the comment). A ban may
expire; lifting one deletes it, and the audit log keeps the story.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.access import Actor
from service.errors import ApiError
from service.models import Ban, Comment, utcnow
from service.moderation import audit
from service.prepared import Prepared
from service.text import normalize_email


def active(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(Ban.expires_at.is_(None), Ban.expires_at > now)


def describe(ban: Ban) -> str:
    parts = []
    if ban.identity_id is not None:
        parts.append(f"identity {ban.identity_id}")
    if ban.email:
        parts.append(f"email {ban.email}")
    if ban.ip_hash:
        parts.append(f"IP hash {ban.ip_hash[:12]}…")
    until = f"until {ban.expires_at:%Y-%m-%d %H:%M} UTC" if ban.expires_at else "no expiry"
    return f"ban {ban.id}: {', '.join(parts)}; {until}" + (f"; {ban.reason}" if ban.reason else "")


def ban_keys(comment: Comment) -> tuple[int | None, str | None, str | None]:
    """(identity, email, ip hash) to ban by; raises before anything is written."""
    identity_id = comment.identity_id
    # Identity for signed-in authors, email for guests, the hashed IP for both.
    email = None if identity_id is not None else normalize_email(comment.author_email)
    if identity_id is None and email is None and comment.ip_hash is None:
        raise ApiError(
            "conflict", "this comment's author left nothing to ban by", comment_id=comment.id
        )
    return identity_id, email, comment.ip_hash


def ban_author(
    session: Session,
    comment: Comment,
    actor: Actor,
    site_id: int,
    *,
    expires_in_days: int | None = None,
    reason: str | None = None,
) -> tuple[Ban, bool]:
    """Ban the comment's author; (ban, created). Flushes; the caller commits.

    Banning the same author twice while the first ban is active returns the
    existing ban, so a bulk ban of a spam wave from one author makes one ban.
    """
    identity_id, email, ip_hash = ban_keys(comment)
    now = utcnow()
    existing = session.scalar(
        sa.select(Ban)
        .where(
            Ban.site_id == site_id,
            active(now),
            Ban.identity_id.is_(None) if identity_id is None else Ban.identity_id == identity_id,
            Ban.email.is_(None) if email is None else Ban.email == email,
            Ban.ip_hash.is_(None) if ip_hash is None else Ban.ip_hash == ip_hash,
        )
        .order_by(Ban.id)
    )
    if existing is not None:
        return existing, False
    ban = Ban(
        site_id=site_id,
        identity_id=identity_id,
        email=email,
        ip_hash=ip_hash,
        reason=reason,
        created_by=actor.label,
        comment_id=comment.id,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(ban)
    session.flush()
    audit.record(
        session,
        site_id=site_id,
        actor=actor.label,
        action="ban",
        comment_id=comment.id,
        note=describe(ban),
    )
    session.flush()
    return ban, True


def lift_ban(session: Session, ban: Ban, actor: Actor) -> None:
    audit.record(
        session,
        site_id=ban.site_id,
        actor=actor.label,
        action="unban",
        comment_id=ban.comment_id,
        note=describe(ban),
    )
    session.delete(ban)
    session.flush()


def list_bans(session: Session, site_id: int, *, include_expired: bool = False) -> list[Ban]:
    stmt = sa.select(Ban).where(Ban.site_id == site_id).order_by(Ban.id.desc())
    if not include_expired:
        stmt = stmt.where(active(utcnow()))
    return list(session.scalars(stmt))


# Built once: every comment the worker checks runs it. A None key matches nothing.
# It asks for the oldest id only (an aggregate, no LIMIT to render per call),
# prepared (service.prepared): for the usual "no ban" answer a fraction of
# the cost of an ORM query.
_MATCHING_BAN = Prepared(
    sa.select(sa.func.min(Ban.id)).where(
        Ban.site_id == sa.bindparam("site"),
        active(sa.bindparam("now")),
        sa.or_(
            Ban.identity_id == sa.bindparam("identity"),
            Ban.email == sa.bindparam("email"),
            Ban.ip_hash == sa.bindparam("ip"),
        ),
    )
)


def matching_ban(
    session: Session,
    site_id: int,
    *,
    identity_id: int | None,
    email: str | None,
    ip_hash: str | None,
    now: datetime | None = None,
) -> Ban | None:
    """The oldest active ban on this site that names any of the author's keys."""
    email = normalize_email(email) or None
    if identity_id is None and not email and not ip_hash:
        return None
    params = {
        "site": site_id,
        "now": now or utcnow(),
        "identity": identity_id,
        "email": email,
        "ip": ip_hash or None,
    }
    ban_id = _MATCHING_BAN.scalar(session.connection(), params)
    return None if ban_id is None else session.get(Ban, ban_id)
