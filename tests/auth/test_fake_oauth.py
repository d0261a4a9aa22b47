"""The fake OAuth providers answer Authlib's requests client the way the real providers do."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError

from service.auth.profiles import facebook_profile, github_profile, wordpress_profile, x_profile
from tests.support.fake_oauth import run_fake_oauth

CLIENT_ID = "fake-client"
CLIENT_SECRET = "fake-secret"
# Never contacted: the authorize redirect to it is read, not followed.
CALLBACK = "http://127.0.0.1:9/auth/{}/callback"


@pytest.fixture
def fake(request):
    provider = request.param
    with run_fake_oauth(
        provider,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[CALLBACK.format(provider)],
    ) as running:
        yield running


def oauth_session(provider, scope, **kwargs):
    return OAuth2Session(
        CLIENT_ID, CLIENT_SECRET, scope=scope, redirect_uri=CALLBACK.format(provider), **kwargs
    )


def follow_authorize(url):
    """What the reader's browser does: visit the provider, come back with its redirect."""
    response = requests.get(url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def sign_in(fake, client, **authorize_kwargs):
    url, _state = client.create_authorization_url(fake.authorize_url, **authorize_kwargs)
    return follow_authorize(url)


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_github_code_exchange_and_profile(fake):
    with oauth_session("github", "read:user user:email") as client:
        callback = sign_in(fake, client)
        token = client.fetch_token(fake.token_url, authorization_response=callback)
        user = client.get(fake.profile_url, timeout=5).json()
        emails = client.get(fake.emails_url, timeout=5).json()

    assert token["token_type"] == "bearer"
    assert token["access_token"].startswith("gho_")
    token_request = fake.requests_to("/login/oauth/access_token")[0]
    assert token_request.headers["Accept"].startswith("application/json")
    assert token_request.headers["Authorization"].startswith("Basic ")
    profile = github_profile(user, emails)
    assert (profile.subject, profile.name) == ("1001", "Alice Liddell")
    assert (profile.email, profile.email_verified) == ("alice@example.test", True)
    assert profile.profile_url == "https://github.com/alice"


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_github_token_is_form_encoded_unless_json_is_asked_for(fake):
    code = fake.issue_code("alice", scope="read:user")
    response = requests.post(
        fake.token_url,
        data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code},
        timeout=5,
    )

    assert response.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert parse_qs(response.text)["token_type"] == ["bearer"]


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_github_accepts_the_token_authorization_scheme(fake):
    token = fake.issue_token("bob", scope="read:user")

    response = requests.get(
        fake.profile_url, headers={"Authorization": f"token {token}"}, timeout=5
    )

    assert response.json()["login"] == "bob"


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_github_rejects_mistakes_with_its_error_shapes(fake):
    with oauth_session("github", "read:user") as client:
        callback = sign_in(fake, client)
        client.fetch_token(fake.token_url, authorization_response=callback)
        with pytest.raises(OAuthError) as replay:
            client.fetch_token(fake.token_url, authorization_response=callback)
        emails = client.get(fake.emails_url, timeout=5)
    with OAuth2Session(CLIENT_ID, "wrong", redirect_uri=CALLBACK.format("github")) as impostor:
        callback = sign_in(fake, impostor)
        with pytest.raises(OAuthError) as wrong_secret:
            impostor.fetch_token(fake.token_url, authorization_response=callback)
    bad_token = requests.get(fake.profile_url, headers={"Authorization": "Bearer nope"}, timeout=5)

    assert replay.value.error == "bad_verification_code"
    assert wrong_secret.value.error == "incorrect_client_credentials"
    assert emails.status_code == 404  # no user:email scope
    assert bad_token.status_code == 401
    assert bad_token.json()["message"] == "Bad credentials"


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_github_unverified_email_is_not_primary_verified(fake):
    fake.login_as = "mallory"
    with oauth_session("github", "read:user user:email") as client:
        client.fetch_token(fake.token_url, authorization_response=sign_in(fake, client))
        user = client.get(fake.profile_url, timeout=5).json()
        emails = client.get(fake.emails_url, timeout=5).json()

    profile = github_profile(user, emails)

    assert profile.email_verified is False
    assert profile.email is None


@pytest.mark.parametrize("fake", ["github"], indirect=True)
def test_denied_authorization_redirects_with_access_denied(fake):
    fake.login_as = None
    with oauth_session("github", "read:user") as client:
        callback = sign_in(fake, client)

    assert parse_qs(urlsplit(callback).query)["error"] == ["access_denied"]


@pytest.mark.parametrize("fake", ["facebook"], indirect=True)
def test_facebook_code_exchange_and_profile(fake):
    with oauth_session(
        "facebook", "email public_profile", token_endpoint_auth_method="client_secret_post"
    ) as client:
        callback = sign_in(fake, client)
        token = client.fetch_token(fake.token_url, authorization_response=callback)
        me = client.get(
            fake.profile_url, params={"fields": "id,name,email,picture"}, timeout=5
        ).json()

    assert token["expires_in"] > 0
    assert fake.requests_to("/v19.0/oauth/access_token")[0].form["client_secret"] == CLIENT_SECRET
    assert set(me) == {"id", "name", "email", "picture"}
    profile = facebook_profile(me)
    assert (profile.subject, profile.email, profile.email_verified) == (
        "1001",
        "alice@example.test",
        True,
    )
    assert profile.avatar_url == "https://avatars.example.test/alice.png"


@pytest.mark.parametrize("fake", ["facebook"], indirect=True)
def test_facebook_token_by_get_takes_query_parameters_only(fake):
    redirect_uri = CALLBACK.format("facebook")
    code = fake.issue_code("alice", redirect_uri=redirect_uri)
    by_query = requests.get(
        fake.token_url,
        params={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": code,
            "redirect_uri": redirect_uri,
        },
        timeout=5,
    )
    # Authlib's method="GET" with client_secret_post sends the secret in a GET body.
    with oauth_session(
        "facebook", "public_profile", token_endpoint_auth_method="client_secret_post"
    ) as client:
        callback = sign_in(fake, client)
        with pytest.raises(OAuthError) as get_body:
            client.fetch_token(fake.token_url, authorization_response=callback, method="GET")

    assert by_query.status_code == 200
    assert by_query.json()["token_type"] == "bearer"
    assert get_body.value.error["code"] == 101


@pytest.mark.parametrize("fake", ["facebook"], indirect=True)
def test_facebook_token_by_post_and_error_shapes(fake):
    with oauth_session(
        "facebook", "public_profile", token_endpoint_auth_method="client_secret_post"
    ) as client:
        callback = sign_in(fake, client)
        client.fetch_token(fake.token_url, authorization_response=callback)
        with pytest.raises(OAuthError) as replay:
            client.fetch_token(fake.token_url, authorization_response=callback)
        me = client.get(fake.profile_url, params={"fields": "id,name,email"}, timeout=5).json()
    # HTTP Basic is not how Facebook takes the secret.
    with oauth_session("facebook", "public_profile") as basic_client:
        callback = sign_in(fake, basic_client)
        with pytest.raises(OAuthError) as basic:
            basic_client.fetch_token(fake.token_url, authorization_response=callback)
    with OAuth2Session(
        CLIENT_ID,
        "wrong",
        redirect_uri=CALLBACK.format("facebook"),
        token_endpoint_auth_method="client_secret_post",
    ) as impostor:
        callback = sign_in(fake, impostor)
        with pytest.raises(OAuthError) as wrong_secret:
            impostor.fetch_token(fake.token_url, authorization_response=callback)
    bad_token = requests.get(fake.profile_url, params={"access_token": "nope"}, timeout=5)

    assert replay.value.error["code"] == 100
    assert replay.value.error["type"] == "OAuthException"
    assert "email" not in me  # no email permission
    assert basic.value.error["code"] == 101  # no client_id parameter: "Invalid application ID"
    assert wrong_secret.value.error["message"] == "Error validating client secret."
    assert bad_token.status_code == 400
    assert bad_token.json()["error"]["code"] == 190


@pytest.mark.parametrize("fake", ["facebook"], indirect=True)
def test_facebook_rejects_a_different_redirect_uri(fake):
    code = fake.issue_code("alice", redirect_uri=CALLBACK.format("facebook"))

    response = requests.get(
        fake.token_url,
        params={
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": code,
            "redirect_uri": "http://127.0.0.1:9/elsewhere",
        },
        timeout=5,
    )

    assert response.status_code == 400
    assert response.json()["error"]["error_subcode"] == 36008


@pytest.mark.parametrize("fake", ["x"], indirect=True)
def test_x_code_exchange_with_pkce_and_basic_auth(fake):
    verifier = generate_token(64)
    with oauth_session("x", "tweet.read users.read", code_challenge_method="S256") as client:
        callback = sign_in(fake, client, code_verifier=verifier)
        token = client.fetch_token(
            fake.token_url, authorization_response=callback, code_verifier=verifier
        )
        me = client.get(
            fake.profile_url, params={"user.fields": "profile_image_url"}, timeout=5
        ).json()

    assert token["scope"] == "tweet.read users.read"
    authorize_request = fake.requests_to("/i/oauth2/authorize")[0]
    assert authorize_request.query["code_challenge_method"] == "S256"
    assert fake.requests_to("/2/oauth2/token")[0].headers["Authorization"].startswith("Basic ")
    profile = x_profile(me)
    assert (profile.subject, profile.name, profile.email) == ("1001", "Alice Liddell", None)
    assert profile.profile_url == "https://x.com/alice"
    assert profile.avatar_url == "https://avatars.example.test/alice.png"


@pytest.mark.parametrize("fake", ["x"], indirect=True)
def test_x_rejects_wrong_verifier_missing_basic_auth_and_missing_pkce(fake):
    verifier = generate_token(64)
    with oauth_session("x", "tweet.read users.read", code_challenge_method="S256") as client:
        callback = sign_in(fake, client, code_verifier=verifier)
        with pytest.raises(OAuthError) as wrong_verifier:
            client.fetch_token(
                fake.token_url, authorization_response=callback, code_verifier=generate_token(64)
            )
    with oauth_session(
        "x",
        "users.read",
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
    ) as post_client:
        callback = sign_in(fake, post_client, code_verifier=verifier)
        with pytest.raises(OAuthError) as no_basic:
            post_client.fetch_token(
                fake.token_url, authorization_response=callback, code_verifier=verifier
            )
    with oauth_session("x", "users.read") as no_pkce:
        url, _ = no_pkce.create_authorization_url(fake.authorize_url)
        without_pkce = requests.get(url, allow_redirects=False, timeout=5)

    assert wrong_verifier.value.error == "invalid_request"
    assert no_basic.value.error == "unauthorized_client"
    assert without_pkce.status_code == 400
    assert "code_challenge is required" in without_pkce.text


@pytest.mark.parametrize("fake", ["wordpress"], indirect=True)
def test_wordpress_code_exchange_and_profile(fake):
    with oauth_session(
        "wordpress", "auth", token_endpoint_auth_method="client_secret_post"
    ) as client:
        callback = sign_in(fake, client)
        token = client.fetch_token(fake.token_url, authorization_response=callback)
        me = client.get(fake.profile_url, timeout=5).json()

    assert token["token_type"] == "bearer"
    assert fake.requests_to("/oauth2/token")[0].form["client_secret"] == CLIENT_SECRET
    profile = wordpress_profile(me)
    assert (profile.subject, profile.name, profile.email, profile.email_verified) == (
        "1001",
        "Alice Liddell",
        "alice@example.test",
        True,
    )
    assert profile.profile_url == "https://gravatar.com/alice"


@pytest.mark.parametrize("fake", ["wordpress"], indirect=True)
def test_wordpress_rejects_mistakes_with_its_error_shapes(fake):
    with oauth_session("wordpress", "auth") as basic_client:  # secret in Basic, not the form
        callback = sign_in(fake, basic_client)
        with pytest.raises(OAuthError) as basic:
            basic_client.fetch_token(fake.token_url, authorization_response=callback)
    with oauth_session(
        "wordpress", "auth", token_endpoint_auth_method="client_secret_post"
    ) as client:
        callback = sign_in(fake, client)
        client.fetch_token(fake.token_url, authorization_response=callback)
        with pytest.raises(OAuthError) as replay:
            client.fetch_token(fake.token_url, authorization_response=callback)
    no_token = requests.get(fake.profile_url, timeout=5)

    assert basic.value.error == "invalid_client"
    assert replay.value.error == "invalid_grant"
    assert no_token.status_code == 403
    assert no_token.json()["error"] == "authorization_required"


def test_unknown_provider_is_refused():
    with pytest.raises(ValueError, match="no fake for 'myspace'"):
        with run_fake_oauth("myspace", redirect_uris=["http://127.0.0.1:9/cb"]):
            pass


def test_fake_stops_listening_after_the_block():
    with run_fake_oauth("github", redirect_uris=["http://127.0.0.1:9/cb"]) as fake:
        url = fake.profile_url

    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=2)
