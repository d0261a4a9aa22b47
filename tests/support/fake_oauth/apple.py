"""A fake Sign in with Apple: OpenID Connect in Apple's flavour, as strict as Apple's docs.

- ``/.well-known/openid-configuration``, ``/auth/keys`` (RS256 keys), no userinfo endpoint;
- ``/auth/authorize`` insists on ``response_mode=form_post`` when the scope asks for the name
  or email, and answers with an auto-submitting form that POSTs ``code``, ``state`` and, on a
  user's first authorization only, ``user`` (JSON with the name) to the redirect URI;
- ``/auth/token`` takes ``client_secret_post`` where the secret is an ES256 JWT signed with the
  team's key (``kid`` = key id, ``iss`` = team id, ``sub`` = client id, ``aud`` =
  https://appleid.apple.com, at most six months long), and answers with an RS256 id_token whose
  ``email_verified`` and ``is_private_email`` are the strings Apple sends.

Build it with the team's public key; ``client_secrets`` records every secret presented.
"""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass, field

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey
from werkzeug.wrappers import Request, Response

from tests.support.fake_oauth.base import (
    FakeOAuthServer,
    FakeUser,
    json_response,
    pkce_matches,
    split_scopes,
)

APPLE_AUDIENCE = "https://appleid.apple.com"
MAX_SECRET_LIFETIME = 15777000  # six months, as Apple documents it
RELAY_USER = FakeUser(
    1005, "hidden", "Hidden Hedgehog", "x7k2q9pz4m@privaterelay.appleid.com", False, None
)


@dataclass
class FakeApple(FakeOAuthServer):
    team_id: str = "TEAM123456"
    key_id: str = "KEY1234567"
    team_public_key: ECKey | None = None
    client_secrets: list[str] = field(default_factory=list)
    # The name its URLs use: "localhost" puts it on another site than Parley's 127.0.0.1, as
    # appleid.apple.com is, so its form POST brings no SameSite=Lax cookie.
    host_name: str = "127.0.0.1"

    name = "apple"
    paths = {"authorize": "/auth/authorize", "token": "/auth/token", "profile": "/auth/keys"}
    rules = [
        ("/.well-known/openid-configuration", ["GET"], "discovery"),
        ("/auth/authorize", ["GET"], "authorize"),
        ("/auth/token", ["POST"], "token"),
        ("/auth/keys", ["GET"], "keys"),
    ]

    def __post_init__(self) -> None:
        super().__post_init__()
        self.signing_key = RSAKey.generate_key(2048, parameters={"kid": "fake-apple-1"})
        self._nonces: dict[str, str | None] = {}
        self._named: set[str] = set()

    @property
    def base_url(self) -> str:
        return f"http://{self.host_name}:{self._live.port}"

    @property
    def metadata_url(self) -> str:
        return self.base_url + "/.well-known/openid-configuration"

    def discovery(self, request: Request) -> Response:
        base = self.base_url
        return json_response(
            {
                "issuer": base,
                "authorization_endpoint": base + "/auth/authorize",
                "token_endpoint": base + "/auth/token",
                "revocation_endpoint": base + "/auth/revoke",
                "jwks_uri": base + "/auth/keys",
                "response_types_supported": ["code"],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "name"],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "claims_supported": [
                    "aud", "email", "email_verified", "exp", "iat", "is_private_email",
                    "iss", "nonce", "nonce_supported", "real_user_status", "sub",
                ],
            }
        )  # fmt: skip

    def keys(self, request: Request) -> Response:
        return json_response(KeySet([self.signing_key]).as_dict(private=False))

    def authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri")
        if args.get("client_id") != self.client_id or redirect_uri not in self.redirect_uris:
            return Response("invalid_client\n", status=400, mimetype="text/plain")
        if args.get("response_type") != "code":
            return Response("unsupported_response_type\n", status=400, mimetype="text/plain")
        scopes = split_scopes(args.get("scope", ""))
        if {"name", "email"} & set(scopes) and args.get("response_mode") != "form_post":
            # Apple: "response_mode must be form_post when name or email scope is requested".
            return Response("invalid_request\n", status=400, mimetype="text/plain")
        fields = {"state": args.get("state")}
        if self.login_as is None:
            fields["error"] = "user_cancelled_authorize"
        else:
            code = self.issue_code(
                self.login_as,
                redirect_uri=redirect_uri,
                scope=args.get("scope", ""),
                code_challenge=args.get("code_challenge"),
                code_challenge_method=args.get("code_challenge_method"),
            )
            self._nonces[code] = args.get("nonce")
            fields["code"] = code
            user = self.users[self.login_as]
            if "name" in scopes and self.login_as not in self._named:
                # The name comes once, with the first authorization, never in the id_token.
                self._named.add(self.login_as)
                first, _, last = (user.name or "").partition(" ")
                fields["user"] = json.dumps(
                    {"name": {"firstName": first, "lastName": last}, "email": user.email}
                )
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in fields.items()
            if v is not None
        )
        page = (
            "<!doctype html><title>Sign in with Apple</title>"
            f'<form id="post" method="post" action="{html.escape(redirect_uri)}">{inputs}</form>'
            "<script>document.getElementById('post').submit()</script>"
        )
        return Response(page, mimetype="text/html")

    def _secret_error(self, secret: str | None) -> str | None:
        if not secret or self.team_public_key is None:
            return "no client_secret"
        try:
            token = jwt.decode(secret, self.team_public_key, algorithms=["ES256"])
        except (JoseError, ValueError) as error:
            return f"client_secret not signed by the team key: {error}"
        claims, now = token.claims, time.time()
        checks = [
            (token.header.get("kid") == self.key_id, "kid"),
            (claims.get("iss") == self.team_id, "iss"),
            (claims.get("sub") == self.client_id, "sub"),
            (claims.get("aud") == APPLE_AUDIENCE, "aud"),
            (isinstance(claims.get("exp"), int) and claims["exp"] > now, "exp"),
            (
                isinstance(claims.get("iat"), int)
                and 0 < claims["exp"] - claims["iat"] <= MAX_SECRET_LIFETIME,
                "iat",
            ),
        ]
        wrong = [name for ok, name in checks if not ok]
        return f"client_secret claims wrong: {wrong}" if wrong else None

    def token(self, request: Request) -> Response:
        form = request.form
        if form.get("client_id") != self.client_id:
            return json_response({"error": "invalid_client"}, status=400)
        secret = form.get("client_secret")
        self.client_secrets.append(secret or "")
        if self._secret_error(secret):
            return json_response({"error": "invalid_client"}, status=400)
        if form.get("grant_type") != "authorization_code":
            return json_response({"error": "unsupported_grant_type"}, status=400)
        code = form.get("code")
        grant = self._take_code(code)
        if grant is None or not pkce_matches(grant, form.get("code_verifier")):
            return json_response({"error": "invalid_grant"}, status=400)
        if form.get("redirect_uri") != grant.redirect_uri:
            return json_response({"error": "invalid_grant"}, status=400)
        user = self.users[grant.user]
        now = int(time.time())
        claims = {
            "iss": self.base_url,
            "aud": self.client_id,
            "exp": now + 600,
            "iat": now,
            "sub": f"000{user.number}.fake{user.username}.0001",
            "auth_time": now,
            "nonce_supported": True,
        }
        nonce = self._nonces.pop(code, None)
        if nonce:
            claims["nonce"] = nonce
        if user.email and "email" in grant.scopes:
            relay = user.email.endswith("@privaterelay.appleid.com")
            claims["email"] = user.email
            claims["email_verified"] = "true" if user.email_verified else "false"
            claims["is_private_email"] = "true" if relay else "false"
        header = {"alg": "RS256", "kid": self.signing_key.kid}
        return json_response(
            {
                "access_token": self._new_token(grant),
                "token_type": "Bearer",
                "expires_in": 3600,
                "refresh_token": "r." + code,
                "id_token": jwt.encode(header, claims, self.signing_key),
            }
        )
