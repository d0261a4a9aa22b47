"""A fake WordPress.com OAuth, as strict as the provider's documentation.

``/oauth2/token`` with the client secret in the form; ``/rest/v1/me`` (and
``/rest/v1.1/me``) with a Bearer token.
"""

from __future__ import annotations

from werkzeug.wrappers import Request, Response

from tests.support.fake_oauth.base import FakeOAuthServer, json_response, pkce_matches


class FakeWordPress(FakeOAuthServer):
    name = "wordpress"
    paths = {
        "authorize": "/oauth2/authorize",
        "token": "/oauth2/token",
        "profile": "/rest/v1/me",
    }
    rules = [
        ("/oauth2/authorize", ["GET"], "authorize"),
        ("/oauth2/token", ["POST"], "token"),
        ("/rest/v1/me", ["GET"], "me"),
        ("/rest/v1.1/me", ["GET"], "me"),
    ]

    def authorize(self, request: Request) -> Response:
        redirect_uri = request.args.get("redirect_uri")
        if (
            request.args.get("client_id") != self.client_id
            or redirect_uri not in self.redirect_uris
        ):
            return Response(
                "Invalid client_id or redirect_uri\n", status=400, mimetype="text/plain"
            )
        return self._approve(
            request,
            redirect_uri,
            {
                "error": "access_denied",
                "error_description": "You need to log in to WordPress.com",
            },
        )

    def token(self, request: Request) -> Response:
        form = request.form
        if form.get("client_id") != self.client_id:
            return self._oauth_error("invalid_client", "Unknown client_id.")
        if not self._secret_matches(form.get("client_secret")):
            return self._oauth_error("invalid_client", "Invalid client secret.")
        if form.get("grant_type") != "authorization_code":
            return self._oauth_error("unsupported_grant_type", "Unsupported grant_type.")
        grant = self._take_code(form.get("code"))
        if grant is None or not pkce_matches(grant, form.get("code_verifier")):
            return self._oauth_error("invalid_grant", "Invalid authorization code.")
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._oauth_error(
                "invalid_request",
                "The redirect_uri parameter does not match the one used to "
                "obtain the authorization code.",
            )
        return json_response(
            {
                "access_token": self._new_token(grant),
                "token_type": "bearer",
                "blog_id": "0",
                "blog_url": None,
                "scope": " ".join(grant.scopes),
            }
        )

    def me(self, request: Request) -> Response:
        if not request.headers.get("Authorization"):
            return json_response(
                {
                    "error": "authorization_required",
                    "message": "An active access token must be used to query information about the "
                    "current user.",
                },
                status=403,
            )
        token = self._bearer(request)
        if token is None:
            return json_response(
                {"error": "invalid_token", "message": "The OAuth2 token is invalid."}, status=400
            )
        user = self._user(token)
        return json_response(
            {
                "ID": user.number,
                "display_name": user.name or user.username,
                "username": user.username,
                "email": user.email or "",
                "primary_blog": 0,
                "primary_blog_url": None,
                "language": "en",
                "token_site_id": False,
                "token_scope": token.scopes,
                "avatar_URL": user.avatar_url
                or "https://0.gravatar.com/avatar/00000000000000000000000000000000?s=96&d=identicon",
                "profile_URL": f"https://gravatar.com/{user.username}",
                "verified": user.email_verified,
                "email_verified": user.email_verified,
                "date": "2020-01-01T00:00:00+00:00",
                "site_count": 0,
                "visible_site_count": 0,
                "has_unseen_notes": False,
                "newest_note_type": "",
                "phone_account": False,
                "is_valid_google_apps_country": True,
                "logout_URL": "https://wordpress.com/wp-login.php?action=logout",
            }
        )
