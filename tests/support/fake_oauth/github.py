"""A fake GitHub OAuth app, as strict as the provider's documentation.

Token endpoint takes the client credentials in the form or HTTP Basic; answers JSON
when ``Accept: application/json``, else form-encoded; errors come back with HTTP 200 and an
``error`` member. ``/user`` and ``/user/emails`` take ``Bearer`` or ``token`` authorization;
``/user/emails`` needs the ``user:email`` (or ``user``) scope. GitHub's API lives on another
host (api.github.com); here it shares the fake's origin (``api_base_url``).
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from tests.support.fake_oauth.base import FakeOAuthServer, _Token, json_response, pkce_matches


class FakeGitHub(FakeOAuthServer):
    name = "github"
    paths = {
        "authorize": "/login/oauth/authorize",
        "token": "/login/oauth/access_token",
        "profile": "/user",
        "emails": "/user/emails",
    }
    rules = [
        ("/login/oauth/authorize", ["GET"], "authorize"),
        ("/login/oauth/access_token", ["POST"], "token"),
        ("/user", ["GET"], "user"),
        ("/user/emails", ["GET"], "emails"),
    ]
    _token_prefix = "gho_"
    _docs = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"

    @property
    def emails_url(self) -> str:
        return self.base_url + self.paths["emails"]

    def authorize(self, request: Request) -> Response:
        if request.args.get("client_id") != self.client_id:
            return Response("Not Found\n", status=404, mimetype="text/plain")
        redirect_uri = request.args.get("redirect_uri")
        if redirect_uri is not None and redirect_uri not in self.redirect_uris:
            return self._redirect(
                self.redirect_uris[0],
                {
                    "error": "redirect_uri_mismatch",
                    "error_description": "The redirect_uri MUST match the registered callback URL "
                    "for this application.",
                    "state": request.args.get("state"),
                },
            )
        return self._approve(
            request,
            redirect_uri or self.redirect_uris[0],
            {
                "error": "access_denied",
                "error_description": "The user has denied your application access.",
            },
        )

    def token(self, request: Request) -> Response:
        params = {**request.args.to_dict(), **request.form.to_dict()}
        client_id, secret = params.get("client_id"), params.get("client_secret")
        basic = self._basic_credentials(request)
        if basic is not None:
            client_id, secret = basic
        if client_id != self.client_id or not self._secret_matches(secret):
            return self._token_error(
                request,
                "incorrect_client_credentials",
                "The client_id and/or client_secret passed are incorrect.",
            )
        grant = self._take_code(params.get("code"))
        if grant is None or not pkce_matches(grant, params.get("code_verifier")):
            return self._token_error(
                request, "bad_verification_code", "The code passed is incorrect or expired."
            )
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is not None and redirect_uri != (grant.redirect_uri or redirect_uri):
            return self._token_error(
                request,
                "redirect_uri_mismatch",
                "The redirect_uri MUST match the registered callback URL for this application.",
            )
        body = {
            "access_token": self._new_token(grant),
            "token_type": "bearer",
            "scope": ",".join(grant.scopes),
        }
        return self._token_response(request, body)

    def _token_error(self, request: Request, error: str, description: str) -> Response:
        body = {
            "error": error,
            "error_description": description,
            "error_uri": f"{self._docs}#{error.replace('_', '-')}",
        }
        return self._token_response(request, body)  # GitHub answers 200 even for errors

    def _token_response(self, request: Request, body: dict) -> Response:
        if "application/json" in request.headers.get("Accept", ""):
            return json_response(body)
        return Response(urlencode(body), mimetype="application/x-www-form-urlencoded")

    def _api_auth(self, request: Request) -> _Token | Response:
        if not request.headers.get("Authorization"):
            return json_response(self._api_error("Requires authentication"), status=401)
        token = self._bearer(request, schemes=("bearer", "token"))
        if token is None:
            return json_response(self._api_error("Bad credentials", "401"), status=401)
        return token

    def _api_error(self, message: str, status: str | None = None) -> dict:
        body = {"message": message, "documentation_url": "https://docs.github.com/rest"}
        if status:
            body["status"] = status
        return body

    def user(self, request: Request) -> Response:
        token = self._api_auth(request)
        if isinstance(token, Response):
            return token
        user = self._user(token)
        login = user.username
        return json_response(
            {
                "login": login,
                "id": user.number,
                "node_id": base64.b64encode(f"04:User{user.number}".encode()).decode(),
                "avatar_url": user.avatar_url
                or f"https://avatars.githubusercontent.com/u/{user.number}?v=4",
                "gravatar_id": "",
                "url": f"https://api.github.com/users/{login}",
                "html_url": f"https://github.com/{login}",
                "type": "User",
                "site_admin": False,
                "name": user.name,
                "company": None,
                "blog": "",
                "location": None,
                # The public email: only a verified address can be made public.
                "email": user.email if user.email_verified else None,
                "hireable": None,
                "bio": None,
                "twitter_username": None,
                "public_repos": 2,
                "public_gists": 0,
                "followers": 1,
                "following": 0,
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            }
        )

    def emails(self, request: Request) -> Response:
        token = self._api_auth(request)
        if isinstance(token, Response):
            return token
        if not {"user", "user:email"} & set(token.scopes):
            return json_response(self._api_error("Not Found", "404"), status=404)
        user = self._user(token)
        emails = []
        if user.email:
            emails.append(
                {
                    "email": user.email,
                    "primary": True,
                    "verified": user.email_verified,
                    "visibility": "public" if user.email_verified else None,
                }
            )
        emails.append(
            {
                "email": f"{user.number}+{user.username}@users.noreply.github.com",
                "primary": not emails,
                "verified": True,
                "visibility": None,
            }
        )
        return json_response(emails)
