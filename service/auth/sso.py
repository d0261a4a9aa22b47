"""Host-site SSO: a site's own signed-in readers comment as themselves, with no second login.

The owner configures one of two ways for the host to vouch for a reader (``configure_sso``):

- a shared secret (HS256, at least 32 bytes), stored sealed with a key derived from
  PARLEY_SECRET_KEY exactly as webhook secrets are (``service.notifications.sealed_secrets``);
- the URL of the host's published keys (RS256 or ES256), fetched through the webhook
  guard and cached, a new ``kid`` fetching the set again (``service.auth.jwks``).

The host's server signs a JWT per reader; the widget trades it at ``POST /auth/sso`` for the
same reader token a social sign-in gives (``sign_in_with_token``). Only the configured
algorithms are accepted (never ``none``, never HS256 with a public key); ``aud`` must be the
site's slug, ``exp`` is required and at most a day ahead, ``nbf``/``iat`` are honoured with a
minute of leeway, and a ``jti`` works once. Every refusal is an ``SsoRefused`` whose reason
goes to the server log for the site owner; the reader only learns that it was refused.

The identity is ``(site:<slug>, sub)``: a reader token is bound to one site anyway, and an
identity of one site's accounts is refused on any other (``service.auth.readers``). Its
address counts as verified only if the token says so and the owner chose ``trust_email``.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth import jwks
from service.auth.identities import upsert_identity
from service.auth.profiles import site_profile
from service.errors import ApiError
from service.models import Identity, ModerationEvent, Site, SiteSso, UsedToken, utcnow
from service.notifications.destinations import DestinationRefused
from service.notifications.sealed_secrets import SecretUnreadable, seal, unseal
from service.settings import Settings

SEAL_INFO = b"parley sso secrets"
SECRET_MIN_BYTES = 32
SECRET_MAX_BYTES = 512
SECRET_ALGORITHMS = ("HS256",)
JWKS_ALGORITHMS = ("RS256", "ES256")
LEEWAY = 60  # seconds of clock difference tolerated between the host and Parley
MAX_LIFETIME = 24 * 3600  # exp at most this far ahead
TOKEN_MAX_CHARS = 8192
JTI_MAX_CHARS = 255


class SsoRefused(Exception):
    """The token does not sign anyone in; the message is for the site owner's log."""


class SsoUnavailable(Exception):
    """The host's published keys cannot be fetched now: nobody can be told yes or no."""


def provider_of(site: Site) -> str:
    return f"site:{site.slug}"


def sso_of(session: Session, site: Site) -> SiteSso | None:
    return session.scalar(sa.select(SiteSso).where(SiteSso.site_id == site.id))


def describe(row: SiteSso | None) -> dict[str, Any]:
    """What the API and the CLI show of a site's SSO settings (never the secret)."""
    if row is None:
        return {"enabled": False, "method": None, "jwks_url": None, "trust_email": False}
    method = "secret" if row.secret else "jwks"
    return {
        "enabled": True,
        "method": method,
        "algorithms": list(SECRET_ALGORITHMS if row.secret else JWKS_ALGORITHMS),
        "jwks_url": row.jwks_url,
        "trust_email": row.trust_email,
    }


def configure_sso(
    session: Session,
    site: Site,
    *,
    settings: Settings,
    actor: str,
    secret: str | None = None,
    jwks_url: str | None = None,
    trust_email: bool | None = None,
    disable: bool = False,
) -> SiteSso | None:
    """Set (or, with ``disable``, remove) how ``site`` vouches for its readers; flushes.

    One method at a time: a secret replaces a JWKS URL and the other way round. Raises
    ``ApiError`` (422) naming the field that is wrong.
    """
    row = sso_of(session, site)
    if disable:
        if secret is not None or jwks_url is not None:
            raise ApiError(
                "validation_failed", "sso: turn it off or configure it, not both", field="sso"
            )
        if row is not None:
            session.delete(row)
            _audit(session, site, actor, "SSO turned off")
            session.flush()
        return None
    if secret is not None and jwks_url is not None:
        raise ApiError(
            "validation_failed",
            "sso_secret and sso_jwks_url are two ways to sign: give one",
            field="sso_secret",
        )
    if secret is not None:
        size = len(secret.encode())
        if size < SECRET_MIN_BYTES:
            raise ApiError(
                "validation_failed",
                f"sso_secret: must be at least {SECRET_MIN_BYTES} bytes (HS256), not {size}",
                field="sso_secret",
            )
        if size > SECRET_MAX_BYTES or secret != secret.strip() or "\x00" in secret:
            raise ApiError(
                "validation_failed",
                f"sso_secret: at most {SECRET_MAX_BYTES} bytes, without surrounding spaces",
                field="sso_secret",
            )
    if jwks_url is not None:
        allow_private = settings.auth.sso_allow_private
        if len(jwks_url) > 2048:
            raise ApiError(
                "validation_failed", "sso_jwks_url: at most 2048 characters", field="sso_jwks_url"
            )
        try:
            jwks.check_url(jwks_url, allow_private)
            jwks.fetch(jwks_url, allow_private)
        except DestinationRefused as error:
            raise ApiError(
                "validation_failed", f"sso_jwks_url: {error}", field="sso_jwks_url"
            ) from None
        except jwks.JwksUnavailable as error:
            raise ApiError(
                "validation_failed", f"sso_jwks_url: {error}", field="sso_jwks_url"
            ) from None
    if row is None:
        if secret is None and jwks_url is None:
            if trust_email is None:
                return None
            raise ApiError(
                "validation_failed",
                "sso_trust_email: configure sso_secret or sso_jwks_url first",
                field="sso_trust_email",
            )
        row = SiteSso(site_id=site.id, trust_email=False, updated_by=actor)
        session.add(row)
    if secret is not None:
        row.secret = seal(settings.secret_key, secret, SEAL_INFO)
        row.jwks_url = None
    if jwks_url is not None:
        row.jwks_url = jwks_url
        row.secret = None
    if trust_email is not None:
        row.trust_email = trust_email
    row.updated_by = actor
    row.updated_at = utcnow()
    method = "a shared secret (HS256)" if row.secret else f"the keys at {row.jwks_url}"
    trusted = "trusted" if row.trust_email else "not trusted"
    _audit(session, site, actor, f"SSO by {method}; the host's verified addresses {trusted}")
    session.flush()
    return row


def _audit(session: Session, site: Site, actor: str, note: str) -> None:
    # Who can sign readers in is as much the owners' business as who moderates.
    session.add(ModerationEvent(site_id=site.id, actor=actor, action="sso_changed", note=note))


# -- verifying a host's token ------------------------------------------------------------------


def verify_token(session: Session, settings: Settings, site: Site, token: str) -> dict[str, Any]:
    """The token's claims if the site's configuration vouches for them; ``SsoRefused`` if not.

    Does not spend the ``jti``; ``sign_in_with_token`` does, in the same transaction as the
    sign-in.
    """
    row = sso_of(session, site)
    if row is None:
        raise SsoRefused("SSO is not configured for this site")
    if not token or len(token) > TOKEN_MAX_CHARS:
        raise SsoRefused(f"the token is empty or longer than {TOKEN_MAX_CHARS} characters")
    # JOSE (and the cryptography under it) on first use: a web process whose sites use no
    # SSO stays several MB smaller.
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet, OctKey
    from joserfc.jws import extract_compact

    try:
        header = extract_compact(token.encode()).headers()
    except (JoseError, ValueError, UnicodeError):
        raise SsoRefused("the token is not a compact JWS (header.payload.signature)") from None
    alg = header.get("alg")
    if row.secret:
        algorithms = list(SECRET_ALGORITHMS)
        try:
            key: Any = OctKey.import_key(unseal(settings.secret_key, row.secret, SEAL_INFO))
        except SecretUnreadable:
            raise SsoRefused(
                "the site's SSO secret was sealed with another PARLEY_SECRET_KEY: set it again"
            ) from None
    else:
        algorithms = list(JWKS_ALGORITHMS)
        if alg not in algorithms:
            raise SsoRefused(f"alg {alg!r} is not one of {', '.join(algorithms)}")
        kid = header.get("kid")
        try:
            key = jwks.key_set(row.jwks_url or "", settings.auth.sso_allow_private, kid=kid)
        except jwks.JwksUnavailable as error:
            raise SsoUnavailable(str(error)) from None
        if isinstance(key, KeySet) and kid is not None and not any(k.kid == kid for k in key):
            raise SsoRefused(f"no key with kid {kid!r} in the JWKS")
    if alg not in algorithms:
        raise SsoRefused(f"alg {alg!r} is not the configured {', '.join(algorithms)}")
    try:
        decoded = jwt.decode(token, key, algorithms=algorithms)
    except JoseError as error:
        raise SsoRefused(f"signature not verified: {error}") from None
    except (ValueError, TypeError) as error:
        raise SsoRefused(f"the token cannot be read: {error}") from None
    claims = decoded.claims
    if not isinstance(claims, dict):
        raise SsoRefused("the payload is not a JSON object")
    _check_claims(claims, site.slug)
    return claims


def _number(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SsoRefused(f"{name} must be a number of seconds since 1970")
    return float(value)


def _check_claims(claims: dict[str, Any], slug: str) -> None:
    now = time.time()
    sub = claims.get("sub")
    if isinstance(sub, int) and not isinstance(sub, bool):
        sub = str(sub)
    if not isinstance(sub, str) or not sub.strip():
        raise SsoRefused("sub is required: the host's id of the reader")
    if len(sub) > 255:
        raise SsoRefused("sub is longer than 255 characters")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if aud is None:
        raise SsoRefused(f"aud is required: the site's slug {slug!r}")
    if slug not in audiences:
        raise SsoRefused(f"aud {aud!r} is not this site's slug {slug!r}")
    exp = _number(claims, "exp")
    if exp is None:
        raise SsoRefused("exp is required")
    if exp < now - LEEWAY:
        raise SsoRefused(f"the token expired {int(now - exp)} seconds ago")
    if exp > now + MAX_LIFETIME + LEEWAY:
        raise SsoRefused("exp is more than 24 hours ahead: sign a fresh short-lived token")
    nbf = _number(claims, "nbf")
    if nbf is not None and nbf > now + LEEWAY:
        raise SsoRefused(f"the token is not valid for another {int(nbf - now)} seconds (nbf)")
    iat = _number(claims, "iat")
    if iat is not None and iat > now + LEEWAY:
        raise SsoRefused("iat is in the future: check the host's clock")
    jti = claims.get("jti")
    if jti is not None and (not isinstance(jti, str) or not jti or len(jti) > JTI_MAX_CHARS):
        raise SsoRefused(f"jti must be a string of 1 to {JTI_MAX_CHARS} characters")


def spend_once(session: Session, kind: str, scope: str, value: str, expires: datetime) -> bool:
    """Record a single-use value (an SSO ``jti``, a magic link's nonce); False if it was spent.

    The row may go once the token that carried it has expired, so the table holds about one
    token lifetime of uses.
    """
    key = hashlib.sha256(f"{kind}\x00{scope}\x00{value}".encode()).hexdigest()
    session.execute(sa.delete(UsedToken).where(UsedToken.expires_at < utcnow()))
    if session.scalar(sa.select(UsedToken.id).where(UsedToken.key == key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(UsedToken(key=key, expires_at=expires))
    except IntegrityError:
        return False  # spent at the same moment by another request
    return True


def sign_in_with_token(session: Session, settings: Settings, site: Site, token: str) -> Identity:
    """The identity the host's token names, created or refreshed; flushes, never commits."""
    claims = verify_token(session, settings, site, token)
    jti = claims.get("jti")
    if jti is not None:
        expires = datetime.fromtimestamp(float(claims["exp"]) + LEEWAY, UTC)
        # Kept at least a minute, whatever exp says: a replay inside the leeway is refused too.
        expires = max(expires, utcnow() + timedelta(seconds=LEEWAY))
        if not spend_once(session, "sso", str(site.id), jti, expires):
            raise SsoRefused(f"jti {jti[:40]!r} was already used (a replayed token)")
    row = sso_of(session, site)
    try:
        profile = site_profile(site.slug, claims, trust_email=bool(row and row.trust_email))
    except ValueError as error:
        raise SsoRefused(str(error)) from None
    return upsert_identity(session, profile)


def site_label(session: Session, provider: str) -> str | None:
    """The name a ``site:<slug>`` identity's accounts go by: the site's name."""
    if not provider.startswith("site:"):
        return None
    return session.scalar(sa.select(Site.name).where(Site.slug == provider.removeprefix("site:")))


def refused_as_api_error() -> ApiError:
    # One sentence for every refusal: which claim was wrong helps a forger, not the reader.
    return ApiError("unauthorized", "the site's sign-in token was not accepted")
