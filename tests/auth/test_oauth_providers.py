"""GitHub, Facebook, X and WordPress.com: code, token and profile against local fakes of each.

The app is configured by environment variables only, with each provider's endpoints pointed at
its fake (PARLEY_<P>_AUTHORIZE_URL, _TOKEN_URL, _API_BASE).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa

from service.models import Identity
from tests.support.fake_oauth import run_fake_oauth
from tests.support.signin import BASE_URL, SITE_ORIGIN, local, popup

CLIENT_ID = "parley-client"
CLIENT_SECRET = "parley-secret"
API_PATHS = {"github": "/", "facebook": "/v19.0/", "x": "/2/", "wordpress": "/rest/v1/"}

# What each provider says about alice (FakeUser 1001), as Parley must store it.
ALICE = {
    "github": (
        "1001",
        "Alice Liddell",
        "alice@example.test",
        True,
        "https://avatars.example.test/alice.png",
        "https://github.com/alice",
    ),
    "facebook": (
        "1001",
        "Alice Liddell",
        "alice@example.test",
        True,
        "https://avatars.example.test/alice.png",
        None,
    ),
    "x": (
        "1001",
        "Alice Liddell",
        None,
        False,
        "https://avatars.example.test/alice.png",
        "https://x.com/alice",
    ),
    "wordpress": (
        "1001",
        "Alice Liddell",
        "alice@example.test",
        True,
        "https://avatars.example.test/alice.png",
        "https://gravatar.com/alice",
    ),
}


@pytest.fixture(params=sorted(API_PATHS))
def provider(request):
    return request.param


@pytest.fixture
def fake(provider):
    with run_fake_oauth(
        provider,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[f"{BASE_URL}/auth/{provider}/callback"],
    ) as running:
        yield running


@pytest.fixture
def app(make_app, provider, fake):
    prefix = f"PARLEY_{provider.upper()}"
    return make_app(
        {
            f"{prefix}_CLIENT_ID": CLIENT_ID,
            f"{prefix}_CLIENT_SECRET": CLIENT_SECRET,
            f"{prefix}_AUTHORIZE_URL": fake.authorize_url,
            f"{prefix}_TOKEN_URL": fake.token_url,
            f"{prefix}_API_BASE": fake.base_url + API_PATHS[provider],
        }
    )


@pytest.fixture
def web(app):
    return app.test_client()


def sign_in(web, provider: str):
    """Popup start -> the fake's authorize endpoint -> Parley's callback; returns its response."""
    start = web.get(f"/auth/{provider}/login?site=demo")
    assert start.status_code == 302, start.get_data(as_text=True)
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302, back.text
    return back.headers["Location"], start.headers["Location"]


def stored(app) -> list[tuple]:
    with app.extensions["parley"].session() as session:
        rows = session.scalars(sa.select(Identity).order_by(Identity.id)).all()
        return [
            (i.provider, i.subject, i.name, i.email, i.email_verified, i.avatar_url, i.profile_url)
            for i in rows
        ]


def test_sign_in_exchanges_code_with_pkce_and_stores_the_identity(web, app, provider, fake):
    callback, authorize_url = sign_in(web, provider)
    result = popup(web.get(local(callback)))

    assert result.status == 200, result.message
    assert result.targets == [SITE_ORIGIN]
    assert stored(app) == [(provider, *ALICE[provider])]
    me = web.get("/auth/me?site=demo", headers={"Authorization": f"Bearer {result.token}"})
    assert me.get_json()["identity"]["name"] == "Alice Liddell"

    # PKCE (S256) went out, and the verifier came back at the token endpoint.
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [f"{BASE_URL}/auth/{provider}/callback"]
    [token_request] = fake.requests_to(urlsplit(fake.token_url).path)
    assert token_request.form["code_verifier"]
    assert token_request.form["redirect_uri"] == f"{BASE_URL}/auth/{provider}/callback"


def test_unverified_email_stays_unverified_and_separate(web, app, provider, fake):
    popup(web.get(local(sign_in(web, provider)[0])))
    fake.login_as = "mallory"  # claims alice@example.test without having confirmed it

    result = popup(web.get(local(sign_in(web, provider)[0])))

    assert result.status == 200
    rows = stored(app)
    assert [(r[1], r[2]) for r in rows] == [("1001", "Alice Liddell"), ("1003", "Mallory Mallet")]
    mallory = rows[1]
    assert mallory[4] is False  # never a verified claim on alice's address
    assert mallory[3] in (None, "alice@example.test")


def test_denied_consent_comes_back_as_cancelled(web, app, provider, fake):
    fake.login_as = None

    result = popup(web.get(local(sign_in(web, provider)[0])))

    assert result.error == "cancelled"
    assert stored(app) == []


def test_replayed_code_is_refused_by_the_provider(web, app, provider, fake):
    callback, _ = sign_in(web, provider)
    cookie = web.get_cookie("session").value
    assert popup(web.get(local(callback))).status == 200

    web.set_cookie("session", cookie)
    replay = popup(web.get(local(callback)))

    assert replay.error == "code_rejected"
    assert "token" not in replay.message


def test_providers_endpoint_lists_only_the_enabled_one(web, provider):
    listing = web.get("/auth/providers?site=demo").get_json()["providers"]

    assert [p["name"] for p in listing] == [provider]
    icon = listing[0]["icon"]
    assert icon == f"{BASE_URL}/auth/static/icons/{provider}.svg"
    with web.get(urlsplit(icon).path) as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        assert svg.get_data(as_text=True).startswith("<svg ")
    assert listing[0]["login_url"] == f"{BASE_URL}/auth/{provider}/login"
