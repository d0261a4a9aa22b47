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

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

# Flask is imported inside the functions that read the request (a plain ``import flask``, cheap
# once loaded): the worker imports this module through its checks and runs without Flask.
from service.auth.identities import find_identity
from service.errors import ApiError
from service.models import ApiToken, Identity, SignInSession, Site, SiteMember, utcnow
from service.moderation import audit
from service.sites import origin_of
from service.text import hash_token, normalize_email, same_secret

log = logging.getLogger(__name__)

ROLES = ("owner", "moderator")
TOKEN_PREFIX = "pmt_"
# The first-party session cookie on Parley's own pages holds a server-side session's id here.
SESSION_KEY = "parley_session"
# The dashboard's per-session CSRF token (service.moderation.dashboard puts it in its forms).
CSRF_KEY = "parley_moderate_csrf"
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
# Like GitHub's fine-grained tokens: a finite lifetime unless asked otherwise (30 days from the
# CLI and the API), revocable, and with the last use recorded so an owner can tell a token in use
# from a forgotten one. Only the SHA-256 is stored; the first characters are kept to tell tokens
# apart in a list, as GitHub and Stripe show them.

DEFAULT_TOKEN_LIFETIME = timedelta(days=30)
MAX_TOKEN_LIFETIME = timedelta(days=366)
# last_used_at is written at most this often per token: a script polling the queue every second
# must not turn every read into a write.
TOUCH_EVERY = timedelta(minutes=1)
_LIFETIME_RE = re.compile(r"^(?P<n>[1-9][0-9]{0,5})(?P<unit>[mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_lifetime(text: str) -> timedelta | None:
    """``30d``, ``12h``, ``90m``, ``2w`` or ``never`` (None); ValueError otherwise."""
    text = text.strip().lower()
    if text == "never":
        return None
    match = _LIFETIME_RE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a lifetime: use e.g. 30d, 12h, 90m, 2w or never")
    lifetime = timedelta(**{_UNITS[match["unit"]]: int(match["n"])})
    if lifetime > MAX_TOKEN_LIFETIME:
        raise ValueError("a token lives at most 366 days (or never, if you must)")
    return lifetime


def create_token(
    session: Session,
    site: Site,
    role: str,
    label: str | None = None,
    *,
    expires_in: timedelta | None = None,
    created_by: str | None = None,
) -> str:
    """A new token (flushed, audited); ``expires_in=None`` is a token that never expires."""
    return create_token_row(
        session, site, role, label, expires_in=expires_in, created_by=created_by
    )[1]


def create_token_row(
    session: Session,
    site: Site,
    role: str,
    label: str | None = None,
    *,
    expires_in: timedelta | None = None,
    created_by: str | None = None,
) -> tuple[ApiToken, str]:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        site_id=site.id,
        role=role,
        token_hash=hash_token(token),
        prefix=token[: len(TOKEN_PREFIX) + 4],
        label=label,
        created_by=created_by,
        created_at=now,
        expires_at=now + expires_in if expires_in is not None else None,
    )
    session.add(row)
    session.flush()
    expiry = row.expires_at.strftime("%Y-%m-%d %H:%M UTC") if row.expires_at else "never"
    audit.record(
        session,
        site_id=site.id,
        actor=created_by or "cli",
        action="token_created",
        note=f"token {row.id} ({row.prefix}…, {role}), expires {expiry}",
    )
    return row, token


def token_is_live(row: ApiToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return row.revoked_at is None and (row.expires_at is None or row.expires_at > now)


def find_live_token(session: Session, token: str) -> ApiToken | None:
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    return row if row is not None and token_is_live(row) else None


def actor_from_token(session: Session, token: str) -> Actor | None:
    row = find_live_token(session, token)
    if row is None:
        return None
    sites = frozenset({row.site_id})
    return Actor(
        label=f"token:{row.id}",
        role=row.role,
        site_ids=sites,
        owned_site_ids=sites if row.role == "owner" else frozenset(),
    )


def touch_token(session: Session, token_id: int) -> None:
    """Record a use (at most once a minute), committed on its own."""
    now = utcnow()
    session.execute(
        sa.update(ApiToken)
        .where(
            ApiToken.id == token_id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_EVERY),
        )
        .values(last_used_at=now)
    )
    session.commit()


def list_tokens(session: Session, site_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """(token, site slug), oldest first; revoked and expired ones too, for the record."""
    query = sa.select(ApiToken, Site.slug).join(Site, Site.id == ApiToken.site_id)
    if site_id is not None:
        query = query.where(ApiToken.site_id == site_id)
    return [(row, slug) for row, slug in session.execute(query.order_by(ApiToken.id)).all()]


def revoke_token(session: Session, token_id: int, actor_label: str = "cli") -> ApiToken | None:
    """Revoke a token (audited; revoking twice changes nothing); None if there is no such."""
    row = session.get(ApiToken, token_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(
            session,
            site_id=row.site_id,
            actor=actor_label,
            action="token_revoked",
            note=f"token {row.id} ({row.prefix or 'pmt_'}…, {row.role})",
        )
        session.flush()
    return row


def bearer_token() -> str | None:
    """The request's ``Authorization: Bearer`` token: a moderator's API token or a reader's."""
    import flask

    header = flask.request.headers.get("Authorization", "")
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


# -- moderator sessions ------------------------------------------------------------------------
# Server-side sessions, as the OWASP Session Management Cheat Sheet describes them: the cookie
# holds only a random id (256 bits) that names a row, so logging out, an absolute lifetime and an
# idle timeout are enforced by the server, and a copied cookie dies with the row. A signed cookie
# alone (what Flask gives) stays valid after logout for as long as the key does. The table keeps
# the id's SHA-256, so reading it signs no one in.


def start_session(session: Session, identity: Identity, lifetime: int) -> str:
    """A new session for ``identity`` (flushed); the id to put in the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    # Sessions past their absolute end are dead whatever else holds; sign-ins sweep them, so
    # the table holds about one lifetime of sessions.
    session.execute(sa.delete(SignInSession).where(SignInSession.expires_at < now))
    session.add(
        SignInSession(
            id_hash=hash_token(session_id),
            identity_id=identity.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=lifetime),
        )
    )
    session.flush()
    return session_id


def live_session(session: Session, session_id: str, idle_timeout: int) -> SignInSession | None:
    row = session.scalar(
        sa.select(SignInSession).where(SignInSession.id_hash == hash_token(session_id))
    )
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.last_seen_at + timedelta(seconds=idle_timeout) <= now:
        return None
    return row


def touch_session(session: Session, row_id: int) -> None:
    """Push the idle deadline back (at most once a minute), committed on its own."""
    now = utcnow()
    session.execute(
        sa.update(SignInSession)
        .where(SignInSession.id == row_id, SignInSession.last_seen_at < now - TOUCH_EVERY)
        .values(last_seen_at=now)
    )
    session.commit()


def end_session(session: Session, session_id: str) -> SignInSession | None:
    row = session.scalar(
        sa.select(SignInSession).where(SignInSession.id_hash == hash_token(session_id))
    )
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


def end_all_sessions(session: Session, identity_id: int) -> int:
    """Log an identity out everywhere; how many sessions ended."""
    result = session.execute(
        sa.update(SignInSession)
        .where(SignInSession.identity_id == identity_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount or 0


# -- the actor of this request -------------------------------------------------------------------


def _settings():
    import flask

    return flask.current_app.extensions["parley"].settings


def _touch(touch, row_id: int) -> None:
    # A separate short transaction: the request's own session may never commit (a GET).
    import flask

    try:
        with flask.current_app.extensions["parley"].session() as own:
            touch(own, row_id)
    except sa.exc.SQLAlchemyError as error:
        log.warning("could not record a use: %s", type(error).__name__)


def session_identity(session: Session) -> Identity | None:
    """The moderator signed in on this browser by a live server-side session, if any."""
    import flask

    session_id = flask.session.get(SESSION_KEY)
    if not isinstance(session_id, str):
        return None
    row = live_session(session, session_id, _settings().auth.session_idle_timeout)
    if row is None:
        return None
    if "parley_session_touched" not in flask.g:
        flask.g.parley_session_touched = True
        _touch(touch_session, row.id)
    return session.get(Identity, row.identity_id)


def _same_origin(value: str | None, own: str) -> bool:
    return bool(value) and origin_of(value) == own


def check_same_origin() -> None:
    """Refuse a cookie-authenticated write that Parley's own pages did not send.

    The cookie rides along on requests other sites make a browser send (SameSite=Lax still sends
    it on top-level form posts from a sibling subdomain). Browsers send ``Origin`` on every
    cross-origin POST and on same-origin ones too; ``Referer`` is the fallback OWASP names for
    the rare request without it, and the dashboard's per-session CSRF token for a client that
    sends neither. Missing all three is refused: OWASP's "verifying origin with standard
    headers" treats no header as a failure.
    """
    import flask

    if flask.request.method in ("GET", "HEAD", "OPTIONS"):
        return
    own = origin_of(_settings().web.base_url)
    origin = flask.request.headers.get("Origin")
    if origin is not None:
        if _same_origin(origin, own):
            return
        raise ApiError("forbidden", "signed-in moderators may act only from Parley's own pages")
    if _same_origin(flask.request.headers.get("Referer"), own):
        return
    sent = flask.request.form.get("csrf") or flask.request.headers.get("X-CSRF-Token") or ""
    expected = flask.session.get(CSRF_KEY)
    if expected and same_secret(str(expected), sent):
        return
    raise ApiError("forbidden", "signed-in moderators may act only from Parley's own pages")


def session_actor(session: Session) -> Actor | None:
    """The moderator signed in on this browser, if any."""
    import flask

    if SESSION_KEY not in flask.session:
        return None
    check_same_origin()
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
    import flask

    if "parley_actor" in flask.g:
        return flask.g.parley_actor
    token = bearer_token()
    if token is not None:
        row = find_live_token(session, token)
        if row is None:
            # One answer for unknown, expired and revoked: the caller learns nothing it could
            # use, and the owner's token list says which it was.
            raise ApiError("unauthorized", "the bearer token is not valid, expired or was revoked")
        sites = frozenset({row.site_id})
        actor = Actor(
            label=f"token:{row.id}",
            role=row.role,
            site_ids=sites,
            owned_site_ids=sites if row.role == "owner" else frozenset(),
        )
        _touch(touch_token, row.id)
    else:
        actor = session_actor(session)
    if actor is None:
        raise ApiError("unauthorized", "moderation needs a moderator token or sign-in")
    flask.g.parley_actor = actor
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
    """A site's ban, role, token or webhook, with the owner changing it: 401 first (a stranger
    learns nothing about which ids exist), then 404, then 403."""
    row = _site_row(session, model, row_id, noun)
    return row, require_owner(session, row.site_id)


def require_moderator_of(
    session: Session, model: type, row_id: int, noun: str
) -> tuple[Any, Actor]:
    """A site's comment (or other row), with a moderator acting on it: 401, 404, 403 in the
    same order as ``require_owner_of``."""
    row = _site_row(session, model, row_id, noun)
    return row, require_moderator(session, row.site_id)


def _site_row(session: Session, model: type, row_id: int, noun: str) -> Any:
    current_actor(session)
    row = session.get(model, row_id)
    if row is None:
        raise ApiError("not_found", f"no {noun} {row_id}")
    return row
