"""Local stand-ins for the OAuth 2.0 providers that are not OpenID Connect providers.

Each fake serves one provider's documented authorize, token and profile endpoints on a free
port of 127.0.0.1, with that provider's payload and error shapes, strictly enough that a client
misconfiguration (wrong secret, wrong client authentication method, redirect_uri drift, missing
PKCE verifier, replayed code) fails here as it would against the real thing::

    with run_fake_oauth("github", client_id="gh-id", client_secret="gh-secret",
                        redirect_uris=["http://127.0.0.1:5000/auth/github/callback"]) as fake:
        fake.authorize_url, fake.token_url, fake.profile_url  # + fake.emails_url for GitHub
        fake.login_as = "mallory"   # who "signs in" at the authorize endpoint; None = user denies
        fake.requests               # every request received, for assertions

The authorize endpoint signs ``login_as`` in at once and redirects to the callback, so a test
follows the app's redirect with ``requests.get(url, allow_redirects=False)`` and hands the
``Location`` back to the app. ``issue_code`` and ``issue_token`` skip steps when a test needs to.

What each fake insists on (from the providers' documentation):

- GitHub: token endpoint takes the client credentials in the form or HTTP Basic; answers JSON
  when ``Accept: application/json``, else form-encoded; errors come back with HTTP 200 and an
  ``error`` member. ``/user`` and ``/user/emails`` take ``Bearer`` or ``token`` authorization;
  ``/user/emails`` needs the ``user:email`` (or ``user``) scope. GitHub's API lives on another
  host (api.github.com); here it shares the fake's origin (``api_base_url``).
- Facebook: ``/vNN.N/dialog/oauth`` and ``/vNN.N/oauth/access_token`` (GET with query
  parameters, or POST) with the client secret as a parameter (no HTTP Basic; with Authlib that is
  ``token_endpoint_auth_method="client_secret_post"`` and the default POST);
  ``/me?fields=...`` returns only the fields asked for, ``email`` only with the ``email`` scope
  and a confirmed address. Errors are ``{"error": {"message", "type": "OAuthException", ...}}``.
- X: authorize requires ``state`` and a PKCE ``code_challenge``; the token endpoint requires
  HTTP Basic for a confidential client (``client_id`` in the form for a public one, created with
  ``client_secret=None``) and checks ``code_verifier``. ``/2/users/me`` needs ``users.read``.
- WordPress.com: ``/oauth2/token`` with the client secret in the form; ``/rest/v1/me`` (and
  ``/rest/v1.1/me``) with a Bearer token.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import unquote, urlencode

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

CODE_TTL = 600


@dataclass
class FakeUser:
    """One person, rendered in each provider's own shape."""

    number: int
    username: str
    name: str | None
    email: str | None
    email_verified: bool
    avatar_url: str | None


DEFAULT_USERS = {
    "alice": FakeUser(
        1001,
        "alice",
        "Alice Liddell",
        "alice@example.test",
        True,
        "https://avatars.example.test/alice.png",
    ),
    "bob": FakeUser(
        1002, "bob", "Bob Builder", "bob@example.test", True, "https://avatars.example.test/bob.png"
    ),
    # Claims alice's address without having confirmed it.
    "mallory": FakeUser(1003, "mallory", "Mallory Mallet", "alice@example.test", False, None),
    "nemo": FakeUser(1004, "nemo", None, None, False, None),
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Code:
    user: str
    client_id: str
    redirect_uri: str | None
    scopes: list[str]
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float
    used: bool = False


@dataclass
class _Token:
    user: str
    client_id: str
    scopes: list[str]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the fakes record requests themselves
        pass


@dataclass
class FakeOAuthServer:
    """Base of the fakes: routing, recording, codes and tokens. Subclasses speak one provider."""

    client_id: str
    client_secret: str | None
    redirect_uris: list[str]
    users: dict[str, FakeUser] = field(default_factory=lambda: dict(DEFAULT_USERS))
    login_as: str | None = "alice"
    requests: list[RecordedRequest] = field(default_factory=list)

    name: ClassVar[str]
    paths: ClassVar[dict[str, str]]
    # (path, methods, endpoint): werkzeug binds a Rule to one Map, so each fake builds its own.
    rules: ClassVar[list[tuple[str, list[str], str]]]

    def __post_init__(self) -> None:
        self._codes: dict[str, _Code] = {}
        self._tokens: dict[str, _Token] = {}
        self._lock = threading.Lock()
        self._url_map = Map([Rule(path, methods=m, endpoint=e) for path, m, e in self.rules])
        self._server = None
        self._thread = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._server = make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"fake-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def api_base_url(self) -> str:
        return self.base_url + "/"

    @property
    def authorize_url(self) -> str:
        return self.base_url + self.paths["authorize"]

    @property
    def token_url(self) -> str:
        return self.base_url + self.paths["token"]

    @property
    def profile_url(self) -> str:
        return self.base_url + self.paths["profile"]

    # -- test controls -----------------------------------------------------------------------

    def issue_code(
        self,
        user: str = "alice",
        *,
        redirect_uri: str | None = None,
        scope: str = "",
        code_challenge: str | None = None,
        code_challenge_method: str | None = None,
    ) -> str:
        """A fresh authorization code, as if ``user`` had just approved the client."""
        if user not in self.users:
            raise KeyError(f"no fake user {user!r}")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = _Code(
                user,
                self.client_id,
                redirect_uri,
                _split_scopes(scope),
                code_challenge,
                code_challenge_method,
                time.monotonic() + CODE_TTL,
            )
        return code

    def issue_token(self, user: str = "alice", scope: str = "") -> str:
        """An access token for ``user``, as if a code exchange had happened."""
        if user not in self.users:
            raise KeyError(f"no fake user {user!r}")
        token = self._token_prefix + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = _Token(user, self.client_id, _split_scopes(scope))
        return token

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    # -- plumbing shared by the providers ----------------------------------------------------

    _token_prefix = ""

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.requests.append(
                RecordedRequest(
                    method=request.method,
                    path=request.path,
                    query=request.args.to_dict(),
                    form=request.form.to_dict(),
                    headers=dict(request.headers),
                )
            )
        adapter = self._url_map.bind_to_environ(environ)
        try:
            endpoint, values = adapter.match()
            response = getattr(self, endpoint)(request, **values)
        except HTTPException as exc:
            response = self._not_found() if isinstance(exc, NotFound) else exc
        return response(environ, start_response)

    def _not_found(self) -> Response:
        return Response("not found\n", status=404, mimetype="text/plain")

    def _redirect(self, redirect_uri: str, params: dict) -> Response:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        separator = "&" if "?" in redirect_uri else "?"
        return Response(status=302, headers={"Location": f"{redirect_uri}{separator}{query}"})

    def _approve(self, request: Request, redirect_uri: str, denied: dict) -> Response:
        """Sign ``login_as`` in and send the code back, or report the user's refusal."""
        state = request.args.get("state")
        if self.login_as is None:
            return self._redirect(redirect_uri, {**denied, "state": state})
        code = self.issue_code(
            self.login_as,
            redirect_uri=request.args.get("redirect_uri"),
            scope=request.args.get("scope", ""),
            code_challenge=request.args.get("code_challenge"),
            code_challenge_method=request.args.get("code_challenge_method"),
        )
        return self._redirect(redirect_uri, {"code": code, "state": state})

    def _take_code(self, code: str | None) -> _Code | None:
        """The code's grant, marked used; None when unknown, expired or already used."""
        with self._lock:
            grant = self._codes.get(code or "")
            if grant is None or grant.used or grant.expires_at < time.monotonic():
                return None
            grant.used = True
            return grant

    def _new_token(self, grant: _Code) -> str:
        return self.issue_token(grant.user, " ".join(grant.scopes))

    def _bearer(self, request: Request, schemes=("bearer",)) -> _Token | None:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        token = value.strip() if scheme.lower() in schemes else None
        with self._lock:
            return self._tokens.get(token or "")

    def _basic_credentials(self, request: Request) -> tuple[str, str] | None:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        client_id, colon, secret = decoded.partition(":")
        # RFC 6749 2.3.1: both parts are form-urlencoded before base64.
        return (unquote(client_id), unquote(secret)) if colon else None

    def _secret_matches(self, secret: str | None) -> bool:
        return (
            self.client_secret is not None
            and secret is not None
            and hmac.compare_digest(secret.encode(), self.client_secret.encode())
        )

    def _user(self, token: _Token) -> FakeUser:
        return self.users[token.user]


def _split_scopes(scope: str) -> list[str]:
    return [s for s in re.split(r"[\s,]+", scope or "") if s]


def _pkce_matches(grant: _Code, verifier: str | None) -> bool:
    if grant.code_challenge is None:
        return True
    if not verifier:
        return False
    if (grant.code_challenge_method or "plain") == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    else:
        expected = verifier
    return hmac.compare_digest(expected, grant.code_challenge)


def _json(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)


# -- GitHub ------------------------------------------------------------------------------------


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
        if grant is None or not _pkce_matches(grant, params.get("code_verifier")):
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
            return _json(body)
        return Response(urlencode(body), mimetype="application/x-www-form-urlencoded")

    def _api_auth(self, request: Request) -> _Token | Response:
        if not request.headers.get("Authorization"):
            return _json(self._api_error("Requires authentication"), status=401)
        token = self._bearer(request, schemes=("bearer", "token"))
        if token is None:
            return _json(self._api_error("Bad credentials", "401"), status=401)
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
        return _json(
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
            return _json(self._api_error("Not Found", "404"), status=404)
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
        return _json(emails)


# -- Facebook ----------------------------------------------------------------------------------


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
        return _json({"error": error}, status=status, headers={"WWW-Authenticate": "OAuth"})

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
        if grant is None or not _pkce_matches(grant, params.get("code_verifier")):
            return self._error("Invalid verification code format.", 100, subcode=36007)
        return _json(
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
        fields = _split_scopes(request.args.get("fields", "")) or ["id", "name"]
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
        return _json({f: available[f] for f in fields if f in available})


# -- X -----------------------------------------------------------------------------------------


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

    def _oauth_error(self, error: str, description: str, status: int = 400) -> Response:
        return _json({"error": error, "error_description": description}, status=status)

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
        if not _pkce_matches(grant, form["code_verifier"]):
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
        return _json(body)

    def me(self, request: Request) -> Response:
        token = self._bearer(request)
        if token is None:
            return _json(
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
                status=401,
            )
        if "users.read" not in token.scopes:
            return _json(
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
        for name in _split_scopes(request.args.get("user.fields", "")):
            if name in available:
                data[name] = available[name]
        return _json({"data": data})


# -- WordPress.com -----------------------------------------------------------------------------


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

    def _oauth_error(self, error: str, description: str, status: int = 400) -> Response:
        return _json({"error": error, "error_description": description}, status=status)

    def token(self, request: Request) -> Response:
        form = request.form
        if form.get("client_id") != self.client_id:
            return self._oauth_error("invalid_client", "Unknown client_id.")
        if not self._secret_matches(form.get("client_secret")):
            return self._oauth_error("invalid_client", "Invalid client secret.")
        if form.get("grant_type") != "authorization_code":
            return self._oauth_error("unsupported_grant_type", "Unsupported grant_type.")
        grant = self._take_code(form.get("code"))
        if grant is None or not _pkce_matches(grant, form.get("code_verifier")):
            return self._oauth_error("invalid_grant", "Invalid authorization code.")
        if form.get("redirect_uri") != grant.redirect_uri:
            return self._oauth_error(
                "invalid_request",
                "The redirect_uri parameter does not match the one used to "
                "obtain the authorization code.",
            )
        return _json(
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
            return _json(
                {
                    "error": "authorization_required",
                    "message": "An active access token must be used to query information about the "
                    "current user.",
                },
                status=403,
            )
        token = self._bearer(request)
        if token is None:
            return _json(
                {"error": "invalid_token", "message": "The OAuth2 token is invalid."}, status=400
            )
        user = self._user(token)
        return _json(
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


FAKES: dict[str, type[FakeOAuthServer]] = {
    cls.name: cls for cls in (FakeGitHub, FakeFacebook, FakeX, FakeWordPress)
}


@contextlib.contextmanager
def run_fake_oauth(
    provider: str,
    *,
    client_id: str = "test-client",
    client_secret: str | None = "test-secret",
    redirect_uris: list[str],
    users: dict[str, FakeUser] | None = None,
) -> Iterator[FakeOAuthServer]:
    """Start the fake for ``provider`` (github, facebook, x, wordpress) and always stop it."""
    try:
        cls = FAKES[provider]
    except KeyError:
        raise ValueError(f"no fake for {provider!r}; have {', '.join(FAKES)}") from None
    fake = cls(
        client_id=client_id,
        client_secret=client_secret,
        redirect_uris=list(redirect_uris),
        users=dict(users) if users is not None else dict(DEFAULT_USERS),
    )
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
