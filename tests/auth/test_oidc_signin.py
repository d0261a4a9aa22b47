"""Signing in through the popup against a real OpenID Connect provider, configured by env only."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import requests
import sqlalchemy as sa

from service.models import Comment, Identity
from tests.support.live_server import free_port
from tests.support.oidc import cancel_with_requests
from tests.support.signin import (
    BASE_URL,
    OIDC_NAME,
    SITE_ORIGIN,
    local,
    popup,
    provider_callback,
    sign_in,
    start_login,
)


def identities(rt) -> list[tuple[str, str, str | None, bool]]:
    with rt.session() as session:
        rows = session.scalars(sa.select(Identity).order_by(Identity.id)).all()
        return [(i.provider, i.subject, i.email, i.email_verified) for i in rows]


def test_authorization_request_has_exact_callback_state_nonce_and_pkce(web, oidc_provider):
    url = start_login(web)

    assert url.startswith(oidc_provider.issuer + "/")
    params = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert params["redirect_uri"] == f"{BASE_URL}/auth/{OIDC_NAME}/callback"
    assert params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) == 43  # base64url of a SHA-256
    assert params["state"] and params["nonce"]
    assert set(params["scope"].split()) == {"openid", "email", "profile"}
    # The verifier and nonce stay in Parley's own signed session cookie, not in the URL.
    with web.session_transaction() as session:
        pending = session[f"_state_{OIDC_NAME}_{params['state']}"]["data"]
    assert pending["nonce"] == params["nonce"]
    assert pending["code_verifier"] and pending["code_verifier"] not in url
    assert pending["context"] == {"site": "demo", "targets": [SITE_ORIGIN]}


def test_reader_signs_in_comments_and_is_attributed_in_the_thread(web, rt, drain):
    result = sign_in(web, "alice")

    assert result.status == 200
    assert result.targets == [SITE_ORIGIN]
    assert result.message["type"] == "parley:auth"
    assert result.message["expires_in"] == 86400  # PARLEY_READER_TOKEN_TTL's default
    assert result.message["identity"]["name"] == "Alice Liddell"
    assert result.message["identity"]["provider"] == OIDC_NAME
    assert result.message["identity"]["provider_label"] == "Test IdP"
    assert identities(rt) == [(OIDC_NAME, "alice", "alice@example.test", True)]
    auth = {"Authorization": f"Bearer {result.token}"}

    me = web.get("/auth/me?site=demo", headers=auth)
    assert me.status_code == 200
    assert me.get_json()["identity"]["email"] == "alice@example.test"

    posted = web.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/posts/hello", "body": "Signed in and glad to be here."},
        headers={**auth, "Origin": SITE_ORIGIN},
    )
    assert posted.status_code == 202, posted.get_json()
    drain()

    page = web.get("/api/v1/comments?site=demo&thread=/posts/hello").get_json()
    [comment] = page["comments"]
    assert comment["author"] == {
        "name": "Alice Liddell",
        "url": "https://people.example.test/alice",
        "avatar_url": "https://avatars.example.test/alice.png",
        "provider": OIDC_NAME,
    }
    with rt.session() as session:
        row = session.get(Comment, comment["id"])
        assert row.identity.subject == "alice"


def test_signing_in_again_refreshes_the_same_identity(web, rt):
    first = sign_in(web, "bob")
    second = sign_in(web, "bob")

    assert first.token != second.token
    assert identities(rt) == [(OIDC_NAME, "bob", "bob@example.test", True)]


def test_missing_state_is_refused_and_reported_to_the_site(web, rt, oidc_provider):
    callback = provider_callback(start_login(web))
    without_state = callback.replace("state=", "x=")

    result = popup(web.get(local(without_state)))

    assert result.status == 400
    assert result.error == "state_mismatch"
    assert result.targets == [SITE_ORIGIN]
    assert "token" not in result.message
    assert identities(rt) == []


def test_wrong_state_is_refused(web, rt):
    callback = provider_callback(start_login(web))
    state = parse_qs(urlsplit(callback).query)["state"][0]

    result = popup(web.get(local(callback.replace(state, "forged-state"))))

    assert result.error == "state_mismatch"
    assert identities(rt) == []


def test_state_from_another_browser_is_refused(web, oidc_app, rt):
    callback = provider_callback(start_login(web))
    stranger = oidc_app.test_client()  # no session cookie: the victim of a login-CSRF attempt

    result = popup(stranger.get(local(callback)))

    assert result.error == "state_mismatch"
    assert result.targets == []  # nothing is known about this browser's opener
    assert identities(rt) == []


def test_replayed_callback_is_refused(web, rt):
    callback = provider_callback(start_login(web))
    cookie = web.get_cookie("session").value
    assert popup(web.get(local(callback))).status == 200

    # The same browser again: the state was used up.
    assert popup(web.get(local(callback))).error == "state_mismatch"

    # Replaying the earlier cookie too gets past the state; the provider refuses the code.
    web.set_cookie("session", cookie)
    replay = popup(web.get(local(callback)))
    assert replay.error == "code_rejected"
    assert "invalid_grant" in replay.message["message"]
    assert "token" not in replay.message


def test_wrong_nonce_is_refused(web, rt):
    authorize_url = start_login(web)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]
    with web.session_transaction() as session:
        key = f"_state_{OIDC_NAME}_{state}"
        pending = session[key]
        pending["data"]["nonce"] = "not-the-nonce-we-sent"
        session[key] = pending

    result = popup(web.get(local(provider_callback(authorize_url))))

    assert result.error == "id_token_invalid"
    assert result.targets == [SITE_ORIGIN]
    assert identities(rt) == []


def test_cancelled_sign_in_comes_back_as_a_message(web, rt):
    authorize_url = start_login(web)
    with requests.Session() as browser:
        callback = cancel_with_requests(browser, authorize_url)

    result = popup(web.get(local(callback)))

    assert result.error == "cancelled"
    assert result.message["message"] == "You cancelled the sign-in."
    assert result.targets == [SITE_ORIGIN]
    # The state is used up: the same callback cannot be replayed into a success.
    state = parse_qs(urlsplit(callback).query)["state"][0]
    with web.session_transaction() as session:
        assert f"_state_{OIDC_NAME}_{state}" not in session


def test_provider_error_is_reported_without_echoing_its_text(web):
    authorize_url = start_login(web)
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]

    response = web.get(
        f"/auth/{OIDC_NAME}/callback?error=server_error&error_description=%3Cscript%3E&state={state}"
    )

    result = popup(response)
    assert result.error == "provider_error"
    assert "<script>" not in result.html.split("<script", 1)[0]
    assert "server_error" in result.message["message"]


def test_opener_origin_not_on_the_sites_list_is_refused(web):
    response = web.get(f"/auth/{OIDC_NAME}/login?site=demo&origin=http://evil.test")

    assert response.status_code == 403
    assert "Location" not in response.headers
    result = popup(response)
    assert result.error == "origin_not_allowed"
    assert result.targets == []


def test_opener_origin_on_the_sites_list_is_the_only_target(web, rt):
    with rt.session() as session:
        from service.models import Site

        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        site.allowed_origins = [SITE_ORIGIN, "https://www.blog.example.test"]
        session.commit()

    result = sign_in(web, "alice", query="site=demo&origin=https://www.blog.example.test")

    assert result.targets == ["https://www.blog.example.test"]


def test_origin_of_another_site_cannot_open_this_sites_popup(web):
    response = web.get(f"/auth/{OIDC_NAME}/login?site=demo&origin=http://other.example.test")

    assert popup(response).error == "origin_not_allowed"


def test_unknown_provider_and_unknown_site_are_clear_messages(web):
    unknown_provider = popup(web.get("/auth/nope/login?site=demo"))
    assert (unknown_provider.status, unknown_provider.error) == (404, "unknown_provider")
    assert unknown_provider.targets == [SITE_ORIGIN]

    unknown_site = popup(web.get(f"/auth/{OIDC_NAME}/login?site=nosuch"))
    assert (unknown_site.status, unknown_site.error) == (404, "unknown_site")
    assert unknown_site.targets == []


def test_unverified_email_never_takes_over_an_existing_identity(web, rt):
    alice = sign_in(web, "alice")
    mallory = sign_in(web, "mallory")  # claims alice@example.test, unverified

    assert identities(rt) == [
        (OIDC_NAME, "alice", "alice@example.test", True),
        (OIDC_NAME, "mallory", "alice@example.test", False),
    ]
    as_alice = web.get("/auth/me?site=demo", headers={"Authorization": f"Bearer {alice.token}"})
    as_mallory = web.get("/auth/me?site=demo", headers={"Authorization": f"Bearer {mallory.token}"})
    assert as_alice.get_json()["identity"]["name"] == "Alice Liddell"
    assert as_mallory.get_json()["identity"]["name"] == "Mallory Mallet"
    assert as_mallory.get_json()["identity"]["email_verified"] is False


def test_popup_page_is_locked_down(web):
    response = sign_in(web, "alice")
    assert response.status == 200
    page = web.get(f"/auth/{OIDC_NAME}/callback?state=x")
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'nonce-" in csp and "unsafe-inline" not in csp


def test_answer_naming_another_issuer_is_refused(web, rt):
    callback = provider_callback(start_login(web))
    issuer = parse_qs(urlsplit(callback).query)["iss"][0]
    forged = callback.replace(quote(issuer, safe=""), quote("http://127.0.0.1:9/", safe=""))
    assert forged != callback

    result = popup(web.get(local(forged)))

    assert result.error == "issuer_mismatch"
    assert result.targets == [SITE_ORIGIN]
    assert identities(rt) == []


def test_provider_that_is_down_is_a_message_not_a_crash(make_app):
    # Nothing listens there: the app still starts, and the popup says so when it is used.
    down = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    app = make_app(
        {
            "PARLEY_OIDC_PROVIDERS": "down",
            "PARLEY_OIDC_DOWN_METADATA_URL": down,
            "PARLEY_OIDC_DOWN_CLIENT_ID": "id",
            "PARLEY_OIDC_DOWN_CLIENT_SECRET": "secret",
            "PARLEY_OIDC_DOWN_LABEL": "Corp",
        }
    )
    web = app.test_client()

    assert [p["name"] for p in web.get("/auth/providers").get_json()["providers"]] == ["down"]
    result = popup(web.get("/auth/down/login?site=demo"))

    assert result.status == 502
    assert result.error == "provider_unavailable"
    assert result.message["message"] == "Corp is not answering; please try again later."
    assert result.targets == [SITE_ORIGIN]
