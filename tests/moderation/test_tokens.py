"""API tokens expire, are revoked, and are listed without their secrets (hardening #9): the
CLI, the owners' API and ``make run``'s reused token."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from service.access import SESSION_KEY, create_token, set_role, start_session
from service.cli import cli
from service.models import ApiToken, Identity, ModerationEvent, Site, utcnow
from tests.support.apps import BASE_URL
from tests.support.signin import base_env

QUEUE = "/api/v1/moderation/comments?site=demo"
TOKENS = "/api/v1/moderation/tokens"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def parley(db_url, redis_db_url, site):
    runner = CliRunner(env=base_env(db_url, redis_db_url))

    def run(*args: str):
        # catch_exceptions=False: a traceback fails the test instead of passing as exit 1.
        return runner.invoke(cli, ["tokens", *args], catch_exceptions=False)

    return run


@pytest.fixture
def signed_in_owner(client, rt, site):
    """The client carries a live server-side session of an owner of demo."""
    with rt.session() as session:
        identity = Identity(provider="oidc", subject="olga", email="olga@example.test")
        session.add(identity)
        session.flush()
        set_role(session, site.id, "owner", "test", identity_id=identity.id)
        session_id = start_session(session, identity, 3600)
        session.commit()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = session_id
    return client


def _token_row(rt, token_id: int) -> ApiToken:
    with rt.session() as session:
        return session.get(ApiToken, token_id)


def test_expired_and_revoked_tokens_answer_401(client, rt, site):
    with rt.session() as session:
        demo = session.get(Site, site.id)
        expired = create_token(session, demo, "moderator", expires_in=timedelta(seconds=-1))
        revoked = create_token(session, demo, "moderator")
        live = create_token(session, demo, "moderator", expires_in=timedelta(days=1))
        session.query(ApiToken).filter(ApiToken.label.is_(None)).filter(
            ApiToken.expires_at.is_(None)
        ).update({"revoked_at": utcnow()})
        session.commit()

    for token in (expired, revoked, "pmt_made-up"):
        answer = client.get(QUEUE, headers=bearer(token))
        assert answer.status_code == 401
        assert answer.get_json()["error"]["code"] == "unauthorized"
        assert token not in answer.get_data(as_text=True)
    assert client.get(QUEUE, headers=bearer(live)).status_code == 200


def test_a_use_is_recorded(client, rt, moderator_token):
    with rt.session() as session:
        row = session.query(ApiToken).one()
        assert row.last_used_at is None

    assert client.get(QUEUE, headers=bearer(moderator_token)).status_code == 200

    used = _token_row(rt, row.id).last_used_at
    assert used is not None and utcnow() - used < timedelta(minutes=1)


def test_cli_creates_with_a_30_day_default_lists_without_secrets_and_revokes(parley, client, rt):
    made = parley("create", "--site", "demo", "--label", "ci")
    assert made.exit_code == 0, made.output
    token = made.output.split()[-1]
    forever = parley("create", "--site", "demo", "--role", "owner", "--expires-in", "never")
    short = parley("create", "--site", "demo", "--expires-in", "12h")
    assert forever.exit_code == 0 and short.exit_code == 0
    assert parley("create", "--site", "demo", "--expires-in", "400d").exit_code == 2
    assert parley("create", "--site", "demo", "--expires-in", "soon").exit_code == 2

    rows = [json.loads(line) for line in parley("list", "--json").output.splitlines()]
    assert [r["label"] for r in rows] == ["ci", None, None]
    first = _token_row(rt, rows[0]["id"])
    assert first.expires_at - first.created_at == timedelta(days=30)
    assert rows[1]["expires_at"] is None and rows[1]["role"] == "owner"
    assert rows[0]["prefix"] == token[:8] and all(r["live"] for r in rows)
    table = parley("list", "--site", "demo").output
    assert token not in table and forever.output.split()[-1] not in table
    assert table.splitlines()[0].startswith("id\tprefix\tsite\trole")
    assert "never" in table.splitlines()[2]

    assert client.get(QUEUE, headers=bearer(token)).status_code == 200
    revoked = parley("revoke", str(rows[0]["id"]))
    assert revoked.exit_code == 0, revoked.output
    assert client.get(QUEUE, headers=bearer(token)).status_code == 401
    again = json.loads(parley("list", "--json").output.splitlines()[0])
    assert again["revoked_at"] is not None and again["live"] is False
    assert parley("revoke", "999").exit_code == 1
    with rt.session() as session:
        actions = [e.action for e in session.query(ModerationEvent).order_by(ModerationEvent.id)]
    assert actions == ["token_created"] * 3 + ["token_revoked"]


def test_owner_api_lists_creates_and_revokes(signed_in_owner, rt, site):
    web = signed_in_owner
    own = {"Origin": BASE_URL}

    made = web.post(TOKENS, json={"site": "demo", "label": "deploy"}, headers=own)

    assert made.status_code == 201
    created = made.get_json()
    secret, token_id = created["secret"], created["token"]["id"]
    assert secret.startswith("pmt_") and created["token"]["prefix"] == secret[:8]
    assert created["token"]["created_by"] == "oidc:olga"
    listed = web.get(f"{TOKENS}?site=demo").get_json()["tokens"]
    assert [t["id"] for t in listed] == [token_id]
    assert secret not in json.dumps(listed)
    assert web.get(QUEUE, headers=bearer(secret)).status_code == 200

    assert web.delete(f"{TOKENS}/{token_id}", headers=own).status_code == 204
    assert web.get(QUEUE, headers=bearer(secret)).status_code == 401
    with rt.session() as session:
        notes = {e.action: e.note for e in session.query(ModerationEvent)}
    assert set(notes) == {"role_set", "token_created", "token_revoked"}
    assert secret not in notes["token_created"] and secret[:8] in notes["token_created"]


def test_tokens_cannot_mint_tokens_and_strangers_learn_nothing(client, rt, site, moderator_token):
    with rt.session() as session:
        owner = create_token(session, session.get(Site, site.id), "owner")
        session.commit()
    minted = client.post(TOKENS, json={"site": "demo"}, headers=bearer(owner))
    assert minted.status_code == 403
    assert client.get(f"{TOKENS}?site=demo", headers=bearer(moderator_token)).status_code == 403
    listed = client.get(f"{TOKENS}?site=demo", headers=bearer(owner)).get_json()["tokens"]

    # No credentials: the same 401 for a token that exists and one that does not.
    for token_id in (listed[0]["id"], 999999):
        answer = client.delete(f"{TOKENS}/{token_id}")
        assert answer.status_code == 401
        assert answer.get_json()["error"]["code"] == "unauthorized"
    assert client.delete(f"{TOKENS}/999999", headers=bearer(owner)).status_code == 404
    assert client.delete(f"{TOKENS}/{listed[1]['id']}", headers=bearer(owner)).status_code == 204


def test_token_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/moderation/tokens"])
    assert "delete" in paths["/api/v1/moderation/tokens/{token_id}"]


def test_make_run_reuses_its_token_while_it_works(rt, settings, site, tmp_path, client):
    from service.devstack import DEMO_TOKEN_FILE, demo_token

    first, reused_first = demo_token(settings, tmp_path)
    second, reused_second = demo_token(settings, tmp_path)

    assert (reused_first, reused_second) == (False, True)
    assert first == second == (tmp_path / DEMO_TOKEN_FILE).read_text()
    assert (tmp_path / DEMO_TOKEN_FILE).stat().st_mode & 0o777 == 0o600
    assert client.get(QUEUE, headers=bearer(first)).status_code == 200
    with rt.session() as session:
        assert session.query(ApiToken).count() == 1
        session.query(ApiToken).update({"revoked_at": utcnow()})
        session.commit()

    third, reused_third = demo_token(settings, tmp_path)
    assert not reused_third and third != first
    assert client.get(QUEUE, headers=bearer(third)).status_code == 200
