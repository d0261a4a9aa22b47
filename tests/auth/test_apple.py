"""Sign in with Apple against a local provider speaking Apple's flavour of OpenID Connect
(tests/support/fake_oauth/apple.py): a minted ES256 client secret, form_post callbacks, the
name sent once, and "Hide My Email" relay addresses."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import ECKey
from playwright.sync_api import expect

from service.auth import apple
from service.models import Identity
from service.settings import Settings, SettingsError
from service.settings.auth import ProviderConfig
from tests.support.apps import BASE_URL
from tests.support.fake_oauth.apple import RELAY_USER, FakeApple
from tests.support.fake_oauth.base import DEFAULT_USERS
from tests.support.live_server import free_port, serve_wsgi
from tests.support.signin import local, popup

CLIENT_ID = "test.parley.web"
TEAM_KEY = ECKey.generate_key("P-256")
TEAM_PEM = TEAM_KEY.as_pem(private=True).decode()


@contextmanager
def fake_apple(*callbacks: str, host_name: str = "127.0.0.1") -> Iterator[FakeApple]:
    fake = FakeApple(
        client_id=CLIENT_ID,
        client_secret=None,
        redirect_uris=list(callbacks),
        users={**DEFAULT_USERS, "hidden": RELAY_USER},
        team_public_key=ECKey.import_key(TEAM_KEY.as_dict(private=False)),
        host_name=host_name,
    )
    with fake.running():
        yield fake


def apple_env(fake: FakeApple) -> dict[str, str]:
    # As an operator sets it: the .p8 file's text on one line, with "\n" for its line breaks.
    return {
        "PARLEY_APPLE_CLIENT_ID": CLIENT_ID,
        "PARLEY_APPLE_TEAM_ID": fake.team_id,
        "PARLEY_APPLE_KEY_ID": fake.key_id,
        "PARLEY_APPLE_PRIVATE_KEY": TEAM_PEM.replace("\n", "\\n"),
        "PARLEY_APPLE_METADATA_URL": fake.metadata_url,
    }


@pytest.fixture
def fake():
    with fake_apple(f"{BASE_URL}/auth/apple/callback") as running:
        yield running


@pytest.fixture
def app(make_app, fake):
    return make_app(apple_env(fake))


@pytest.fixture
def web(app):
    return app.test_client()


_FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def sign_in_with_apple(web, fake: FakeApple, account: str = "alice"):
    fake.login_as = account
    started = web.get("/auth/apple/login?site=demo")
    assert started.status_code == 302
    assert "response_mode=form_post" in started.headers["Location"]
    page = requests.get(started.headers["Location"], timeout=10)
    assert page.status_code == 200, page.text
    action = html.unescape(re.search(r'action="([^"]+)"', page.text).group(1))
    fields = {k: html.unescape(v) for k, v in _FIELD.findall(page.text)}
    posted = web.post(local(action), data=fields)
    assert posted.status_code == 303  # the form POST becomes a GET on Parley's own site
    return popup(web.get(local(posted.headers["Location"])))


def test_apple_sign_in_completes_with_a_minted_client_secret(web, fake, app):
    first = sign_in_with_apple(web, fake)
    assert first.error is None, first.message
    identity = first.message["identity"]
    assert identity["provider"] == "apple" and identity["provider_label"] == "Apple"
    assert identity["name"] == "Alice Liddell"  # from the form's "user", sent this once
    assert (identity["email"], identity["email_verified"]) == ("alice@example.test", True)

    # The second time Apple sends no name: the one it sent first stays.
    second = sign_in_with_apple(web, fake)
    assert second.message["identity"]["name"] == "Alice Liddell"
    secret = fake.client_secrets[-1]
    claims = jwt.decode(secret, TEAM_KEY, algorithms=["ES256"]).claims
    assert claims["iss"] == fake.team_id and claims["sub"] == CLIENT_ID
    assert claims["aud"] == "https://appleid.apple.com"
    assert claims["exp"] - claims["iat"] == apple.LIFETIME
    with app.extensions["parley"].session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Identity)) == 1


def test_hide_my_email_relay_addresses_count_as_verified(web, fake):
    signed = sign_in_with_apple(web, fake, "hidden")
    identity = signed.message["identity"]
    assert identity["email"].endswith("@privaterelay.appleid.com")
    assert identity["email_verified"] is True  # the fake says "email_verified": "false"
    # An ordinary address Apple did not verify stays unverified.
    mallory = sign_in_with_apple(web, fake, "mallory")
    assert mallory.message["identity"]["email_verified"] is False


def test_a_cancelled_apple_sign_in_is_explained(web, fake):
    fake.login_as = None
    started = web.get("/auth/apple/login?site=demo")
    page = requests.get(started.headers["Location"], timeout=10)
    fields = dict(_FIELD.findall(page.text))
    posted = web.post("/auth/apple/callback", data=fields)
    answer = popup(web.get(local(posted.headers["Location"])))
    assert answer.error == "provider_error"


def test_only_form_post_providers_take_a_posted_callback(web):
    assert web.post("/auth/github/callback", data={"code": "x"}).status_code == 404


def test_the_client_secret_is_renewed_before_it_expires():
    now = [1_800_000_000.0]
    config = ProviderConfig(
        name="apple", label="Apple", kind="oidc", icon="apple", client_id=CLIENT_ID,
        client_secret="", scope="openid", team_id="T", key_id="K", private_key=TEAM_PEM,
    )  # fmt: skip
    minted = apple.AppleClientSecret(config, clock=lambda: now[0])
    first = minted.current()
    now[0] += apple.LIFETIME - apple.RENEW_BEFORE - 1
    assert minted.current() == first
    now[0] += 2
    renewed = minted.current()
    assert renewed != first
    claims = jwt.decode(renewed, TEAM_KEY, algorithms=["ES256"]).claims
    assert claims["iat"] == int(now[0]) and claims["exp"] > now[0] + apple.RENEW_BEFORE


def test_apple_settings_need_every_part_and_a_p256_key():
    with pytest.raises(SettingsError) as missing:
        Settings.from_env({"PARLEY_ENV": "test", "PARLEY_APPLE_CLIENT_ID": "x"})
    assert "PARLEY_APPLE_TEAM_ID" in str(missing.value)
    with pytest.raises(SettingsError) as bad:
        Settings.from_env(
            {
                "PARLEY_ENV": "test",
                "PARLEY_APPLE_CLIENT_ID": "x",
                "PARLEY_APPLE_TEAM_ID": "t",
                "PARLEY_APPLE_KEY_ID": "k",
                "PARLEY_APPLE_PRIVATE_KEY": "not a key",
            }
        )
    assert "PARLEY_APPLE_PRIVATE_KEY" in str(bad.value)
    assert "not a key" not in str(bad.value)


@pytest.mark.browser
def test_apple_sign_in_in_chromium_across_sites(make_app, browser):
    """Apple's form POST comes from another site, without Parley's SameSite=Lax cookie; the
    sign-in must still complete in a real browser."""
    port = free_port()
    parley = f"http://127.0.0.1:{port}"
    with fake_apple(f"{parley}/auth/apple/callback", host_name="localhost") as fake:
        app = make_app({**apple_env(fake), "PARLEY_BASE_URL": parley})
        with serve_wsgi(app, port, name="parley-apple"):
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(f"{parley}/auth/apple/login?site=demo")
                expect(page.locator("main")).to_contain_text("You are signed in as Alice Liddell.")
                assert page.url.startswith(f"{parley}/auth/apple/callback?")
                assert fake.requests_to("/auth/token")
            finally:
                context.close()
