"""The OIDC test provider is a real, strict OpenID Connect provider, driven here as an app would."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.support.oidc import (
    OIDCProviderError,
    cancel_with_requests,
    login_with_requests,
    run_oidc_provider,
)
from tests.support.signin import PROBE_CALLBACK
from tests.support.signin import PROBE_CLIENT_ID as CLIENT_ID
from tests.support.signin import PROBE_CLIENT_SECRET as CLIENT_SECRET

# Never contacted: the helpers return the redirect to it without following it.
REDIRECT_URI = PROBE_CALLBACK


@pytest.fixture(scope="module")
def metadata(oidc_provider):
    response = requests.get(oidc_provider.metadata_url, timeout=5)
    response.raise_for_status()
    return response.json()


@pytest.fixture
def client():
    with OAuth2Session(
        CLIENT_ID,
        CLIENT_SECRET,
        scope="openid email profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    ) as session:
        yield session


@pytest.fixture
def browser():
    with requests.Session() as session:
        yield session


def authorize(client, metadata, *, pkce=True):
    """Build an authorization request the way an app does; return (url, code_verifier, nonce)."""
    code_verifier = generate_token(48) if pkce else None
    nonce = generate_token(20)
    url, _state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=code_verifier, nonce=nonce
    )
    return url, code_verifier, nonce


def verified_id_token_claims(id_token, metadata, nonce):
    keys = KeySet.import_key_set(requests.get(metadata["jwks_uri"], timeout=5).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_discovery_document_lists_the_endpoints_an_app_needs(oidc_provider, metadata):
    assert metadata["issuer"] == oidc_provider.issuer
    assert oidc_provider.issuer.startswith("http://127.0.0.1:")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        assert metadata[endpoint].startswith(oidc_provider.issuer + "/")
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    assert {"openid", "email", "profile"} <= set(metadata["scopes_supported"])


def test_code_flow_with_pkce_and_nonce_yields_signed_verified_claims(metadata, client, browser):
    url, code_verifier, nonce = authorize(client, metadata)

    callback = login_with_requests(browser, url, account="alice")

    assert callback.startswith(REDIRECT_URI + "?")
    params = parse_qs(urlsplit(callback).query)
    assert params["iss"] == [metadata["issuer"]]
    token = client.fetch_token(
        metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
    )
    claims = verified_id_token_claims(token["id_token"], metadata, nonce)
    assert claims["sub"] == "alice"
    assert claims["email"] == "alice@example.test"
    assert claims["email_verified"] is True
    assert claims["name"] == "Alice Liddell"
    assert claims["picture"].startswith("https://")
    userinfo = client.get(metadata["userinfo_endpoint"], timeout=5).json()
    assert userinfo["sub"] == "alice"
    assert userinfo["email_verified"] is True


def test_unverified_email_is_reported_as_unverified(metadata, client, browser):
    url, code_verifier, nonce = authorize(client, metadata)
    callback = login_with_requests(browser, url, account="mallory")
    token = client.fetch_token(
        metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
    )

    claims = verified_id_token_claims(token["id_token"], metadata, nonce)

    assert claims["email"] == "alice@example.test"
    assert claims["email_verified"] is False


def test_authorization_request_without_pkce_is_rejected(metadata, client, browser):
    url, _code_verifier, _nonce = authorize(client, metadata, pkce=False)
    assert "code_challenge" not in url

    callback = login_with_requests(browser, url, account="alice")

    params = parse_qs(urlsplit(callback).query)
    assert params["error"] == ["invalid_request"]
    assert "PKCE" in params["error_description"][0]
    assert "code" not in params


def test_token_request_with_the_wrong_code_verifier_is_rejected(metadata, client, browser):
    url, _code_verifier, _nonce = authorize(client, metadata)
    callback = login_with_requests(browser, url, account="alice")

    with pytest.raises(OAuthError) as excinfo:
        client.fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            code_verifier=generate_token(48),
        )

    assert excinfo.value.error == "invalid_grant"


def test_replayed_authorization_code_is_rejected(metadata, client, browser):
    url, code_verifier, _nonce = authorize(client, metadata)
    callback = login_with_requests(browser, url, account="alice")
    client.fetch_token(
        metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
    )

    with pytest.raises(OAuthError) as excinfo:
        client.fetch_token(
            metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
        )

    assert excinfo.value.error == "invalid_grant"


def test_wrong_client_secret_is_rejected(metadata, browser):
    with OAuth2Session(
        CLIENT_ID,
        "not-the-secret",
        scope="openid email",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
    ) as impostor:
        url, code_verifier, _nonce = authorize(impostor, metadata)
        callback = login_with_requests(browser, url, account="alice")
        with pytest.raises(OAuthError) as excinfo:
            impostor.fetch_token(
                metadata["token_endpoint"],
                authorization_response=callback,
                code_verifier=code_verifier,
            )

    assert excinfo.value.error == "invalid_client"


def test_signed_in_browser_is_not_asked_again(metadata, client, browser):
    first, _, _ = authorize(client, metadata)
    login_with_requests(browser, first, account="bob")
    second, code_verifier, nonce = authorize(client, metadata)

    response = browser.get(second, allow_redirects=False, timeout=5)

    assert response.headers["Location"].startswith(REDIRECT_URI + "?")
    token = client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=response.headers["Location"],
        code_verifier=code_verifier,
    )
    assert verified_id_token_claims(token["id_token"], metadata, nonce)["sub"] == "bob"


def test_select_account_prompt_asks_a_signed_in_browser_to_choose_again(metadata, client, browser):
    first, _, _ = authorize(client, metadata)
    login_with_requests(browser, first, account="bob")
    url, code_verifier, nonce = authorize(client, metadata)
    url += "&prompt=select_account"

    chooser = browser.get(url, timeout=5)  # follows the redirect to the interaction
    callback = login_with_requests(browser, url, account="bob")

    assert '<form id="login-form" method="post"' in chooser.text
    token = client.fetch_token(
        metadata["token_endpoint"], authorization_response=callback, code_verifier=code_verifier
    )
    assert verified_id_token_claims(token["id_token"], metadata, nonce)["sub"] == "bob"


def test_login_page_is_a_plain_form(metadata, client, browser):
    url, _, _ = authorize(client, metadata)
    interaction = browser.get(url, timeout=5)

    assert interaction.status_code == 200
    assert '<form id="login-form" method="post"' in interaction.text
    assert 'name="login"' in interaction.text
    assert "<button" in interaction.text


def test_unknown_account_is_refused(metadata, client, browser):
    url, _, _ = authorize(client, metadata)

    with pytest.raises(OIDCProviderError, match="No test account"):
        login_with_requests(browser, url, account="nobody")


def test_cancel_returns_access_denied(metadata, client, browser):
    url, _, _ = authorize(client, metadata)

    callback = cancel_with_requests(browser, url)

    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]


def test_provider_process_is_gone_after_the_block():
    clients = [{"client_id": "x", "client_secret": "y", "redirect_uris": [REDIRECT_URI]}]
    with run_oidc_provider(clients=clients) as running:
        process = running._process
        assert process.poll() is None

    assert process.poll() is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(running.metadata_url, timeout=2)
