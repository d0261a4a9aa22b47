"""The sign-in providers of one app: Authlib clients plus how to read each one's profile.

``Providers.build(app, settings.auth)`` runs inside ``create_app`` (via the auth blueprint's
setup), so the Authlib ``OAuth`` registry belongs to that app; a module-level registry would
point at whichever app was built last.

Every client asks for PKCE (S256). Providers that do not implement it ignore the extra
parameters (RFC 6749 section 3.1), and those that do - the OpenID providers, X, GitHub - bind
the code to this browser. OpenID providers also get a nonce, checked in the id_token by
``authorize_access_token``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

from service.auth import profiles
from service.auth.apple import AppleClientSecret
from service.auth.profiles import Profile
from service.settings.auth import AuthSettings, ProviderConfig

log = logging.getLogger(__name__)


class ProfileError(Exception):
    """The provider answered, but not with a usable profile."""


def _json(response) -> Any:
    if response.status_code != 200:
        raise ProfileError(f"profile request answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise ProfileError("profile response is not JSON") from None


def _github(client, token: Mapping[str, Any]) -> Profile:
    user = _json(client.get("user", token=token))
    emails = None
    # Needs the user:email scope; a user may have withheld it, which is not an error.
    response = client.get("user/emails", token=token)
    if response.status_code == 200:
        emails = _json(response)
        if not isinstance(emails, list):
            emails = None
    return profiles.github_profile(user, emails)


def _facebook(client, token: Mapping[str, Any]) -> Profile:
    me = client.get("me", token=token, params={"fields": "id,name,email,picture"})
    return profiles.facebook_profile(_json(me))


def _x(client, token: Mapping[str, Any]) -> Profile:
    me = client.get("users/me", token=token, params={"user.fields": "profile_image_url"})
    return profiles.x_profile(_json(me))


def _wordpress(client, token: Mapping[str, Any]) -> Profile:
    return profiles.wordpress_profile(_json(client.get("me", token=token)))


OAUTH2_PROFILES: Mapping[str, Callable[[Any, Mapping[str, Any]], Profile]] = {
    "github": _github,
    "facebook": _facebook,
    "x": _x,
    "wordpress": _wordpress,
}


@dataclass(frozen=True)
class Provider:
    config: ProviderConfig
    client: Any  # authlib FlaskOAuth2App
    # Sign in with Apple: the client secret is a JWT Parley mints and renews.
    minted_secret: AppleClientSecret | None = None

    def refresh_client_secret(self) -> None:
        """Before a token request: present a client secret that is still valid."""
        if self.minted_secret is not None:
            self.client.client_secret = self.minted_secret.current()

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def is_oidc(self) -> bool:
        return self.config.kind == "oidc"

    def claims_options(self) -> dict | None:
        """How to check the id_token's issuer; None lets Authlib compare it to the metadata."""
        if not self.config.issuer_template:
            return None
        template = self.client.load_server_metadata().get("issuer", "")

        def issuer_of_tenant(claims, value) -> bool:
            tenant = claims.get("tid")
            return bool(tenant) and value == template.replace("{tenantid}", str(tenant))

        # A fresh dict each time: Authlib pops "validate" out of the options it is given.
        return {"iss": {"essential": True, "validate": issuer_of_tenant}}

    def check_response_issuer(self, iss: str | None) -> bool:
        """RFC 9207: when the provider names itself in the callback, it must be this one."""
        if iss is None or not self.is_oidc or self.config.issuer_template:
            return True
        return iss == self.client.load_server_metadata().get("issuer")

    def profile(self, token: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> Profile:
        """``extra``: claims the callback received beside the token (Apple's first-time name);
        the id_token's own claims win."""
        if not self.is_oidc:
            return OAUTH2_PROFILES[self.name](self.client, token)
        claims = token.get("userinfo")
        if not claims:
            raise ProfileError("the provider returned no id_token")
        claims = {**(extra or {}), **dict(claims)}
        if not claims.get("name") and not claims.get("email"):
            # Some providers keep profile claims out of the id_token; ask userinfo, and only
            # believe it about the same subject (OpenID Connect Core 5.3.2).
            extra = self._userinfo(token)
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
        normalize = profiles.SINGLE_PAYLOAD_NORMALIZERS.get(self.name)
        if normalize is not None:
            return normalize(claims)
        return profiles.oidc_profile(self.name, claims)

    def _userinfo(self, token: Mapping[str, Any]) -> dict:
        if not self.client.load_server_metadata().get("userinfo_endpoint"):
            return {}
        try:
            return dict(self.client.userinfo(token=token))
        except Exception as error:  # the id_token alone is still a valid sign-in
            log.warning("userinfo from %s failed: %s", self.name, error)
            return {}


class Providers:
    """The enabled providers, in the order the widget shows them."""

    def __init__(self, items: list[Provider]):
        self._items = {p.name: p for p in items}

    def __iter__(self):
        return iter(self._items.values())

    def get(self, name: str) -> Provider | None:
        return self._items.get(name)

    @classmethod
    def build(cls, app: Flask, settings: AuthSettings) -> Providers:
        if not settings.providers:
            return cls([])
        # Authlib (and the HTTP and JOSE libraries under it) only where a provider is set up:
        # a web process without social sign-in stays several MB smaller.
        from authlib.integrations.flask_client import OAuth

        oauth = OAuth(app)
        items = []
        for config in settings.providers:
            client_kwargs = {
                "scope": config.scope,
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": config.token_auth,
                # Requests has no default timeout; a hung provider must not hang a worker.
                "default_timeout": 10,
            }
            kwargs: dict[str, Any] = {
                "client_id": config.client_id,
                "client_secret": config.client_secret,
                "client_kwargs": client_kwargs,
                "authorize_params": dict(config.authorize_params) or None,
            }
            if config.kind == "oidc":
                kwargs["server_metadata_url"] = config.metadata_url
            else:
                kwargs.update(
                    authorize_url=config.authorize_url,
                    access_token_url=config.token_url,
                    api_base_url=config.api_base,
                )
            minted = AppleClientSecret(config) if config.private_key else None
            if minted is not None:
                kwargs["client_secret"] = minted.current()
            client = oauth.register(config.name, **kwargs)
            items.append(Provider(config=config, client=client, minted_secret=minted))
        return cls(items)
