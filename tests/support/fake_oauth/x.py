"""A fake X (Twitter) OAuth 2.0, as strict as the provider's documentation.

Authorize requires ``state`` and a PKCE ``code_challenge``; the token endpoint requires
HTTP Basic for a confidential client (``client_id`` in the form for a public one, created with
``client_secret=None``) and checks ``code_verifier``. ``/2/users/me`` needs ``users.read``.
"""

from __future__ import annotations

import secrets

from werkzeug.wrappers import Request, Response

from tests.support.fake_oauth.base import FakeOAuthServer, json_response, pkce_matches, split_scopes


class FakeX(FakeOAuthServer):
    name = "x"
    paths = {
        "authorize": "/i/oauth2/authorize",
        "token": "/2/oauth2/token",
        "profile": "/2/users/me",
    }
    rules = [
        ("/i/oauth2/authorize", ["GET"], "authorize"),
        ("/2/oauth2/token", ["POST"], "token"),
        ("/2/users/me", ["GET"], "me"),
    ]

    def authorize(self, request: Request) -> Response:
        args = request.args
        redirect_uri = args.get("redirect_uri")
        problems = []
        if args.get("client_id") != self.client_id:
            problems.append("unknown client_id")
        if redirect_uri not in self.redirect_uris:
            problems.append("redirect_uri is not registered for this app")
        if args.get("response_type") != "code":
            problems.append("response_type must be code")
        if not args.get("state"):
            problems.append("state is required")
        if not args.get("code_challenge"):
            problems.append("code_challenge is required")
        if args.get("code_challenge_method", "plain") not in ("S256", "plain"):
            problems.append("code_challenge_method must be S256 or plain")
        if problems:
            # X shows "Something went wrong" without redirecting.
            return Response(
                "Something went wrong: " + "; ".join(problems) + "\n",
                status=400,
                mimetype="text/plain",
            )
        return self._approve(request, redirect_uri, {"error": "access_denied"})

    def token(self, request: Request) -> Response:
        form = request.form
        basic = self._basic_credentials(request)
        if self.client_secret is not None:
            if basic is None:
                return self._oauth_error(
                    "unauthorized_client", "Missing valid authorization header", 401
                )
            if basic[0] != self.client_id or not self._secret_matches(basic[1]):
                return self._oauth_error("unauthorized_client", "Invalid client credentials", 401)
        elif form.get("client_id") != self.client_id:
            return self._oauth_error("invalid_request", "Missing required parameter [client_id].")
        if form.get("grant_type") != "authorization_code":
            return self._oauth_error("invalid_request", "Missing required parameter [grant_type].")
        for name in ("code", "redirect_uri", "code_verifier"):
            if not form.get(name):
                return self._oauth_error("invalid_request", f"Missing required parameter [{name}].")
        grant = self._take_code(form["code"])
        if grant is None:
            return self._oauth_error(
                "invalid_request", "Value passed for the authorization code was invalid."
            )
        if form["redirect_uri"] != grant.redirect_uri:
            return self._oauth_error(
                "invalid_request",
                "Value passed for the redirect uri did not match the uri of "
                "the authorization code.",
            )
        if not pkce_matches(grant, form["code_verifier"]):
            return self._oauth_error(
                "invalid_request",
                "Value passed for the code verifier did not match the code challenge.",
            )
        body = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": self._new_token(grant),
            "scope": " ".join(grant.scopes),
        }
        if "offline.access" in grant.scopes:
            body["refresh_token"] = secrets.token_urlsafe(32)
        return json_response(body)

    def me(self, request: Request) -> Response:
        token = self._bearer(request)
        if token is None:
            return json_response(
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                status=401,
            )
        if "users.read" not in token.scopes:
            return json_response(
                {
                    "title": "Forbidden",
                    "type": "about:blank",
                    "status": 403,
                    "detail": "Your token does not have the users.read scope.",
                },
                status=403,
            )
        user = self._user(token)
        available = {
            "profile_image_url": user.avatar_url
            or "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
            "created_at": "2020-01-01T00:00:00.000Z",
            "description": "",
            "protected": False,
            "verified": False,
        }
        data = {
            "id": str(user.number),
            "name": user.name or user.username,
            "username": user.username,
        }
        for name in split_scopes(request.args.get("user.fields", "")):
            if name in available:
                data[name] = available[name]
        return json_response({"data": data})
