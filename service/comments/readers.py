"""Who a reader is, for what counts once per reader: votes, reports and page likes.

A signed-in reader is their identity (``identity:<id>``); a guest is the pair of a random
token their browser keeps (``X-Parley-Guest``, made by the widget and stored in localStorage,
never a cookie) and their address, hashed together under the secret key (``guest:<hash>``):
clearing storage or moving to another network makes a new guest, but one browser on one
network counts once. Neither half is stored as sent.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import request
from sqlalchemy.orm import Session

from service.access import TOKEN_PREFIX, bearer_token
from service.auth.readers import reader_identity
from service.errors import ApiError
from service.models import Identity, Site
from service.runtime import Runtime
from service.text import hash_ip

GUEST_HEADER = "X-Parley-Guest"
_GUEST_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class Reader:
    key: str  # identity:<id> or guest:<hash>
    identity: Identity | None
    ip_hash: str | None


def signed_in_reader(session: Session, secret_key: str, site: Site) -> Identity | None:
    """The reader's identity from their reader token; a moderator's API token names no reader
    (it acts as the guest it also is)."""
    token = bearer_token()
    if token is None or token.startswith(TOKEN_PREFIX):
        return None
    return reader_identity(session, secret_key, site)


def current_reader(session: Session, rt: Runtime, site: Site) -> Reader:
    """The reader making this request; 401 for a bad reader token, 422 for a bad guest token."""
    secret = rt.settings.secret_key
    ip_hash = hash_ip(request.remote_addr, secret)
    identity = signed_in_reader(session, secret, site)
    if identity is not None:
        return Reader(f"identity:{identity.id}", identity, ip_hash)
    token = request.headers.get(GUEST_HEADER, "").strip()
    if token and not _GUEST_TOKEN.match(token):
        raise ApiError(
            "validation_failed",
            f"{GUEST_HEADER}: must be 16 to 64 letters, digits, '-' or '_'",
            field=GUEST_HEADER,
        )
    digest = hmac.new(
        secret.encode(), f"parley.guest:{token}:{ip_hash or ''}".encode(), hashlib.sha256
    ).hexdigest()
    return Reader(f"guest:{digest[:40]}", None, ip_hash)
