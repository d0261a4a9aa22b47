"""One-click approve/reject links in moderator mail.

A link is a token signed with the secret key (itsdangerous), bound to one
comment, one action, one recipient, one nonce and the status the comment had
when it was mailed, and it expires. A comment a colleague has moved since
(approved, filed as spam) is not moved again by an old link: 409. It works
once: the first use records its nonce in ``mail_link_uses``, and the approve
and reject links for the same comment in the same mail share a nonce, so
using either spends both. The recipient must still be a moderator of the
site when the link is used.

The link lands on a confirmation page: GET only shows the comment and a
button, POST acts. Mail scanners and link previewers fetch GETs; they must
never approve anything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from service.models import MailLinkUse, utcnow

SALT = "parley.mail-link"
LINK_ACTIONS = ("approve", "reject")


class LinkError(Exception):
    """Why a link cannot be used: ``expired``, ``invalid``, ``used``, or ``moved`` (the
    comment is no longer in the status the mail was about)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class LinkClaims:
    comment_id: int
    action: str
    recipient: str
    site_id: int
    nonce: str
    # The status the mail was about; the link acts only while the comment still has it.
    status: str


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_link_token(secret_key: str, claims: LinkClaims) -> str:
    if claims.action not in LINK_ACTIONS:
        raise ValueError(f"no one-click link for {claims.action!r}")
    return _serializer(secret_key).dumps(
        {
            "c": claims.comment_id,
            "a": claims.action,
            "r": claims.recipient,
            "s": claims.site_id,
            "n": claims.nonce,
            "st": claims.status,
        }
    )


def read_link_token(secret_key: str, token: str, max_age: int) -> LinkClaims:
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkError("expired", "this link has expired; open the dashboard instead") from None
    except BadData:  # BadPayload too: a good signature over bytes that are not our JSON
        raise LinkError("invalid", "this link is not valid") from None
    try:
        claims = LinkClaims(
            int(data["c"]),
            str(data["a"]),
            str(data["r"]),
            int(data["s"]),
            str(data["n"]),
            str(data["st"]),
        )
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid", "this link is not valid") from None
    if claims.action not in LINK_ACTIONS:
        raise LinkError("invalid", "this link is not valid")
    return claims


def is_used(session: Session, nonce: str) -> bool:
    return session.scalar(sa.select(MailLinkUse.id).where(MailLinkUse.nonce == nonce)) is not None


def spend(session: Session, claims: LinkClaims) -> None:
    """Record the nonce (flushes). The unique constraint settles a double click:
    the second transaction fails at flush or commit with IntegrityError."""
    if is_used(session, claims.nonce):
        raise LinkError("used", "this link was already used")
    session.add(
        MailLinkUse(
            nonce=claims.nonce,
            comment_id=claims.comment_id,
            action=claims.action,
            used_by=claims.recipient,
            used_at=utcnow(),
        )
    )
    session.flush()
