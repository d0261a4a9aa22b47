"""Host-site SSO through the API: a host's JWT becomes a reader token, and nothing else does."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from service.auth import jwks
from service.auth.readers import issue_reader_token
from service.auth.sso import configure_sso, sso_of
from service.errors import ApiError
from service.models import Comment, Identity, Site, SiteMember, SiteSso
from tests.support.signin import SECRET_KEY, SITE_ORIGIN
from tests.support.sso import SSO_SECRET, JwksHost, claims_for, hs256_with, sign_hs256, unsigned


@pytest.fixture
def app(make_app):
    return make_app({})


@pytest.fixture
def web(app):
    return app.test_client()


@pytest.fixture
def rt(app):
    return app.extensions["parley"]


def _site(session, slug="demo") -> Site:
    return session.scalar(sa.select(Site).where(Site.slug == slug))


@pytest.fixture
def with_secret(rt):
    with rt.session() as session:
        configure_sso(
            session, _site(session), settings=rt.settings, actor="test", secret=SSO_SECRET
        )
        session.commit()


@pytest.fixture
def private_ok(rt):
    """The JWKS host is on loopback, as on an intranet install (PARLEY_SSO_ALLOW_PRIVATE=1)."""
    rt.settings = rt.settings.overridden(auth={"sso_allow_private": True})


def sso(web, token: str, site: str = "demo", origin: str = SITE_ORIGIN):
    return web.post("/auth/sso", json={"site": site, "token": token}, headers={"Origin": origin})


def test_a_host_token_signs_the_reader_in_and_they_can_comment(web, rt, with_secret):
    response = sso(web, sign_hs256(claims_for("demo", email="h@example.test")))
    assert response.status_code == 200, response.json
    body = response.json
    assert body["expires_in"] > 0
    assert body["identity"]["provider"] == "site:demo"
    assert body["identity"]["provider_label"] == "Demo blog"
    assert body["identity"]["name"] == "Hostie McHost"
    # An address the owner did not vouch for is not verified, whatever the token says.
    assert body["identity"]["email_verified"] is False

    headers = {"Authorization": f"Bearer {body['token']}", "Origin": SITE_ORIGIN}
    me = web.get("/auth/me?site=demo", headers=headers)
    assert me.status_code == 200 and me.json["identity"]["provider_label"] == "Demo blog"
    posted = web.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/sso", "body": "Commenting as my host account."},
        headers=headers,
    )
    assert posted.status_code == 202, posted.json
    with rt.session() as session:
        comment = session.get(Comment, posted.json["comment"]["id"])
        assert comment.author_name == "Hostie McHost"
        identity = session.get(Identity, comment.identity_id)
        assert (identity.provider, identity.subject) == ("site:demo", "host-user-1")


def test_the_secret_is_sealed_at_rest_and_short_ones_are_refused(rt, with_secret):
    with rt.session() as session:
        row = session.scalar(sa.select(SiteSso))
        assert row.secret and SSO_SECRET not in row.secret
        with pytest.raises(ApiError) as refused:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", secret="too-short"
            )
        assert refused.value.extra["field"] == "sso_secret" and "32 bytes" in refused.value.message


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("expired", lambda: sign_hs256(claims_for("demo", exp=claims_for("demo")["iat"] - 600))),
        ("wrong secret", lambda: sign_hs256(claims_for("demo"), "another-secret-" + "x" * 32)),
        ("alg none", lambda: unsigned(claims_for("demo"))),
        ("wrong aud", lambda: sign_hs256(claims_for("other"))),
        ("no aud", lambda: sign_hs256(claims_for("demo", aud=None))),
        ("no exp", lambda: sign_hs256(claims_for("demo", exp=None))),
        ("no sub", lambda: sign_hs256(claims_for("demo", sub=None))),
        (
            "a week long",
            lambda: sign_hs256(claims_for("demo", exp=claims_for("demo")["iat"] + 7 * 86400)),
        ),
        (
            "not yet valid",
            lambda: sign_hs256(claims_for("demo", nbf=claims_for("demo")["iat"] + 3600)),
        ),
        ("not a jwt", lambda: "not.a.jwt"),
    ],
)
def test_bad_tokens_are_refused_with_the_reason_in_the_log_only(
    web, with_secret, caplog, case, make
):
    with caplog.at_level(logging.WARNING, logger="service.auth.views"):
        response = sso(web, make())
    assert response.status_code == 401, case
    assert response.json["error"]["code"] == "unauthorized"
    assert response.json["error"]["message"] == "the site's sign-in token was not accepted"
    assert any("SSO token refused for site demo" in r.getMessage() for r in caplog.records)


def test_a_replayed_token_is_refused(web, with_secret, caplog):
    token = sign_hs256(claims_for("demo", jti="once-only-1"))
    assert sso(web, token).status_code == 200
    with caplog.at_level(logging.WARNING, logger="service.auth.views"):
        assert sso(web, token).status_code == 401
    assert any("already used" in r.getMessage() for r in caplog.records)
    # Without a jti, the same token may be traded again until it expires.
    plain = sign_hs256(claims_for("demo"))
    assert sso(web, plain).status_code == 200
    assert sso(web, plain).status_code == 200


def test_sites_without_sso_and_foreign_origins_are_refused(web, with_secret):
    other = sso(
        web, sign_hs256(claims_for("other")), site="other", origin="http://other.example.test"
    )
    assert other.status_code == 401
    foreign = sso(web, sign_hs256(claims_for("demo")), origin="https://evil.example.test")
    assert foreign.status_code == 403
    assert sso(web, sign_hs256(claims_for("demo")), site="nope").status_code == 404


def test_a_site_account_never_works_on_another_site(web, rt, with_secret):
    token = sso(web, sign_hs256(claims_for("demo"))).json["token"]
    with rt.session() as session:
        identity = session.scalar(sa.select(Identity).where(Identity.provider == "site:demo"))
        other = _site(session, "other")
        forged = issue_reader_token(SECRET_KEY, identity.id, other.id)
    assert (
        web.get("/auth/me?site=other", headers={"Authorization": f"Bearer {token}"}).status_code
        == 401
    )
    refused = web.get("/auth/me?site=other", headers={"Authorization": f"Bearer {forged}"})
    assert refused.status_code == 401
    assert refused.json["error"]["message"] == "this account belongs to another site"


def test_a_verified_address_links_to_a_role_only_when_the_owner_trusts_the_host(web, rt):
    with rt.session() as session:
        site = _site(session)
        session.add(SiteMember(site_id=site.id, email="mod@example.test", role="moderator"))
        configure_sso(session, site, settings=rt.settings, actor="t", secret=SSO_SECRET)
        session.commit()
    claims = claims_for("demo", sub="m1", email="mod@example.test", email_verified=True)
    first = sso(web, sign_hs256(claims)).json
    assert first["identity"]["email_verified"] is False
    with rt.session() as session:
        configure_sso(session, _site(session), settings=rt.settings, actor="t", trust_email=True)
        session.commit()
    second = sso(web, sign_hs256(claims)).json
    assert second["identity"]["email_verified"] is True
    unverified = sso(web, sign_hs256({**claims, "sub": "m2", "email_verified": False})).json
    assert unverified["identity"]["email_verified"] is False


def test_a_jwks_signed_token_works_and_a_rotated_key_is_picked_up(web, rt, private_ok, monkeypatch):
    monkeypatch.setattr(jwks, "REFRESH_FLOOR", 0.0)
    host = JwksHost("RSA")
    with host.serve():
        with rt.session() as session:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", jwks_url=host.url
            )
            session.commit()
        assert sso(web, host.sign(claims_for("demo"))).status_code == 200
        fetched = host.fetches
        assert sso(web, host.sign(claims_for("demo", sub="2"))).status_code == 200
        assert host.fetches == fetched  # cached
        old = host.key
        host.rotate()
        assert sso(web, host.sign(claims_for("demo", sub="3"))).status_code == 200
        assert host.fetches == fetched + 1
        # The old key left the published set: tokens it signs stop working.
        assert sso(web, host.sign(claims_for("demo", sub="4"), key=old)).status_code == 401
        # A public key used as an HS256 secret (algorithm confusion) is refused.
        public_pem = host.key.as_pem(private=False)
        forged = hs256_with(claims_for("demo"), public_pem, kid=host.key.kid)
        assert sso(web, forged).status_code == 401
        assert sso(web, unsigned(claims_for("demo"))).status_code == 401


def test_an_ec_jwks_works_too(web, rt, private_ok):
    host = JwksHost("EC")
    with host.serve():
        with rt.session() as session:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", jwks_url=host.url
            )
            session.commit()
        assert sso(web, host.sign(claims_for("demo"))).status_code == 200


def test_a_jwks_on_a_private_address_is_refused_unless_allowed(rt):
    host = JwksHost()
    with host.serve(), rt.session() as session:
        with pytest.raises(ApiError) as refused:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", jwks_url=host.url
            )
        assert refused.value.extra["field"] == "sso_jwks_url"
        assert "may not reach" in refused.value.message
        assert host.fetches == 0
        assert sso_of(session, _site(session)) is None


def test_a_jwks_host_that_is_down_is_a_503_not_a_refusal(web, rt, private_ok, caplog):
    host = JwksHost("EC")
    with host.serve():
        with rt.session() as session:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", jwks_url=host.url
            )
            session.commit()
        token = host.sign(claims_for("demo"))
    jwks._SETS.clear()  # a fresh process: nothing cached, and the host has gone away
    with caplog.at_level(logging.WARNING, logger="service.auth.views"):
        response = sso(web, token)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "unavailable"
    assert any("unreachable" in r.getMessage() for r in caplog.records)


def test_made_up_key_ids_do_not_hammer_the_host(web, rt, private_ok, monkeypatch):
    monkeypatch.setattr(jwks, "REFRESH_FLOOR", 60.0)
    host = JwksHost("EC")
    with host.serve():
        with rt.session() as session:
            configure_sso(
                session, _site(session), settings=rt.settings, actor="t", jwks_url=host.url
            )
            session.commit()
        assert sso(web, host.sign(claims_for("demo"))).status_code == 200
        fetched = host.fetches
        stranger = JwksHost("EC")  # keys nobody published, with kids never seen
        for sub in ("a", "b", "c"):
            assert sso(web, stranger.sign(claims_for("demo", sub=sub))).status_code == 401
            stranger.rotate()
        assert host.fetches == fetched  # within the floor, the cached set answers
