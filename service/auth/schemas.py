"""The sign-in API's request and response models (also its OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from service.schemas import Slug, Strict


class SiteQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    site: Slug | None = None


class ProviderOut(BaseModel):
    name: str
    label: str
    icon: str  # absolute URL of a monochrome SVG
    login_url: str  # open in a popup with ?site=<slug>


class ProviderList(BaseModel):
    providers: list[ProviderOut]


class IdentityOut(BaseModel):
    provider: str
    provider_label: str
    name: str | None
    email: str | None
    email_verified: bool
    avatar_url: str | None
    profile_url: str | None


class Me(BaseModel):
    identity: IdentityOut
    # Sites this identity moderates (by slug); only for a moderator's session.
    moderates: list[str] | None = None


class LogoutQuery(SiteQuery):
    # Every session of this moderator ends, on every browser (a lost laptop, a shared machine).
    everywhere: bool = False


class LoggedOut(BaseModel):
    revoked_token: bool
    cleared_session: bool
    # Server-side moderator sessions this logout ended.
    ended_sessions: int = 0


class SsoIn(Strict):
    site: Slug
    # A compact JWT signed by the host site (docs/social-login.md, "Host-site SSO").
    token: Annotated[str, StringConstraints(min_length=1, max_length=8192)]


class SignedIn(BaseModel):
    """A reader token, as the sign-in popup hands it to the widget."""

    token: str
    expires_in: int  # seconds
    identity: IdentityOut
