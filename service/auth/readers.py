"""Reader tokens: how a signed-in reader proves who they are to the API.

After a social sign-in the popup hands the widget a token signed with the
secret key, bound to one site, expiring, and revocable (its id is recorded on
logout). The widget sends it as ``Authorization: Bearer``; no third-party
cookie is involved.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.access import bearer_token
from service.errors import ApiError
from service.models import Identity, RevokedToken, Site, utcnow

READER_TOKEN_SALT = "parley.reader-token"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=READER_TOKEN_SALT)


def issue_reader_token(secret_key: str, identity_id: int, site_id: int) -> str:
    return _serializer(secret_key).dumps(
        {"i": identity_id, "s": site_id, "j": secrets.token_hex(8)}
    )


def token_ttl() -> int:
    """How long a reader token is good for, in seconds (PARLEY_READER_TOKEN_TTL)."""
    return current_app.extensions["parley"].settings.auth.reader_token_ttl


def verify_reader_token(secret_key: str, token: str, site_id: int, ttl: int) -> dict:
    try:
        claims = _serializer(secret_key).loads(token, max_age=ttl)
    except SignatureExpired:
        raise ApiError("unauthorized", "your sign-in has expired; sign in again") from None
    except BadSignature:
        raise ApiError("unauthorized", "the sign-in token is not valid") from None
    if not isinstance(claims, dict) or claims.get("s") != site_id:
        raise ApiError("unauthorized", "the sign-in token was issued for another site")
    return claims


def reader_identity(session: Session, secret_key: str, site: Site) -> Identity | None:
    """The signed-in reader for this request, None for a guest; 401 for a bad token."""
    token = bearer_token()
    if token is None:
        return None
    claims = verify_reader_token(secret_key, token, site.id, token_ttl())
    revoked = session.scalar(sa.select(RevokedToken.id).where(RevokedToken.jti == claims["j"]))
    if revoked is not None:
        raise ApiError("unauthorized", "you have signed out; sign in again")
    identity = session.get(Identity, claims["i"])
    if identity is None:
        raise ApiError("unauthorized", "the signed-in account no longer exists")
    if identity.provider.startswith("site:") and identity.provider != f"site:{site.slug}":
        # A site's own accounts (SSO) mean something on that site only.
        raise ApiError("unauthorized", "this account belongs to another site")
    return identity


def revoke_reader_token(session: Session, secret_key: str, token: str, site_id: int) -> None:
    ttl = token_ttl()
    claims = verify_reader_token(secret_key, token, site_id, ttl)
    # A token revoked longer ago than tokens live was issued even earlier: it has expired, and
    # its row can go, so the table holds about one lifetime of sign-outs.
    stale = utcnow() - timedelta(seconds=ttl)
    session.execute(sa.delete(RevokedToken).where(RevokedToken.revoked_at < stale))
    exists = session.scalar(sa.select(RevokedToken.id).where(RevokedToken.jti == claims["j"]))
    if exists is None:
        try:
            with session.begin_nested():
                session.add(RevokedToken(jti=claims["j"], revoked_at=utcnow()))
        except IntegrityError:
            pass  # the same token signed out at the same moment elsewhere: revoked either way
    session.commit()
