"""A host site's side of SSO, for tests: signing readers' JWTs with a shared secret, or with
keys it publishes as a JWKS from its own little server (and rotates).

``JwksHost`` serves ``/.well-known/jwks.json`` on 127.0.0.1 with werkzeug, so Parley fetches
it for real, through the same guard as webhooks (tests turn PARLEY_SSO_ALLOW_PRIVATE on).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, OctKey, RSAKey

from tests.support.live_server import serve_wsgi

SSO_SECRET = "host-site-shared-secret-0123456789abcdef"  # 40 bytes
_kids = itertools.count(1)


def claims_for(slug: str, sub: str = "host-user-1", **extra: Any) -> dict[str, Any]:
    """What a host signs for its reader: the required claims plus ``extra`` (None drops one)."""
    now = int(time.time())
    claims = {"sub": sub, "aud": slug, "iat": now, "exp": now + 300, "name": "Hostie McHost"}
    claims.update(extra)
    return {k: v for k, v in claims.items() if v is not None}


def sign_hs256(claims: dict[str, Any], secret: str = SSO_SECRET) -> str:
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(secret))


def _part(value: dict | bytes) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unsigned(claims: dict[str, Any]) -> str:
    """The same claims with ``alg: none`` and no signature, as an attacker would try."""
    return f"{_part({'alg': 'none', 'typ': 'JWT'})}.{_part(claims)}."


def hs256_with(claims: dict[str, Any], key: bytes, kid: str | None = None) -> str:
    """HS256 by hand with any bytes as the key: the algorithm-confusion forgery (a public key
    used as the HMAC secret), which JOSE libraries refuse to produce."""
    header = {"alg": "HS256", "typ": "JWT", **({"kid": kid} if kid else {})}
    signing_input = f"{_part(header)}.{_part(claims)}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_part(signature)}"


class JwksHost:
    """A host site's key pair(s), published at ``url`` once ``serve()`` runs."""

    def __init__(self, kind: str = "EC") -> None:
        self.kind = kind
        self.key = self._new_key()
        self.url = ""
        self.fetches = 0

    def _new_key(self):
        kid = f"host-key-{next(_kids)}"
        if self.kind == "RSA":
            return RSAKey.generate_key(2048, parameters={"kid": kid})
        return ECKey.generate_key("P-256", parameters={"kid": kid})

    @property
    def alg(self) -> str:
        return "RS256" if self.kind == "RSA" else "ES256"

    def rotate(self) -> None:
        """A new key replaces the old one in the published set."""
        self.key = self._new_key()

    def sign(self, claims: dict[str, Any], key=None) -> str:
        key = key or self.key
        return jwt.encode({"alg": self.alg, "typ": "JWT", "kid": key.kid}, claims, key)

    def published(self) -> bytes:
        return json.dumps(KeySet([self.key]).as_dict(private=False)).encode()

    def _wsgi(self, environ, start_response):
        if environ["PATH_INFO"] != "/.well-known/jwks.json":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not here"]
        self.fetches += 1
        body = self.published()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    @contextmanager
    def serve(self) -> Iterator[JwksHost]:
        with serve_wsgi(self._wsgi, name="jwks-host") as live:
            self.url = f"{live.url}/.well-known/jwks.json"
            yield self
