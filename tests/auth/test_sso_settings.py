"""Turning SSO on and off: `parley sites update` and PATCH /api/v1/sites/{slug}."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from service.access import create_token
from service.cli import cli
from service.models import ModerationEvent, Site, SiteSso
from tests.support.signin import SITE_ORIGIN, base_env
from tests.support.sso import SSO_SECRET, JwksHost, claims_for, sign_hs256


@pytest.fixture
def app(make_app):
    return make_app({})


@pytest.fixture
def web(app):
    return app.test_client()


@pytest.fixture
def rt(app):
    return app.extensions["parley"]


@pytest.fixture
def parley(db_url, redis_db_url, app):
    def run(*args: str, env: dict | None = None, input: str | None = None):
        runner = CliRunner(env={**base_env(db_url, redis_db_url), **(env or {})})
        return runner.invoke(cli, ["sites", "update", *args], input=input, catch_exceptions=False)

    return run


def token_for(rt, slug: str, role: str) -> str:
    with rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == slug))
        token = create_token(session, site, role)
        session.commit()
    return token


def sso(web, token: str):
    return web.post(
        "/auth/sso", json={"site": "demo", "token": token}, headers={"Origin": SITE_ORIGIN}
    )


def test_the_cli_turns_sso_on_with_a_secret_and_off_again(parley, web):
    assert sso(web, sign_hs256(claims_for("demo"))).status_code == 401
    done = parley("demo", "--sso-secret", SSO_SECRET)
    assert done.exit_code == 0, done.output
    assert "sso: HS256 shared secret" in done.output and SSO_SECRET not in done.output
    assert sso(web, sign_hs256(claims_for("demo"))).status_code == 200

    short = parley("demo", "--sso-secret", "short")
    assert short.exit_code == 1 and "at least 32 bytes" in short.output
    from_stdin = parley("demo", "--sso-secret", "-", input="z" * 40 + "\n")
    assert from_stdin.exit_code == 0
    assert sso(web, sign_hs256(claims_for("demo"))).status_code == 401  # the old secret
    assert sso(web, sign_hs256(claims_for("demo"), "z" * 40)).status_code == 200

    off = parley("demo", "--no-sso")
    assert off.exit_code == 0 and "sso: off" in off.output
    assert sso(web, sign_hs256(claims_for("demo"), "z" * 40)).status_code == 401
    assert parley("nope", "--sso-secret", SSO_SECRET).exit_code == 1


def test_the_cli_takes_a_jwks_url_through_the_guard(parley, web):
    host = JwksHost()
    with host.serve():
        refused = parley("demo", "--sso-jwks-url", host.url)
        assert refused.exit_code == 1 and "may not reach" in refused.output
        allowed = parley("demo", "--sso-jwks-url", host.url, env={"PARLEY_SSO_ALLOW_PRIVATE": "1"})
        assert allowed.exit_code == 0, allowed.output
        assert f"sso: JWKS {host.url}" in allowed.output


def test_only_an_owner_patches_the_site(web, rt):
    body = {"sso_secret": SSO_SECRET}
    assert web.patch("/api/v1/sites/demo", json=body).status_code == 401
    moderator = {"Authorization": f"Bearer {token_for(rt, 'demo', 'moderator')}"}
    assert web.patch("/api/v1/sites/demo", json=body, headers=moderator).status_code == 403
    other_owner = {"Authorization": f"Bearer {token_for(rt, 'other', 'owner')}"}
    assert web.patch("/api/v1/sites/demo", json=body, headers=other_owner).status_code == 403

    owner = {"Authorization": f"Bearer {token_for(rt, 'demo', 'owner')}"}
    done = web.patch("/api/v1/sites/demo", json=body, headers=owner)
    assert done.status_code == 200, done.json
    assert done.json["slug"] == "demo"
    assert done.json["sso"] == {
        "enabled": True,
        "method": "secret",
        "algorithms": ["HS256"],
        "jwks_url": None,
        "trust_email": False,
    }
    assert SSO_SECRET not in done.get_data(as_text=True)
    assert sso(web, sign_hs256(claims_for("demo"))).status_code == 200

    trust = web.patch("/api/v1/sites/demo", json={"sso_trust_email": True}, headers=owner)
    assert trust.json["sso"]["trust_email"] is True and trust.json["sso"]["method"] == "secret"

    bad = web.patch("/api/v1/sites/demo", json={"sso_secret": "short"}, headers=owner)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "sso_secret"
    both = web.patch(
        "/api/v1/sites/demo",
        json={"sso_secret": SSO_SECRET, "sso_jwks_url": "https://keys.example.test/jwks"},
        headers=owner,
    )
    assert both.status_code == 422
    unknown = web.patch("/api/v1/sites/demo", json={"sso_algorithm": "none"}, headers=owner)
    assert unknown.status_code == 422

    off = web.patch("/api/v1/sites/demo", json={"sso_enabled": False}, headers=owner)
    assert off.status_code == 200 and off.json["sso"]["enabled"] is False
    assert sso(web, sign_hs256(claims_for("demo"))).status_code == 401
    with rt.session() as session:
        assert session.scalar(sa.select(SiteSso)) is None
        notes = session.scalars(
            sa.select(ModerationEvent.note).where(ModerationEvent.action == "sso_changed")
        ).all()
    assert len(notes) == 3 and notes[-1] == "SSO turned off"
