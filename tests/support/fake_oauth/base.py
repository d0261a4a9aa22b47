"""The base of the local stand-ins for the OAuth 2.0 providers that are not OpenID providers.

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

Each provider's module (github, facebook, x, wordpress) says what its fake insists on, from
the provider's documentation; this module holds what they share: users, recorded requests,
codes and tokens, client authentication, PKCE, and serving.
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
from werkzeug.wrappers import Request, Response

from tests.support.live_server import LiveServer, serve_wsgi

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
        self._live: LiveServer | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def running(self) -> Iterator[FakeOAuthServer]:
        """Serve this fake on a free port of 127.0.0.1 for the block."""
        with serve_wsgi(self.wsgi, name=f"fake-{self.name}") as live:
            self._live = live
            try:
                yield self
            finally:
                self._live = None

    @property
    def base_url(self) -> str:
        return self._live.url

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
                split_scopes(scope),
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
            self._tokens[token] = _Token(user, self.client_id, split_scopes(scope))
        return token

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    # -- plumbing shared by the providers ----------------------------------------------------

    _token_prefix = ""

    def wsgi(self, environ, start_response):
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

    def _oauth_error(self, error: str, description: str, status: int = 400) -> Response:
        """RFC 6749 5.2's error body, as X and WordPress.com send it."""
        return json_response({"error": error, "error_description": description}, status=status)


def split_scopes(scope: str) -> list[str]:
    return [s for s in re.split(r"[\s,]+", scope or "") if s]


def pkce_matches(grant: _Code, verifier: str | None) -> bool:
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


def json_response(data, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json", headers=headers)
