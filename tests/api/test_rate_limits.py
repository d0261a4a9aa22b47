"""Rate limits (service/limits.py): every route that writes and sign-in, per client address
and per identity, 429 in the error shape with Retry-After, and no 500 while Redis is down."""

from __future__ import annotations

from service.access import create_token
from service.limits import ROUTES
from service.models import Site
from tests.support.apps import DEMO, ensure_sites
from tests.support.live_server import free_port

READ_ONLY = {"GET", "HEAD", "OPTIONS"}
SIGN_IN = {"auth.login", "auth.callback", "auth.logout"}


def _token(app) -> str:
    rt = app.extensions["parley"]
    site = ensure_sites(rt, [DEMO])[0]
    with rt.session() as session:
        token = create_token(session, session.get(Site, site.id), "moderator")
        session.commit()
    return token


def _act(client, token: str, ip: str = "10.0.0.1"):
    return client.post(
        "/api/v1/moderation/comments/999/approve",
        headers={"Authorization": f"Bearer {token}"},
        environ_base={"REMOTE_ADDR": ip},
    )


def _assert_limited(response) -> None:
    assert response.status_code == 429, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and error["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert error["retry_after"] == int(response.headers["Retry-After"])


def test_every_route_that_writes_and_every_sign_in_route_is_limited(app):
    writes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods - READ_ONLY and rule.endpoint != "static"
    }
    assert writes | SIGN_IN <= set(ROUTES), sorted((writes | SIGN_IN) - set(ROUTES))
    assert set(ROUTES) <= set(app.view_functions)  # nothing listed that no longer exists


def test_moderation_over_the_limit_answers_429_with_retry_after(make_app, settings):
    app = make_app(settings.overridden(limits={"moderate_per_minute": 2}))
    client, token = app.test_client(), _token(app)
    codes = [_act(client, token).status_code for _ in range(2)]
    assert codes == [404, 404]  # counted before the view looks: probing costs too
    _assert_limited(_act(client, token))


def test_one_identity_is_limited_from_any_address(make_app, settings):
    app = make_app(settings.overridden(limits={"moderate_per_minute": 2}))
    client, token = app.test_client(), _token(app)
    assert [_act(client, token, ip=f"10.0.0.{i}").status_code for i in (1, 2)] == [404, 404]
    _assert_limited(_act(client, token, ip="10.0.0.3"))


def test_one_address_is_limited_whatever_token_it_brings(make_app, settings):
    app = make_app(settings.overridden(limits={"moderate_per_minute": 2}))
    client = app.test_client()
    tokens = [_token(app) for _ in range(3)]
    assert [_act(client, t).status_code for t in tokens[:2]] == [404, 404]
    _assert_limited(_act(client, tokens[2]))
    assert _act(client, tokens[2], ip="10.9.9.9").status_code == 404  # another reader is free


def test_sign_in_is_limited(make_app, settings):
    app = make_app(settings.overridden(limits={"signin_per_minute": 3}))
    client = app.test_client()
    codes = [client.get("/auth/nosuch/login?site=demo").status_code for _ in range(3)]
    assert 429 not in codes
    _assert_limited(client.get("/auth/nosuch/login?site=demo"))


def test_zero_turns_a_group_off(make_app, settings):
    app = make_app(settings.overridden(limits={"moderate_per_minute": 0}))
    client, token = app.test_client(), _token(app)
    assert {_act(client, token).status_code for _ in range(5)} == {404}


def test_redis_down_limits_in_memory_and_never_answers_500(make_app, settings, caplog):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = make_app(
        settings.overridden(
            redis_url=dead,
            web={"submit_rate_per_minute": 2},
            limits={"moderate_per_minute": 2},
        )
    )
    client, token = app.test_client(), _token(app)
    comment = {
        "site": "demo",
        "thread": "/t",
        "body": "Written while Redis is down.",
        "author": {"name": "Ada", "email": "ada@example.com"},
    }
    assert [client.post("/api/v1/comments", json=comment).status_code for _ in range(2)] == [
        202,
        202,
    ]
    _assert_limited(client.post("/api/v1/comments", json=comment))
    assert [_act(client, token).status_code for _ in range(2)] == [404, 404]
    _assert_limited(_act(client, token))
    assert "falling back to in-memory storage" in caplog.text
    assert "Traceback" not in caplog.text and "ada@example.com" not in caplog.text
