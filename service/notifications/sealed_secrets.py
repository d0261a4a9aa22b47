"""Webhook signing secrets at rest: sealed with a key derived from PARLEY_SECRET_KEY.

A copy of the database (a backup, a read replica, a leaked dump) then does not
let anyone forge Parley's webhook signatures; the secret is opened only to sign
a delivery. Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) is
authenticated, so a tampered or foreign value fails to open instead of signing
with garbage. HKDF with its own ``info`` keeps this key apart from every other
use of the secret key. Changing PARLEY_SECRET_KEY makes existing secrets
unreadable: their webhooks must be added again.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

_INFO = b"parley webhook secrets"


class SecretUnreadable(Exception):
    """The stored value was not sealed with this secret key."""


def _box(secret_key: str, info: bytes = _INFO) -> Fernet:
    # cryptography (~6 MB a process) on first use: serving comments never unseals a secret.
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    # Another use (SSO secrets) passes its own ``info``: one key per purpose.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret_key: str, secret: str, info: bytes = _INFO) -> str:
    return _box(secret_key, info).encrypt(secret.encode()).decode("ascii")


def unseal(secret_key: str, sealed: str, info: bytes = _INFO) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _box(secret_key, info).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise SecretUnreadable("sealed with another PARLEY_SECRET_KEY, or not sealed") from None
