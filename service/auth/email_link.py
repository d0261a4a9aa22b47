"""Signing in with a link mailed to the reader ("Sign in with email", a site policy switch).

The reader gives a name and an address in Parley's own popup; Parley mails a link signed with
the secret key, valid ``LINK_TTL`` seconds, naming the address, the site, the origins the
popup may report to and a nonce. Opening it signs the reader in once: the nonce is spent in
``used_tokens`` (as SSO ``jti``s are), so a forwarded or replayed link does nothing. The
identity is ``(email, <address in lower case>)`` with the address verified: reading the mail
is the proof.

Sending is rate-limited per address (``PER_ADDRESS``: nobody's inbox becomes a target) and per
client address (``PER_CLIENT``), on top of the sign-in group's per-minute limit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits import parse
from sqlalchemy.orm import Session

from service.auth.identities import upsert_identity
from service.auth.profiles import email_profile
from service.auth.sso import spend_once
from service.models import Identity, Site, utcnow
from service.notifications.mail import new_message, send_messages
from service.settings import Settings
from service.sites import policy_of
from service.text import one_line

LINK_TTL = 15 * 60
SALT = "parley.email-link"
PER_ADDRESS = "3/15minutes"
PER_CLIENT = "10/hour"

log = logging.getLogger(__name__)


class LinkRefused(Exception):
    """The link is forged, expired or already used; the message is for the reader."""


@dataclass(frozen=True)
class LinkClaims:
    email: str
    name: str
    site: str
    targets: list[str]
    request: str  # the popup that asked, so it can hand the sign-in to the page
    nonce: str


def enabled_for(settings: Settings, site: Site) -> bool:
    return settings.mail.enabled and policy_of(site, strict=False).email_signin


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_link(settings: Settings, claims: LinkClaims) -> str:
    token = _serializer(settings.secret_key).dumps(
        {
            "e": claims.email,
            "n": claims.name,
            "s": claims.site,
            "t": claims.targets,
            "r": claims.request,
            "j": claims.nonce,
        }
    )
    return f"{settings.web.base_url}/auth/email/callback?{urlencode({'t': token})}"


def new_claims(email: str, name: str, site: str, targets: list[str], request: str) -> LinkClaims:
    return LinkClaims(email, name, site, targets, request, secrets.token_urlsafe(16))


def read_link(settings: Settings, token: str) -> LinkClaims:
    try:
        data = _serializer(settings.secret_key).loads(token, max_age=LINK_TTL)
    except SignatureExpired:
        raise LinkRefused("This link has expired; ask for a new one.") from None
    except BadSignature:
        raise LinkRefused("This link is not valid; ask for a new one.") from None
    try:
        return LinkClaims(
            email=str(data["e"]),
            name=str(data["n"]),
            site=str(data["s"]),
            targets=[str(t) for t in data["t"]],
            request=str(data["r"]),
            nonce=str(data["j"]),
        )
    except (KeyError, TypeError):
        raise LinkRefused("This link is not valid; ask for a new one.") from None


def sign_in(session: Session, claims: LinkClaims, site: Site) -> Identity:
    """Spend the link and return the reader's identity; flushes, never commits."""
    expires = utcnow() + timedelta(seconds=LINK_TTL + 60)
    if not spend_once(session, "email", str(site.id), claims.nonce, expires):
        raise LinkRefused("This link was already used; ask for a new one.")
    return upsert_identity(session, email_profile(claims.email, claims.name))


def allowed_to_send(settings: Settings, address: str, client: str) -> bool:
    """Counts one mail against the address and the client; False when either is spent.

    Counted in the app's rate-limit storage (Redis, or memory while Redis is away).
    """
    limiters = current_app.extensions.get("limiter") or set()
    limiter = next(iter(limiters), None)
    if limiter is None:
        return True
    keyed = hashlib.sha256(f"{settings.secret_key}:{address.lower()}".encode()).hexdigest()[:32]
    try:
        strategy = limiter.limiter
        return strategy.hit(parse(PER_ADDRESS), "email-link", "to", keyed) and strategy.hit(
            parse(PER_CLIENT), "email-link", "from", client
        )
    except Exception as error:  # storage gone mid-request: the per-minute limit still holds
        log.warning("email link rate limit unavailable: %s", type(error).__name__)
        return True


def mail_link(settings: Settings, to: str, site_name: str, url: str) -> None:
    """Sends now, over SMTP; raises on failure."""
    minutes = LINK_TTL // 60
    text = (
        f"Someone (we hope you) asked to sign in to comment on {one_line(site_name, 200)}.\n\n"
        f"Open this link to sign in; it works once, for {minutes} minutes:\n\n{url}\n\n"
        "If you did not ask for it, ignore this mail: nothing happens without the link.\n"
    )
    message = new_message(settings.mail, to, f"Your sign-in link for {site_name}", text)
    send_messages(settings.mail, [message])
