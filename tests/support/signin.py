"""Signing in through the session's OpenID provider, as operators configure it and readers do.

``oidc_env`` is exactly what an operator puts in the environment for the generic provider;
``sign_in`` drives the whole popup flow with a Flask test client and a scripted browser at the
provider; ``popup`` reads what the sign-in popup page would post to its opener.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from tests.support.apps import BASE_URL
from tests.support.apps import SITE_ORIGIN as SITE_ORIGIN  # the demo site's origin, for assertions
from tests.support.oidc import login_with_requests

OIDC_NAME = "testidp"
OIDC_LABEL = "Test IdP"
OIDC_CLIENT_ID = "parley-e2e"
OIDC_CLIENT_SECRET = "parley-e2e-secret"
SECRET_KEY = "auth-tests-secret-key"
# A client of the provider alone, for the tests that drive the provider as an app would.
PROBE_CLIENT_ID = "parley-test"
PROBE_CLIENT_SECRET = "parley-test-secret"
PROBE_CALLBACK = "http://127.0.0.1:9/auth/oidc/callback"


def oidc_clients(*live_parleys: str) -> list[dict]:
    """The provider's clients: Parley's, with a callback for Parley at BASE_URL (the generic
    provider, and the built-in OpenID ones pointed at it by metadata URL) and at each live
    Parley; and the probe."""
    callbacks = [f"{BASE_URL}/auth/{name}/callback" for name in (OIDC_NAME, "google", "microsoft")]
    callbacks += [f"{parley}/auth/{OIDC_NAME}/callback" for parley in live_parleys]
    return [
        {
            "client_id": OIDC_CLIENT_ID,
            "client_secret": OIDC_CLIENT_SECRET,
            "redirect_uris": callbacks,
        },
        {
            "client_id": PROBE_CLIENT_ID,
            "client_secret": PROBE_CLIENT_SECRET,
            "redirect_uris": [PROBE_CALLBACK],
        },
    ]


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


def oidc_env(provider) -> dict[str, str]:
    # Exactly what an operator would put in the environment for one generic OIDC provider.
    return {
        "PARLEY_OIDC_PROVIDERS": OIDC_NAME,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_METADATA_URL": provider.metadata_url,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_CLIENT_ID": OIDC_CLIENT_ID,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        f"PARLEY_OIDC_{OIDC_NAME.upper()}_LABEL": OIDC_LABEL,
    }


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
