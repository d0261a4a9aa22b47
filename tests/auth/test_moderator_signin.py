"""Moderators sign in on Parley's own pages: a first-party session, then the moderation API."""

from __future__ import annotations

import pytest
import requests

from service.access import MemberRef, set_role
from service.models import Identity, ModerationEvent, Site
from tests.support.oidc import cancel_with_requests
from tests.support.signin import BASE_URL, OIDC_NAME, local, popup, provider_callback, start_login

QUEUE = "/api/v1/moderation/comments?site=demo"


def moderator_sign_in(web, account: str, next_path: str = "/moderate"):
    callback = provider_callback(start_login(web, f"next={next_path}"), account)
    return web.get(local(callback))


def make_member(rt, who: str, role: str = "moderator", site: str = "demo") -> None:
    with rt.session() as session:
        site_id = session.query(Site).filter_by(slug=site).one().id
        email, identity_id = MemberRef.parse(who).resolve(session, create=True)
        set_role(session, site_id, role, "test", email=email, identity_id=identity_id)
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

    out = web.post("/auth/logout", headers={"Origin": BASE_URL})

    assert out.get_json() == {"revoked_token": False, "cleared_session": True, "ended_sessions": 1}
    assert web.get(QUEUE).status_code == 401
    assert web.get("/auth/me").status_code == 401


def test_cancelled_moderator_sign_in_offers_the_way_back(web):
    callback = cancel_with_requests(requests.Session(), start_login(web, "next=/moderate"))

    result = popup(web.get(local(callback)))

    assert result.status == 400 and result.error == "cancelled"
    assert result.targets == []  # no opener here: nothing is posted
    assert '<a href="/moderate">Back</a>' in result.html
    assert web.get("/auth/me").status_code == 401


def test_next_must_stay_on_parley(web):
    for target in ("//evil.test/x", "https://evil.test/", "/\\evil.test", "javascript:alert(1)"):
        response = web.get(f"/auth/{OIDC_NAME}/login", query_string={"next": target})
        assert response.status_code == 400, target
        assert "Location" not in response.headers


def test_each_app_has_its_own_providers_and_no_actor_registry(make_app, oidc_provider):
    # The signed-in moderator is resolved by service.access itself: there is no list of
    # resolvers that building an app could add to (or add to twice).
    from tests.support.signin import oidc_env

    first = make_app(oidc_env(oidc_provider))
    second = make_app(oidc_env(oidc_provider))

    for app in (first, second):
        assert "parley_actor_resolvers" not in app.extensions
    assert first.extensions["parley_auth"] is not second.extensions["parley_auth"]


def test_session_cookie_is_secure_and_httponly_in_production(make_app):
    # GitHub's real endpoints: starting a sign-in only builds the URL, nothing is contacted.
    app = make_app(
        {
            "PARLEY_ENV": "production",
            "PARLEY_GITHUB_CLIENT_ID": "id",
            "PARLEY_GITHUB_CLIENT_SECRET": "secret",
        }
    )

    response = app.test_client().get("/auth/github/login?next=/moderate")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("https://github.com/login/oauth/authorize?")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_moderators_cli_adds_lists_and_removes(oidc_app, oidc_provider, db_url, redis_db_url):
    from click.testing import CliRunner

    from service.cli import cli
    from tests.support.signin import base_env, oidc_env

    runner = CliRunner(env={**base_env(db_url, redis_db_url), **oidc_env(oidc_provider)})

    def parley(*args: str):
        return runner.invoke(cli, ["moderators", *args], catch_exceptions=False)

    added = parley("add", "--site", "demo", f"{OIDC_NAME}:alice")
    by_email = parley("add", "--site", "demo", "--role", "owner", "Bob@Example.test")
    assert added.exit_code == 0 and by_email.exit_code == 0, added.output + by_email.output
    assert "counts only once their provider has verified it" in by_email.output
    assert parley("list", "--site", "demo").output.splitlines() == [
        f"moderator\t{OIDC_NAME}:alice\t",
        "owner\tbob@example.test\t",
    ]

    alice = oidc_app.test_client()
    moderator_sign_in(alice, "alice")
    assert alice.get(QUEUE).status_code == 200

    removed = parley("remove", "--site", "demo", f"{OIDC_NAME}:alice")
    assert removed.exit_code == 0, removed.output
    assert alice.get(QUEUE).status_code == 403
    again = parley("remove", "--site", "demo", f"{OIDC_NAME}:alice")
    assert again.exit_code == 1 and "is not a moderator of demo" in again.output
    unknown = parley("add", "--site", "nope", "someone@example.test")
    assert unknown.exit_code == 1 and "unknown site 'nope'" in unknown.output
    assert parley("add", "--site", "demo", "not a reference").exit_code == 1


def test_moderators_cli_audits_every_change_and_keeps_an_owner(
    oidc_app, oidc_provider, rt, db_url, redis_db_url
):
    from click.testing import CliRunner

    from service.cli import cli
    from tests.support.signin import base_env, oidc_env

    runner = CliRunner(env={**base_env(db_url, redis_db_url), **oidc_env(oidc_provider)})

    def parley(*args: str):
        # catch_exceptions=False: a traceback would fail the test, not pass as exit code 1.
        return runner.invoke(cli, ["moderators", *args], catch_exceptions=False)

    assert parley("add", "--site", "demo", "--role", "owner", "Olga@Example.test").exit_code == 0
    assert parley("add", "--site", "demo", f"{OIDC_NAME}:alice").exit_code == 0

    last = parley("remove", "--site", "demo", "olga@example.test")
    assert last.exit_code == 1
    assert "a site keeps at least one owner; name another first" in last.output
    assert "Traceback" not in last.output
    demoted = parley("add", "--site", "demo", "--role", "moderator", "olga@example.test")
    assert demoted.exit_code == 1 and "at least one owner" in demoted.output
    assert parley("list", "--site", "demo").output.splitlines()[0] == "owner\tolga@example.test\t"

    assert parley("remove", "--site", "demo", f"{OIDC_NAME}:alice").exit_code == 0
    with rt.session() as session:
        alice = session.query(Identity).filter_by(provider=OIDC_NAME, subject="alice").one()
        events = session.query(ModerationEvent).order_by(ModerationEvent.id).all()
        assert [(e.actor, e.action, e.note) for e in events] == [
            ("cli", "role_set", "olga@example.test: none -> owner"),
            ("cli", "role_set", f"identity {alice.id}: none -> moderator"),
            ("cli", "role_removed", f"identity {alice.id}: moderator -> none"),
        ]


def test_owning_one_site_does_not_make_an_owner_of_another(web, rt):
    from service.sites import create_site

    with rt.session() as session:
        create_site(session, "owned-elsewhere", "Owned", ["http://owned.example.test"])
        session.commit()
    make_member(rt, f"{OIDC_NAME}:alice", "owner", site="owned-elsewhere")
    make_member(rt, f"{OIDC_NAME}:alice", "moderator")  # only a moderator of demo
    moderator_sign_in(web, "alice")

    def grant(site: str):
        body = {"site": site, "role": "moderator", "email": "bob@example.com"}
        return web.post("/api/v1/moderation/roles", json=body, headers={"Origin": BASE_URL})

    assert grant("owned-elsewhere").status_code == 200
    assert web.get(QUEUE).status_code == 200  # still moderates demo
    refused = grant("demo")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "forbidden"


# -- server-side sessions (hardening #10) and CSRF on cookie writes ----------------------------


def _pending_comment(web) -> int:
    guest = {"name": "Ada", "email": "ada@example.com"}
    posted = web.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/t", "body": "Hello there.", "author": guest},
    )
    return posted.get_json()["comment"]["id"]


def _copy_cookie(app, web):
    thief = app.test_client()
    thief.set_cookie("session", web.get_cookie("session").value)
    return thief


def test_a_copied_cookie_is_dead_after_logout(oidc_app, web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    thief = _copy_cookie(oidc_app, web)
    assert thief.get(QUEUE).status_code == 200

    web.post("/auth/logout", headers={"Origin": BASE_URL})

    response = thief.get(QUEUE)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert thief.get("/auth/me").status_code == 401


def test_the_cookie_holds_a_session_id_not_the_identity(oidc_app, web, rt):
    from service.access import SESSION_KEY
    from service.models import SignInSession
    from service.text import hash_token

    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    serializer = oidc_app.session_interface.get_signing_serializer(oidc_app)
    data = serializer.loads(web.get_cookie("session").value)
    assert "parley_identity" not in data
    session_id = data[SESSION_KEY]
    assert isinstance(session_id, str) and len(session_id) >= 43
    with rt.session() as session:
        row = session.query(SignInSession).one()
        assert row.id_hash == hash_token(session_id) != session_id
        lifetime = (row.expires_at - row.created_at).total_seconds()
    assert lifetime == 12 * 3600  # PARLEY_SESSION_LIFETIME's default


def test_sessions_end_at_their_absolute_lifetime_and_when_idle(oidc_app, web, rt):
    from datetime import timedelta

    from service.models import SignInSession, utcnow

    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    assert web.get(QUEUE).status_code == 200

    with rt.session() as session:
        session.query(SignInSession).update({"expires_at": utcnow() - timedelta(seconds=1)})
        session.commit()
    assert web.get(QUEUE).status_code == 401

    fresh = oidc_app.test_client()
    moderator_sign_in(fresh, "alice")
    assert fresh.get(QUEUE).status_code == 200
    with rt.session() as session:
        assert session.query(SignInSession).count() == 1  # the ended one was swept
    idle = rt.settings.auth.session_idle_timeout
    with rt.session() as session:
        session.query(SignInSession).filter(SignInSession.revoked_at.is_(None)).update(
            {"last_seen_at": utcnow() - timedelta(seconds=idle + 1)}
        )
        session.commit()
    assert fresh.get(QUEUE).status_code == 401


def test_session_lifetime_settings_are_checked(make_app, oidc_provider):
    from service.settings import Settings, SettingsError
    from tests.support.signin import oidc_env

    app = make_app(
        {
            **oidc_env(oidc_provider),
            "PARLEY_SESSION_LIFETIME": "3600",
            "PARLEY_SESSION_IDLE_TIMEOUT": "600",
        }
    )
    auth = app.extensions["parley"].settings.auth
    assert (auth.session_lifetime, auth.session_idle_timeout) == (3600, 600)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"PARLEY_SESSION_LIFETIME": "10", "PARLEY_SESSION_IDLE_TIMEOUT": "x"})
    assert "PARLEY_SESSION_LIFETIME" in str(refused.value)
    assert "PARLEY_SESSION_IDLE_TIMEOUT" in str(refused.value)


def test_log_out_everywhere_ends_every_session_of_that_moderator(oidc_app, web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")
    make_member(rt, f"{OIDC_NAME}:bob")
    laptop, phone, colleague = web, oidc_app.test_client(), oidc_app.test_client()
    moderator_sign_in(laptop, "alice")
    moderator_sign_in(phone, "alice")
    moderator_sign_in(colleague, "bob")

    out = laptop.post("/auth/logout?everywhere=true", headers={"Origin": BASE_URL})

    assert out.get_json()["ended_sessions"] == 2
    assert phone.get(QUEUE).status_code == 401
    assert laptop.get(QUEUE).status_code == 401
    assert colleague.get(QUEUE).status_code == 200


def test_cookie_writes_without_origin_or_from_another_origin_are_refused(web, rt):
    from service.models import Comment

    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    comment_id = _pending_comment(web)
    approve = f"/api/v1/moderation/comments/{comment_id}/approve"

    for headers in (
        {},
        {"Origin": "http://blog.example.test"},
        {"Origin": "null"},
        {"Referer": "http://blog.example.test/post"},
    ):
        response = web.post(approve, headers=headers)
        assert response.status_code == 403, headers
        assert response.get_json()["error"]["code"] == "forbidden"
    with rt.session() as session:
        assert session.get(Comment, comment_id).status == "pending"
        assert session.query(ModerationEvent).filter_by(action="approve").count() == 0

    by_referer = web.post(approve, headers={"Referer": f"{BASE_URL}/moderate?site=demo"})
    assert by_referer.status_code == 200


def test_bearer_token_writes_need_no_origin(oidc_app, web, rt):
    from service.access import create_token

    with rt.session() as session:
        token = create_token(session, session.query(Site).filter_by(slug="demo").one(), "owner")
        session.commit()
    script = oidc_app.test_client()

    response = script.post(
        f"/api/v1/moderation/comments/{_pending_comment(web)}/approve",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200


def test_another_site_cannot_log_a_moderator_out(web, rt):
    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")

    refused = web.post("/auth/logout", headers={"Origin": "http://blog.example.test"})

    assert refused.status_code == 403
    assert web.get(QUEUE).status_code == 200


def test_an_operator_signs_a_moderator_out_everywhere(
    oidc_app, oidc_provider, web, rt, db_url, redis_db_url
):
    from click.testing import CliRunner

    from service.cli import cli
    from tests.support.signin import base_env, oidc_env

    make_member(rt, f"{OIDC_NAME}:alice")
    moderator_sign_in(web, "alice")
    runner = CliRunner(env={**base_env(db_url, redis_db_url), **oidc_env(oidc_provider)})

    out = runner.invoke(
        cli, ["moderators", "sign-out", f"{OIDC_NAME}:alice"], catch_exceptions=False
    )

    assert out.exit_code == 0 and "1 session(s) ended" in out.output, out.output
    assert web.get(QUEUE).status_code == 401
    nobody = runner.invoke(cli, ["moderators", "sign-out", f"{OIDC_NAME}:nemo"])
    assert nobody.exit_code == 1 and "never signed in" in nobody.output
