"""Local stand-ins for the OAuth 2.0 providers that are not OpenID Connect providers.

One module per provider (github, facebook, x, wordpress) on one base (base.py); see base.py for
how a test drives a fake::

    with run_fake_oauth("github", client_id="gh-id", client_secret="gh-secret",
                        redirect_uris=["http://127.0.0.1:5000/auth/github/callback"]) as fake:
        fake.authorize_url, fake.token_url, fake.profile_url
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tests.support.fake_oauth.base import DEFAULT_USERS, FakeOAuthServer, FakeUser
from tests.support.fake_oauth.facebook import FakeFacebook
from tests.support.fake_oauth.github import FakeGitHub
from tests.support.fake_oauth.wordpress import FakeWordPress
from tests.support.fake_oauth.x import FakeX

__all__ = ["DEFAULT_USERS", "FAKES", "FakeOAuthServer", "FakeUser", "run_fake_oauth"]


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
    with fake.running():
        yield fake
