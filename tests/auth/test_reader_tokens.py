"""Reader tokens as the API sees them: bound to a site, expiring, tamper-proof, revocable."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from service.auth.readers import READER_TOKEN_SALT, issue_reader_token
from service.models import Identity, RevokedToken, Site, utcnow
from tests.support.signin import SECRET_KEY, SITE_ORIGIN


@pytest.fixture
def app(make_app):
    return make_app({})


@pytest.fixture
def web(app):
    return app.test_client()


@pytest.fixture
def reader(app):
    """An identity and the ids of the two sites."""
    rt = app.extensions["parley"]
    with rt.session() as session:
        identity = Identity(
            provider="github",
            subject="1001",
            name="Alice Liddell",
            email="alice@example.test",
            email_verified=True,
            avatar_url="https://avatars.example.test/alice.png",
        )
        session.add(identity)
        session.commit()
        sites = {s.slug: s.id for s in session.query(Site)}
        return identity.id, sites


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def comment(web, token: str, site: str = "demo"):
    return web.post(
        "/api/v1/comments",
        json={"site": site, "thread": "/posts/hello", "body": "Hello from a reader."},
        headers={**bearer(token), "Origin": SITE_ORIGIN},
    )


def test_token_identifies_the_reader_on_its_site(web, reader):
    identity_id, sites = reader
    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])

    me = web.get("/auth/me?site=demo", headers=bearer(token))

    assert me.status_code == 200
    assert me.get_json()["identity"]["provider"] == "github"
    assert comment(web, token).status_code == 202


def token_issued(seconds_ago: int, identity_id: int, site_id: int) -> str:
    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    old = URLSafeTimedSerializer(SECRET_KEY, salt=READER_TOKEN_SALT, signer=Earlier)
    return old.dumps({"i": identity_id, "s": site_id, "j": f"{seconds_ago:016x}"})


def test_expired_token_is_refused(web, reader):
    identity_id, sites = reader
    token = token_issued(86400 + 60, identity_id, sites["demo"])  # the default lifetime is a day

    me = web.get("/auth/me?site=demo", headers=bearer(token))

    assert me.status_code == 401
    assert me.get_json()["error"]["message"] == "your sign-in has expired; sign in again"
    assert comment(web, token).status_code == 401
    assert (
        web.get(
            "/auth/me?site=demo",
            headers=bearer(token_issued(86400 - 60, identity_id, sites["demo"])),
        ).status_code
        == 200
    )


def test_token_lifetime_is_configured_by_the_environment(make_app):
    app = make_app({"PARLEY_READER_TOKEN_TTL": "600"})
    web = app.test_client()
    with app.extensions["parley"].session() as session:
        identity = Identity(provider="github", subject="7", name="Short Lived")
        session.add(identity)
        session.commit()
        ids = identity.id, session.query(Site).filter_by(slug="demo").one().id

    assert web.get("/auth/me?site=demo", headers=bearer(token_issued(540, *ids))).status_code == 200
    assert web.get("/auth/me?site=demo", headers=bearer(token_issued(660, *ids))).status_code == 401


def test_tampered_token_is_refused(web, reader):
    identity_id, sites = reader
    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])
    payload, timestamp, signature = token.rsplit(".", 2)
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]

    for forged in (
        f"{payload}.{timestamp}.{flipped}",
        issue_reader_token("someone-elses-secret", identity_id, sites["demo"]),
    ):
        me = web.get("/auth/me?site=demo", headers=bearer(forged))
        assert me.status_code == 401
        assert me.get_json()["error"]["message"] == "the sign-in token is not valid"


def test_token_for_another_site_is_refused(web, reader):
    identity_id, sites = reader
    token = issue_reader_token(SECRET_KEY, identity_id, sites["other"])

    me = web.get("/auth/me?site=demo", headers=bearer(token))

    assert me.status_code == 401
    assert "another site" in me.get_json()["error"]["message"]
    assert comment(web, token).status_code == 401


def test_logout_revokes_the_token(web, reader):
    identity_id, sites = reader
    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])
    other = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])

    out = web.post("/auth/logout?site=demo", headers=bearer(token))

    assert out.status_code == 200
    assert out.get_json() == {"revoked_token": True, "cleared_session": False, "ended_sessions": 0}
    assert web.get("/auth/me?site=demo", headers=bearer(token)).status_code == 401
    assert comment(web, token).status_code == 401
    # Only that sign-in ended: a token from another sign-in still works.
    assert web.get("/auth/me?site=demo", headers=bearer(other)).status_code == 200
    # Logging out twice is harmless.
    assert web.post("/auth/logout?site=demo", headers=bearer(token)).status_code == 200


def test_logout_forgets_revocations_older_than_a_token_lives(web, app, reader):
    identity_id, sites = reader
    rt = app.extensions["parley"]
    with rt.session() as session:
        session.add(RevokedToken(jti="old", revoked_at=utcnow() - timedelta(days=1, minutes=1)))
        session.add(RevokedToken(jti="recent", revoked_at=utcnow() - timedelta(hours=23)))
        session.commit()

    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])
    assert web.post("/auth/logout?site=demo", headers=bearer(token)).status_code == 200

    with rt.session() as session:
        assert sorted(session.scalars(sa.select(RevokedToken.jti))) == sorted(
            ["recent", token_jti(token)]
        )


def token_jti(token: str) -> str:
    return URLSafeTimedSerializer(SECRET_KEY, salt=READER_TOKEN_SALT).loads(token)["j"]


def test_bearer_requests_must_name_the_site(web, reader):
    identity_id, sites = reader
    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])

    for response in (
        web.get("/auth/me", headers=bearer(token)),
        web.post("/auth/logout", headers=bearer(token)),
    ):
        assert response.status_code == 422
        assert response.get_json()["error"]["field"] == "site"


def test_me_without_any_sign_in_is_401(web):
    response = web.get("/auth/me?site=demo")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_site_requiring_sign_in_refuses_guests_and_accepts_readers(web, app, reader):
    identity_id, sites = reader
    rt = app.extensions["parley"]
    with rt.session() as session:
        session.get(Site, sites["demo"]).policy = {"require_signin": True}
        session.commit()

    guest = web.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/t",
            "body": "Hi",
            "author": {"name": "A", "email": "a@b.co"},
        },
    )
    assert guest.status_code == 401
    token = issue_reader_token(SECRET_KEY, identity_id, sites["demo"])
    assert comment(web, token).status_code == 202


@pytest.mark.parametrize(("method", "path"), [("GET", "/auth/me"), ("POST", "/auth/logout")])
def test_site_pages_may_send_the_token_across_origins(web, method, path):
    preflight = web.options(
        f"{path}?site=demo",
        headers={
            "Origin": SITE_ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization",
        },
    )

    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    assert method in preflight.headers["Access-Control-Allow-Methods"]
    stranger = web.options(f"{path}?site=demo", headers={"Origin": "http://evil.example.test"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
