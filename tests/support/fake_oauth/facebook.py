"""A fake Facebook Login, as strict as the provider's documentation.

``/vNN.N/dialog/oauth`` and ``/vNN.N/oauth/access_token`` (GET with query
parameters, or POST) with the client secret as a parameter (no HTTP Basic; with Authlib that is
``token_endpoint_auth_method="client_secret_post"`` and the default POST);
``/me?fields=...`` returns only the fields asked for, ``email`` only with the ``email`` scope
and a confirmed address. Errors are ``{"error": {"message", "type": "OAuthException", ...}}``.
"""

from __future__ import annotations

import re
import secrets

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Request, Response

from tests.support.fake_oauth.base import FakeOAuthServer, json_response, pkce_matches, split_scopes


class FakeFacebook(FakeOAuthServer):
    name = "facebook"
    version = "v19.0"
    paths = {
        "authorize": f"/{version}/dialog/oauth",
        "token": f"/{version}/oauth/access_token",
        "profile": f"/{version}/me",
    }
    rules = [
        ("/<version>/dialog/oauth", ["GET"], "authorize"),
        ("/<version>/oauth/access_token", ["GET", "POST"], "token"),
        ("/<version>/me", ["GET"], "me"),
        ("/me", ["GET"], "me"),
    ]
    _token_prefix = "EAAB"

    def _error(self, message: str, code: int, status: int = 400, subcode: int | None = None):
        error = {"message": message, "type": "OAuthException", "code": code}
        if subcode is not None:
            error["error_subcode"] = subcode
        error["fbtrace_id"] = secrets.token_urlsafe(8)
        return json_response({"error": error}, status=status, headers={"WWW-Authenticate": "OAuth"})

    def _check_version(self, version: str | None) -> None:
        if version is not None and not re.fullmatch(r"v\d+\.\d+", version):
            raise NotFound()

    def authorize(self, request: Request, version: str) -> Response:
        self._check_version(version)
        redirect_uri = request.args.get("redirect_uri")
        if request.args.get("client_id") != self.client_id:
            return Response("Invalid App ID\n", status=400, mimetype="text/plain")
        if redirect_uri not in self.redirect_uris:
            return Response(
                "URL Blocked: redirect_uri is not whitelisted\n", status=400, mimetype="text/plain"
            )
        return self._approve(
            request,
            redirect_uri,
            {
                "error_reason": "user_denied",
                "error": "access_denied",
                "error_description": "Permissions error.",
            },
        )

    def token(self, request: Request, version: str) -> Response:
        self._check_version(version)
        # A GET's parameters are its query string: Graph ignores a GET body (which is where
        # Authlib's client_secret_post puts the credentials when asked for method="GET").
        params = request.args.to_dict()
        if request.method == "POST":
            params.update(request.form.to_dict())
        if params.get("client_id") != self.client_id:
            return self._error("Error validating application. Invalid application ID.", 101)
        if not self._secret_matches(params.get("client_secret")):
            return self._error("Error validating client secret.", 1)
        code = params.get("code")
        with self._lock:
            known = self._codes.get(code or "")
        if known is not None and known.used:
            return self._error("This authorization code has been used.", 100, subcode=36009)
        if known is not None and params.get("redirect_uri") != known.redirect_uri:
            return self._error(
                "Error validating verification code. Please make sure your redirect_uri is "
                "identical to the one you used in the OAuth dialog request",
                100,
                subcode=36008,
            )
        grant = self._take_code(code)
        if grant is None or not pkce_matches(grant, params.get("code_verifier")):
            return self._error("Invalid verification code format.", 100, subcode=36007)
        return json_response(
            {
                "access_token": self._new_token(grant),
                "token_type": "bearer",
                "expires_in": 5183944,
            }
        )

    def me(self, request: Request, version: str | None = None) -> Response:
        self._check_version(version)
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        raw = (
            value.strip()
            if scheme.lower() in ("bearer", "oauth")
            else request.args.get("access_token")
        )
        if not raw:
            return self._error(
                "An active access token must be used to query information about the current user.",
                2500,
            )
        with self._lock:
            token = self._tokens.get(raw)
        if token is None:
            return self._error("Invalid OAuth access token - Cannot parse access token", 190)
        user = self._user(token)
        fields = split_scopes(request.args.get("fields", "")) or ["id", "name"]
        available = {
            "id": str(user.number),
            "name": user.name or user.username,
            "first_name": (user.name or user.username).split()[0],
            "short_name": user.username,
            "picture": {
                "data": {
                    "height": 50,
                    "is_silhouette": user.avatar_url is None,
                    "url": user.avatar_url
                    or f"https://platform-lookaside.fbsbx.com/platform/profilepic/?asid={user.number}",
                    "width": 50,
                }
            },
        }
        # Facebook gives the address only with the email permission and when it is confirmed.
        if "email" in token.scopes and user.email and user.email_verified:
            available["email"] = user.email
        unknown = [f for f in fields if f not in available and f not in ("email", "link")]
        if unknown:
            return self._error(
                f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (User)", 100
            )
        return json_response({f: available[f] for f in fields if f in available})
