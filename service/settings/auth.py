"""Sign-in settings: which providers are enabled, with which credentials and endpoints.

Kept at ``settings.auth``. Nothing here talks to a provider (``service.auth.providers`` does):
discovery documents are fetched on the first sign-in, so a provider being down never stops
Parley from starting.

Built-in providers are enabled by ``PARLEY_<PROVIDER>_CLIENT_ID`` plus ``_CLIENT_SECRET``;
Sign in with Apple by ``PARLEY_APPLE_CLIENT_ID``, ``_TEAM_ID``, ``_KEY_ID`` and ``_PRIVATE_KEY``
(Parley mints the client secret, ``PARLEY_APPLE_METADATA_URL`` points it elsewhere).
Their endpoints default to the providers' real ones and may be pointed elsewhere (tests, a
corporate proxy) with these variables::

    PARLEY_GOOGLE_METADATA_URL       PARLEY_MICROSOFT_METADATA_URL  PARLEY_MICROSOFT_TENANT
    PARLEY_<P>_AUTHORIZE_URL  PARLEY_<P>_TOKEN_URL  PARLEY_<P>_API_BASE
        for <P> in GITHUB, FACEBOOK, X, WORDPRESS

Any number of OpenID Connect providers come from their discovery document alone::

    PARLEY_OIDC_PROVIDERS=keycloak,gitlab
    PARLEY_OIDC_KEYCLOAK_METADATA_URL=https://id.example.com/realms/x/.well-known/openid-configuration
    PARLEY_OIDC_KEYCLOAK_CLIENT_ID=...   PARLEY_OIDC_KEYCLOAK_CLIENT_SECRET=...
    PARLEY_OIDC_KEYCLOAK_LABEL=Example staff      (optional; defaults to the name)
    PARLEY_OIDC_KEYCLOAK_SCOPE=openid email profile   (optional)

A reader's sign-in lasts ``PARLEY_READER_TOKEN_TTL`` seconds (default 86400, one day; 300 to
2592000): the widget keeps the token in the host page's storage, where anything that page runs
can read it, so it is short-lived, and signing in again is one click while the provider
remembers the reader.

A site's SSO keys published at a JWKS URL are fetched through the webhook guard: loopback and
private addresses are refused unless ``PARLEY_SSO_ALLOW_PRIVATE=1`` (an intranet host).

A moderator's sign-in on Parley's own pages is a server-side session (``service.access``): it
ends at logout, after ``PARLEY_SESSION_LIFETIME`` seconds whatever happens (default 43200,
12 hours; 300 to 604800), and after ``PARLEY_SESSION_IDLE_TIMEOUT`` seconds without a request
(default 1800, 30 minutes; 60 up to the lifetime). The defaults are the OWASP Session
Management Cheat Sheet's: an absolute limit of a working day, an idle limit of 15-30 minutes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from service.envvars import EnvReader

# Names appear in URLs (/auth/<name>/login) and in "provider:subject" references.
NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
OIDC_SCOPE = "openid email profile"
READER_TOKEN_TTL = 86400
READER_TOKEN_TTL_RANGE = (300, 30 * 86400)
SESSION_LIFETIME = 12 * 3600
SESSION_LIFETIME_RANGE = (300, 7 * 86400)
SESSION_IDLE_TIMEOUT = 1800


@dataclass(frozen=True)
class ProviderConfig:
    """One enabled provider, fully resolved from the environment."""

    name: str
    label: str
    kind: str  # "oidc" (discovery document, id_token) or "oauth2" (profile from an API)
    icon: str  # file stem under service/auth/static/icons/
    client_id: str
    client_secret: str
    scope: str
    metadata_url: str | None = None
    authorize_url: str | None = None
    token_url: str | None = None
    api_base: str | None = None
    # How the client authenticates at the token endpoint, as each provider documents it.
    token_auth: str = "client_secret_basic"
    # Extra parameters for the authorization request (e.g. Google's prompt).
    authorize_params: Mapping[str, str] = field(default_factory=dict)
    # Microsoft's multi-tenant endpoints announce the issuer as a "{tenantid}" template.
    issuer_template: bool = False
    # Sign in with Apple: no client secret of its own, but a key to mint one (an ES256 JWT,
    # service.auth.apple) with the team and key ids Apple issued.
    team_id: str = ""
    key_id: str = ""
    private_key: str = field(default="", repr=False)


@dataclass(frozen=True)
class AuthSettings:
    providers: tuple[ProviderConfig, ...] = ()
    reader_token_ttl: int = READER_TOKEN_TTL  # seconds
    session_lifetime: int = SESSION_LIFETIME  # seconds from sign-in, whatever happens
    session_idle_timeout: int = SESSION_IDLE_TIMEOUT  # seconds without a request
    # A site's SSO keys (JWKS) may be fetched from loopback and private addresses
    # (PARLEY_SSO_ALLOW_PRIVATE=1: an intranet host, or tests); refused by default.
    sso_allow_private: bool = False

    def get(self, name: str) -> ProviderConfig | None:
        return next((p for p in self.providers if p.name == name), None)


def _builtin(name: str, label: str, kind: str, scope: str, **endpoints: Any) -> ProviderConfig:
    """A built-in provider without credentials; the environment fills those in."""
    return ProviderConfig(
        name=name, label=label, kind=kind, icon=name, client_id="", client_secret="",
        scope=scope, **endpoints,
    )  # fmt: skip


# Endpoints and scopes from each provider's documentation (see docs/social-login.md).
BUILTINS: tuple[ProviderConfig, ...] = (
    _builtin(
        "google", "Google", "oidc", OIDC_SCOPE,
        metadata_url="https://accounts.google.com/.well-known/openid-configuration",
        authorize_params={"prompt": "select_account"},
    ),
    _builtin(
        "microsoft", "Microsoft", "oidc", OIDC_SCOPE,
        # "{tenant}" is filled from PARLEY_MICROSOFT_TENANT (default "common").
        metadata_url="https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration",
        authorize_params={"prompt": "select_account"},
    ),
    _builtin(
        "github", "GitHub", "oauth2", "read:user user:email",
        authorize_url="https://github.com/login/oauth/authorize",
        token_url="https://github.com/login/oauth/access_token",
        api_base="https://api.github.com/",
        token_auth="client_secret_post",
    ),
    _builtin(
        "facebook", "Facebook", "oauth2", "public_profile email",
        authorize_url="https://www.facebook.com/v19.0/dialog/oauth",
        token_url="https://graph.facebook.com/v19.0/oauth/access_token",
        api_base="https://graph.facebook.com/v19.0/",
        token_auth="client_secret_post",
    ),
    _builtin(
        "x", "X", "oauth2", "users.read tweet.read",
        authorize_url="https://x.com/i/oauth2/authorize",
        token_url="https://api.x.com/2/oauth2/token",
        api_base="https://api.x.com/2/",
        token_auth="client_secret_basic",
    ),
    _builtin(
        "apple", "Apple", "oidc", "openid name email",
        metadata_url="https://appleid.apple.com/.well-known/openid-configuration",
        token_auth="client_secret_post",
        # Apple sends the code (and, the first time, the reader's name) as a form POST.
        authorize_params={"response_mode": "form_post"},
    ),
    _builtin(
        "wordpress", "WordPress.com", "oauth2", "auth",
        authorize_url="https://public-api.wordpress.com/oauth2/authorize",
        token_url="https://public-api.wordpress.com/oauth2/token",
        api_base="https://public-api.wordpress.com/rest/v1/",
        token_auth="client_secret_post",
    ),
)  # fmt: skip
BUILTIN_NAMES = frozenset(b.name for b in BUILTINS)
# /auth/static/... serves the icons; /auth/email/... and /auth/sso are sign-in methods of their own.
RESERVED_NAMES = frozenset({"static", "email", "sso"})


def parse_auth(reader: EnvReader, production: bool) -> AuthSettings:
    """``production`` refuses plain-HTTP endpoints."""
    problems = reader.problems

    def get(name: str) -> str:
        return reader.text(name).strip()

    def url(name: str, default: str | None) -> str | None:
        value = get(name) or default
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"{name} must be an http(s) URL, not {value!r}")
        elif production and parts.scheme != "https":
            # Endpoints carry client secrets and tokens: no plain HTTP in production.
            problems.append(f"{name} must be an https URL in production")
        return value

    def credentials(prefix: str) -> tuple[str, str] | None:
        client_id, secret = get(f"{prefix}_CLIENT_ID"), get(f"{prefix}_CLIENT_SECRET")
        if client_id and secret:
            return client_id, secret
        if client_id or secret:
            missing = f"{prefix}_CLIENT_SECRET" if client_id else f"{prefix}_CLIENT_ID"
            problems.append(f"{missing} is required when the other half is set")
        return None

    providers: list[ProviderConfig] = []
    for builtin in BUILTINS:
        prefix = f"PARLEY_{builtin.name.upper()}"
        if builtin.name == "apple":
            apple = _apple(builtin, get, problems, url)
            if apple is not None:
                providers.append(apple)
            continue
        creds = credentials(prefix)
        if creds is None:
            continue
        metadata_default = builtin.metadata_url
        issuer_template = False
        if builtin.name == "microsoft":
            tenant = get("PARLEY_MICROSOFT_TENANT") or "common"
            if not re.fullmatch(r"[A-Za-z0-9.-]{1,100}", tenant):
                problems.append(
                    "PARLEY_MICROSOFT_TENANT must be common, organizations, "
                    "consumers, a tenant id or a domain"
                )
            metadata_default = metadata_default.format(tenant=tenant)
            issuer_template = tenant in ("common", "organizations", "consumers")
        if builtin.kind == "oidc":
            endpoints = {"metadata_url": url(f"{prefix}_METADATA_URL", metadata_default)}
        else:
            endpoints = {
                "authorize_url": url(f"{prefix}_AUTHORIZE_URL", builtin.authorize_url),
                "token_url": url(f"{prefix}_TOKEN_URL", builtin.token_url),
                "api_base": _with_slash(url(f"{prefix}_API_BASE", builtin.api_base)),
            }
        providers.append(
            replace(
                builtin,
                client_id=creds[0],
                client_secret=creds[1],
                issuer_template=issuer_template,
                **endpoints,
            )
        )

    seen: set[str] = set()
    for raw in get("PARLEY_OIDC_PROVIDERS").split(","):
        name = raw.strip().lower()
        if not name:
            continue
        if not NAME_RE.match(name):
            problems.append(
                f"PARLEY_OIDC_PROVIDERS: {raw.strip()!r} is not a valid name "
                "(lowercase letters, digits and dashes, starting with a letter)"
            )
            continue
        if name in BUILTIN_NAMES or name in RESERVED_NAMES:
            problems.append(f"PARLEY_OIDC_PROVIDERS: {name!r} is a built-in or reserved name")
            continue
        if name in seen:
            problems.append(f"PARLEY_OIDC_PROVIDERS lists {name!r} twice")
            continue
        seen.add(name)
        prefix = "PARLEY_OIDC_" + name.upper().replace("-", "_")
        if not get(f"{prefix}_METADATA_URL"):
            problems.append(f"{prefix}_METADATA_URL is required for provider {name!r}")
        creds = credentials(prefix)
        if creds is None:
            if not (get(f"{prefix}_CLIENT_ID") or get(f"{prefix}_CLIENT_SECRET")):
                problems.append(f"{prefix}_CLIENT_ID and _CLIENT_SECRET are required for {name!r}")
            continue
        scope = get(f"{prefix}_SCOPE") or OIDC_SCOPE
        if "openid" not in scope.split():
            problems.append(f"{prefix}_SCOPE must include openid")
        providers.append(
            ProviderConfig(
                name=name,
                label=get(f"{prefix}_LABEL") or name.replace("-", " ").title(),
                kind="oidc",
                icon="key",
                client_id=creds[0],
                client_secret=creds[1],
                scope=scope,
                metadata_url=url(f"{prefix}_METADATA_URL", None),
            )
        )
    lifetime = _seconds(
        get, problems, "PARLEY_SESSION_LIFETIME", SESSION_LIFETIME, SESSION_LIFETIME_RANGE
    )
    idle = _seconds(
        get, problems, "PARLEY_SESSION_IDLE_TIMEOUT", min(SESSION_IDLE_TIMEOUT, lifetime),
        (60, lifetime),
    )  # fmt: skip
    return AuthSettings(
        providers=tuple(providers),
        reader_token_ttl=_seconds(
            get, problems, "PARLEY_READER_TOKEN_TTL", READER_TOKEN_TTL, READER_TOKEN_TTL_RANGE
        ),
        session_lifetime=lifetime,
        session_idle_timeout=idle,
        sso_allow_private=reader.integer("PARLEY_SSO_ALLOW_PRIVATE", 0, low=0, high=1) == 1,
    )


APPLE_VARIABLES = ("CLIENT_ID", "TEAM_ID", "KEY_ID", "PRIVATE_KEY")


def _apple(builtin: ProviderConfig, get, problems: list[str], url) -> ProviderConfig | None:
    """Sign in with Apple: PARLEY_APPLE_CLIENT_ID (the Services ID), _TEAM_ID, _KEY_ID and
    _PRIVATE_KEY (the .p8 file's PEM text; "\\n" may stand for its line breaks)."""
    values = {name: get(f"PARLEY_APPLE_{name}") for name in APPLE_VARIABLES}
    if not any(values.values()):
        return None
    missing = [f"PARLEY_APPLE_{name}" for name, value in values.items() if not value]
    if missing:
        problems.append(f"Sign in with Apple also needs {', '.join(missing)}")
        return None
    pem = values["PRIVATE_KEY"].replace("\\n", "\n")
    try:
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
            raise ValueError("not a P-256 key")
    except (ValueError, TypeError):
        problems.append("PARLEY_APPLE_PRIVATE_KEY must be the P-256 private key (.p8) Apple issued")
        return None
    return replace(
        builtin,
        client_id=values["CLIENT_ID"],
        team_id=values["TEAM_ID"],
        key_id=values["KEY_ID"],
        private_key=pem,
        metadata_url=url("PARLEY_APPLE_METADATA_URL", builtin.metadata_url),
    )


def _seconds(get, problems: list[str], name: str, default: int, bounds: tuple[int, int]) -> int:
    raw = get(name)
    low, high = bounds
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        problems.append(f"{name} must be {low} to {high} seconds, not {raw!r}")
        return default
    return int(raw)


def _with_slash(value: str | None) -> str | None:
    # Authlib joins relative API paths onto the base: "…/v1" + "me" would drop "v1".
    if value is None or value.endswith("/"):
        return value
    return value + "/"
