"""Apps configured the way an operator does it: ``Settings.from_env`` with PARLEY_* variables.

``make_app(env)`` builds an app on this test's database and Redis from environment variables
alone; ``oidc_provider`` is the real OpenID Connect provider (npm's oidc-provider) on
127.0.0.1; ``popup`` reads what the sign-in popup page would post to its opener.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
import requests

from service import create_app
from service.models import Site
from service.runtime import Runtime
from service.settings import Settings
from service.sites import create_site
from tests.support.oidc import login_with_requests, run_oidc_provider
from worker import runtime as worker_runtime

BASE_URL = "http://parley.example.test"
SITE_ORIGIN = "http://blog.example.test"
OIDC_NAME = "testidp"
OIDC_CLIENT_ID = "parley-e2e"
OIDC_CLIENT_SECRET = "parley-e2e-secret"
SECRET_KEY = "auth-tests-secret-key"


@pytest.fixture(scope="session")
def oidc_provider():
    clients = [
        {
            "client_id": OIDC_CLIENT_ID,
            "client_secret": OIDC_CLIENT_SECRET,
            # The generic provider, and the built-in OpenID ones pointed here by metadata URL.
            "redirect_uris": [
                f"{BASE_URL}/auth/{name}/callback" for name in (OIDC_NAME, "google", "microsoft")
            ],
        }
    ]
    with run_oidc_provider(clients=clients) as provider:
        yield provider


def base_env(db_url: str, redis_url: str) -> dict[str, str]:
    return {
        "PARLEY_ENV": "test",
        "PARLEY_SECRET_KEY": SECRET_KEY,
        "PARLEY_DATABASE_URL": db_url,
        "PARLEY_REDIS_URL": redis_url,
        "PARLEY_BASE_URL": BASE_URL,
        "PARLEY_JOB_RETRY_INTERVALS": "0",
        "PARLEY_SUBMIT_RATE": "0",
    }


@pytest.fixture
def make_app(db_url, redis_db_url) -> Iterator:
    built: list[Runtime] = []

    def make(env: dict[str, str]):
        settings = Settings.from_env({**base_env(db_url, redis_db_url), **env})
        app = create_app(settings)
        rt: Runtime = app.extensions["parley"]
        worker_runtime.install(rt)
        built.append(rt)
        with rt.session() as session:
            if session.query(Site).filter_by(slug="demo").first() is None:
                create_site(session, "demo", "Demo blog", [SITE_ORIGIN])
                create_site(session, "other", "Other blog", ["http://other.example.test"])
                session.commit()
        return app

    yield make
    worker_runtime.install(None)
    for rt in built:
        rt.close()


def oidc_env(provider) -> dict[str, str]:
    # Exactly what an operator would put in the environment for one generic OIDC provider.
    return {
        "PARLEY_OIDC_PROVIDERS": OIDC_NAME,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_METADATA_URL": provider.metadata_url,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_CLIENT_ID": OIDC_CLIENT_ID,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_LABEL": "Test IdP",
    }


@pytest.fixture
def oidc_app(make_app, oidc_provider):
    return make_app(oidc_env(oidc_provider))


@pytest.fixture
def web(oidc_app):
    """The browser on Parley's side: a test client that keeps Parley's session cookie."""
    return oidc_app.test_client()


@pytest.fixture
def rt(oidc_app) -> Runtime:
    # Overrides the root fixture here, so the root ``drain`` works this app's queue.
    return oidc_app.extensions["parley"]


@dataclass
class Popup:
    """What the popup page hands its opener: the message and the origins it may go to."""

    status: int
    message: dict
    targets: list[str]
    html: str

    @property
    def token(self) -> str:
        return self.message["token"]

    @property
    def error(self) -> str | None:
        return self.message.get("error")


_DATA = re.compile(r'<script type="application/json" id="parley-auth"[^>]*>(.*?)</script>', re.S)


def popup(response) -> Popup:
    assert response.mimetype == "text/html", response.data[:300]
    html = response.get_data(as_text=True)
    match = _DATA.search(html)
    assert match, html
    data = json.loads(match.group(1))
    # The only postMessage call aims at each target in turn, never at "*".
    assert html.count("postMessage(") == 1
    assert "postMessage(data.message, origin)" in html
    assert '"*"' not in html and "'*'" not in html
    return Popup(response.status_code, data["message"], data["targets"], html)


def local(url: str) -> str:
    """The path and query of a URL on Parley, as the Flask test client wants them."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL, url
    return parts.path + ("?" + parts.query if parts.query else "")


def start_login(client, query: str = "site=demo", provider: str = OIDC_NAME) -> str:
    response = client.get(f"/auth/{provider}/login?{query}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def provider_callback(authorize_url: str, account: str = "alice") -> str:
    """Sign in at the provider in a fresh browser; the redirect back to Parley, not followed."""
    with requests.Session() as browser:
        return login_with_requests(browser, authorize_url, account=account)


def sign_in(
    client, account: str = "alice", query: str = "site=demo", provider: str = OIDC_NAME
) -> Popup:
    callback = provider_callback(start_login(client, query, provider), account)
    return popup(client.get(local(callback)))
