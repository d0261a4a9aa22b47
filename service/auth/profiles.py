"""Each sign-in provider's idea of a user, turned into one Profile.

Pure functions of the provider's documented payloads (OIDC claims or the user endpoint's JSON);
no Flask, no network. Every normalizer:

- returns the subject as a non-empty string (GitHub, WordPress.com send integers);
- raises ValueError when the payload is not a JSON object or has no subject;
- maps anything missing, empty or of the wrong type to None instead of raising;
- says ``email_verified=True`` only when the provider vouches for the address (an app may link
  accounts by email only then), and never reports a verified address it could not see;
- keeps only http(s) URLs for avatars and profile pages, since they end up in ``<img src>`` and
  ``<a href>``, and fits values to the Identity columns (name 200, email 320, URLs 2048).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

NAME_MAX = 200
EMAIL_MAX = 320
URL_MAX = 2048


@dataclass(frozen=True)
class Profile:
    provider: str
    subject: str
    name: str | None
    email: str | None
    email_verified: bool
    avatar_url: str | None
    profile_url: str | None


def google_profile(claims: Mapping[str, Any]) -> Profile:
    """Google's id_token or userinfo claims (sub, name, email, email_verified, picture)."""
    claims = _object(claims, "google")
    email = _email(claims.get("email"))
    return Profile(
        provider="google",
        subject=_subject(claims, "sub", "google"),
        name=_name(
            claims.get("name"), _joined(claims.get("given_name"), claims.get("family_name"))
        ),
        email=email,
        email_verified=email is not None and _true(claims.get("email_verified")),
        avatar_url=_url(claims.get("picture")),
        profile_url=_url(claims.get("profile")),
    )


def microsoft_profile(claims: Mapping[str, Any]) -> Profile:
    """Microsoft identity platform id_token claims.

    ``sub`` is pairwise per application; ``oid`` (the user's object id, the same for every
    application of the tenant) is the fallback when ``sub`` is absent. ``email`` is optional and
    Microsoft does not promise it was verified, so it counts as verified only with the optional
    ``xms_edov`` (email domain owner verified) claim. ``preferred_username`` is often, but not
    always, an address: it is used only when it looks like one, and never as verified.
    """
    claims = _object(claims, "microsoft")
    email = _email(claims.get("email"))
    verified = email is not None and _true(claims.get("xms_edov"))
    if email is None:
        email = _email(claims.get("preferred_username"))
    return Profile(
        provider="microsoft",
        subject=_subject(claims, ("sub", "oid"), "microsoft"),
        name=_name(
            claims.get("name"), _joined(claims.get("given_name"), claims.get("family_name"))
        ),
        email=email,
        email_verified=verified,
        avatar_url=None,  # only through Microsoft Graph's photo endpoint, as bytes
        profile_url=None,
    )


def github_profile(
    user: Mapping[str, Any], emails: Sequence[Mapping[str, Any]] | None = None
) -> Profile:
    """``GET /user``, plus ``GET /user/emails`` when the ``user:email`` scope gave it.

    The address is the primary verified one from /user/emails; failing that, the public email on
    /user, verified only if /user/emails lists it as verified.
    """
    user = _object(user, "github")
    verified_emails: list[str] = []
    primary_verified = None
    for entry in emails or ():
        if not isinstance(entry, Mapping) or entry.get("verified") is not True:
            continue
        address = _email(entry.get("email"))
        if address is None:
            continue
        verified_emails.append(address.lower())
        if entry.get("primary") is True and primary_verified is None:
            primary_verified = address
    if primary_verified is not None:
        email, verified = primary_verified, True
    else:
        email = _email(user.get("email"))
        verified = email is not None and email.lower() in verified_emails
    return Profile(
        provider="github",
        subject=_subject(user, "id", "github"),
        name=_name(user.get("name"), user.get("login")),
        email=email,
        email_verified=verified,
        avatar_url=_url(user.get("avatar_url")),
        profile_url=_url(user.get("html_url")),
    )


def facebook_profile(me: Mapping[str, Any]) -> Profile:
    """``GET /me?fields=id,name,email,picture`` from the Graph API.

    Facebook returns ``email`` only for a confirmed address, so a present email is verified.
    ``picture`` is ``{"data": {"url": ...}}``; ``link`` appears only with the user_link permission.
    """
    me = _object(me, "facebook")
    email = _email(me.get("email"))
    picture = me.get("picture")
    if isinstance(picture, Mapping):
        data = picture.get("data")
        picture = data.get("url") if isinstance(data, Mapping) else None
    return Profile(
        provider="facebook",
        subject=_subject(me, "id", "facebook"),
        name=_name(me.get("name"), _joined(me.get("first_name"), me.get("last_name"))),
        email=email,
        email_verified=email is not None,
        avatar_url=_url(picture),
        profile_url=_url(me.get("link")),
    )


def x_profile(response: Mapping[str, Any]) -> Profile:
    """``GET /2/users/me?user.fields=profile_image_url``: the user is under ``data``.

    X's API v2 gives no email address; the profile page is https://x.com/<username>.
    """
    response = _object(response, "x")
    data = response.get("data", response)
    if not isinstance(data, Mapping):
        raise ValueError("x profile: 'data' is not a JSON object")
    username = _text(data.get("username"), NAME_MAX)
    return Profile(
        provider="x",
        subject=_subject(data, "id", "x"),
        name=_name(data.get("name"), username),
        email=None,
        email_verified=False,
        avatar_url=_url(data.get("profile_image_url")),
        profile_url=f"https://x.com/{quote(username, safe='')}" if username else None,
    )


def wordpress_profile(me: Mapping[str, Any]) -> Profile:
    """WordPress.com ``GET /rest/v1/me`` (ID, display_name, email, email_verified, ...)."""
    me = _object(me, "wordpress")
    email = _email(me.get("email"))
    return Profile(
        provider="wordpress",
        subject=_subject(me, "ID", "wordpress"),
        name=_name(me.get("display_name"), me.get("username")),
        email=email,
        email_verified=email is not None and _true(me.get("email_verified")),
        avatar_url=_url(me.get("avatar_URL")),
        profile_url=_url(me.get("profile_URL")),
    )


def oidc_profile(provider: str, claims: Mapping[str, Any]) -> Profile:
    """Standard OpenID Connect claims (Core 1.0 section 5.1) from any provider.

    ``provider`` is the configured provider name, which namespaces the subject: two providers
    may issue the same ``sub`` for different people.
    """
    if not provider:
        raise ValueError("oidc profile needs the provider's name")
    claims = _object(claims, provider)
    email = _email(claims.get("email"))
    return Profile(
        provider=provider,
        subject=_subject(claims, "sub", provider),
        name=_name(
            claims.get("name"),
            _joined(claims.get("given_name"), claims.get("family_name")),
            claims.get("preferred_username"),
            claims.get("nickname"),
        ),
        email=email,
        email_verified=email is not None and _true(claims.get("email_verified")),
        avatar_url=_url(claims.get("picture")),
        profile_url=_url(claims.get("profile")),
    )


def apple_profile(claims: Mapping[str, Any]) -> Profile:
    """Apple's id_token claims, plus the ``name`` Apple posts (as ``user``) on the first
    sign-in only, merged in by the callback.

    ``email_verified`` (and ``is_private_email``) come as booleans or as "true"/"false". An
    address of Apple's "Hide My Email" relay (``@privaterelay.appleid.com``) is verified: Apple
    made it, and it reaches the reader's real inbox.
    """
    claims = _object(claims, "apple")
    email = _email(claims.get("email"))
    relay = email is not None and email.lower().endswith("@privaterelay.appleid.com")
    return Profile(
        provider="apple",
        subject=_subject(claims, "sub", "apple"),
        name=_name(claims.get("name")),
        email=email,
        email_verified=email is not None and (_true(claims.get("email_verified")) or relay),
        avatar_url=None,  # Apple shares no picture
        profile_url=None,
    )


def site_profile(slug: str, claims: Mapping[str, Any], trust_email: bool) -> Profile:
    """A host site's own account, from the claims of the JWT it signed (``service.auth.sso``).

    The provider is ``site:<slug>``: the subject means something on that site only. The
    address counts as verified only when the token says so *and* the site's owner chose to
    vouch for the host's verification (``trust_email``).
    """
    claims = _object(claims, "site")
    email = _email(claims.get("email"))
    return Profile(
        provider=f"site:{slug}",
        subject=_subject(claims, "sub", "site"),
        name=_name(claims.get("name"), claims.get("preferred_username")),
        email=email,
        email_verified=trust_email and email is not None and _true(claims.get("email_verified")),
        avatar_url=_url(claims.get("picture")),
        profile_url=_url(claims.get("profile_url")) or _url(claims.get("profile")),
    )


def email_profile(address: str, name: str | None) -> Profile:
    """A reader who proved they read ``address`` by opening the link mailed to it; the name
    is the one they gave (never the address's local part, which would show the address)."""
    email = _email(address)
    if email is None:
        raise ValueError("not an email address")
    subject = email.lower()
    return Profile(
        provider="email",
        subject=subject,
        name=_name(name),
        email=email,
        email_verified=True,
        avatar_url=None,
        profile_url=None,
    )


# The built-in providers whose whole profile is one payload. GitHub takes a second (its emails)
# and generic OIDC takes the provider's name, so they are called directly.
SINGLE_PAYLOAD_NORMALIZERS: Mapping[str, Callable[[Mapping[str, Any]], Profile]] = {
    "google": google_profile,
    "microsoft": microsoft_profile,
    "facebook": facebook_profile,
    "x": x_profile,
    "wordpress": wordpress_profile,
    "apple": apple_profile,
}


def _object(payload: Any, provider: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise ValueError(
            f"{provider} profile: expected a JSON object, got {type(payload).__name__}"
        )
    return payload


def _subject(payload: Mapping[str, Any], keys: str | tuple[str, ...], provider: str) -> str:
    keys = (keys,) if isinstance(keys, str) else keys
    for key in keys:
        value = payload.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str) and value.strip():
            return value  # opaque: compared as issued, never trimmed or case-folded
    wanted = " or ".join(repr(key) for key in keys)
    raise ValueError(f"{provider} profile has no {wanted}: cannot tell who signed in")


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def _name(*candidates: Any) -> str | None:
    for candidate in candidates:
        text = _text(candidate, NAME_MAX)
        if text:
            return text
    return None


def _joined(*parts: Any) -> str | None:
    return " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip()) or None


def _email(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or not domain
        or len(value) > EMAIL_MAX
        or any(c.isspace() for c in value)
    ):
        return None
    return value


def _url(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if len(value) > URL_MAX:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return value


def _true(value: Any) -> bool:
    # Some providers (older Google tokens among them) send booleans as the strings "true"/"false".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
