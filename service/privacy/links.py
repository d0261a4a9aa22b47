"""The signed, expiring link a guest gets by mail to confirm erasing their data.

The token names the site, the address and a nonce; it expires after a day and works once
(the nonce is spent in ``mail_link_uses``). Whoever does not control the mailbox cannot
erase anything, and the request answer never says whether the address wrote anything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from service.models import MailLinkUse, utcnow

SALT = "parley.erase-request"
MAX_AGE = 24 * 3600


class EraseLinkError(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class EraseClaims:
    site_id: int
    email: str
    nonce: str


def make_erase_token(secret_key: str, site_id: int, email: str) -> str:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    return serializer.dumps({"s": site_id, "e": email, "n": secrets.token_urlsafe(16)})


def read_erase_token(secret_key: str, token: str, max_age: int = MAX_AGE) -> EraseClaims:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    try:
        data = serializer.loads(token, max_age=max_age)
        return EraseClaims(int(data["s"]), str(data["e"]), str(data["n"]))
    except SignatureExpired:
        raise EraseLinkError("expired", "this link has expired; ask again") from None
    except (BadData, KeyError, TypeError, ValueError):
        raise EraseLinkError("invalid", "this link is not valid") from None


def spend(session: Session, claims: EraseClaims) -> None:
    used = session.scalar(sa.select(MailLinkUse.id).where(MailLinkUse.nonce == claims.nonce))
    if used is not None:
        raise EraseLinkError("used", "this link was already used")
    # used_by names no address: the erasure is about forgetting it.
    session.add(
        MailLinkUse(nonce=claims.nonce, action="erase", used_by="erase-request", used_at=utcnow())
    )
    session.flush()
