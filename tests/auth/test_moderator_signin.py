"""Moderators sign in on Parley's own pages: a first-party session cookie, then the moderation API."""

from __future__ import annotations

from service.auth.moderators import MemberRef, add_member, session_actor
from service.models import ModerationEvent, Site
from tests.auth.conftest import BASE_URL, OIDC_NAME, local, provider_callback, start_login

QUEUE = "/api/v1/moderation/comments?site=demo"


def moderator_sign_in(web, account: str, next_path: str = "/moderate"):
    callback = provider_callback(start_login(web, f"next={next_path}"), account)
    return web.get(local(callback))


def make_member(rt, who: str, role: str = "moderator") -> None:
    with rt.session() as session:
        site = session.query(Site).filter_by(slug="demo").one()
        add_member(session, site, MemberRef.parse(who), role)
        session.commit()


def test_moderator_named_by_identity_signs_in_and_moderates(web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")  # before alice ever signed in

    response = moderator_sign_in(web, "alice")

    assert response.status_code == 302
    assert response.headers["Location"] == "/moderate"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert web.get(QUEUE).status_code == 200
    me = web.get("/auth/me").get_json()
    assert me["identity"]["name"] == "Alice Liddell"  # the placeholder was filled in
    assert me["moderates"] == ["demo"]


def test_signed_in_non_member_is_forbidden(web, rt):
    moderator_sign_in(web, "bob")

    response = web.get(QUEUE)

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_verified_email_grants_moderation_but_an_unverified_claim_does_not(oidc_app, rt):
    make_member(rt, "Alice@Example.test")

    mallory = oidc_app.test_client()
    moderator_sign_in(mallory, "mallory")  # says alice@example.test, unverified
    assert mallory.get(QUEUE).status_code == 403
    assert mallory.get("/auth/me").get_json()["moderates"] == []

    alice = oidc_app.test_client()
    moderator_sign_in(alice, "alice")
    assert alice.get(QUEUE).status_code == 200


def test_session_cannot_act_from_another_origin(web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    guest = {"name": "Ada", "email": "ada@example.com"}
    posted = web.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/t", "body": "Hello there.", "author": guest},
    )
    approve = f"/api/v1/moderation/comments/{posted.get_json()['comment']['id']}/approve"

    response = web.post(approve, headers={"Origin": "http://blog.example.test"})

    assert response.status_code == 403
    assert "Parley's own pages" in response.get_json()["error"]["message"]
    own_page = web.post(approve, headers={"Origin": BASE_URL})
    assert own_page.status_code == 200
    assert own_page.get_json()["status"] == "published"
    with rt.session() as session:
        event = session.query(ModerationEvent).filter_by(action="approve").one()
        assert event.actor == f"{OIDC_NAME}:alice"


def test_logout_ends_the_session(web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")

    out = web.post("/auth/logout")

    assert out.get_json() == {"revoked_token": False, "cleared_session": True}
    assert web.get(QUEUE).status_code == 401
    assert web.get("/auth/me").status_code == 401


def test_next_must_stay_on_parley(web):
    for target in ("//evil.test/x", "https://evil.test/", "/\\evil.test", "javascript:alert(1)"):
        response = web.get(f"/auth/{OIDC_NAME}/login", query_string={"next": target})
        assert response.status_code == 400, target
        assert "Location" not in response.headers


def test_each_app_has_its_own_resolver_once(make_app, oidc_provider):
    from tests.auth.conftest import oidc_env

    first = make_app(oidc_env(oidc_provider))
    second = make_app(oidc_env(oidc_provider))

    for app in (first, second):
        assert app.extensions["parley_actor_resolvers"] == [session_actor]
    assert first.extensions["parley_auth"] is not second.extensions["parley_auth"]
