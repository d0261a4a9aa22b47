"""PATCH /api/v1/sites/{slug} and `parley sites update`: owners only, validated by the same
Policy model, origins checked, merged key by key, audited; the CLI maps its flags onto the
same body."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service.access import create_token
from service.cli import cli
from service.models import ModerationEvent, Site
from service.policy import Policy
from tests.moderation.helpers import bearer
from tests.support.apps import OTHER, ensure_sites
from tests.support.signin import base_env


def _token(rt, slug: str, role: str) -> str:
    with rt.session() as session:
        site = session.query(Site).filter_by(slug=slug).one()
        token = create_token(session, site, role)
        session.commit()
    return token


def test_owner_changes_policy_and_origins_and_the_audit_log_says_what(
    client, rt, site, owner_token
):
    response = client.patch(
        "/api/v1/sites/demo",
        json={
            "policy": {"max_depth": 3, "checks": {"toxicity_model": {"hold": 0.8}}},
            "allowed_origins": ["https://blog.example.com/", "https://www.example.com:8443"],
        },
        headers=bearer(owner_token),
    )
    assert response.status_code == 200, response.get_json()
    out = response.get_json()
    assert out["allowed_origins"] == ["https://blog.example.com", "https://www.example.com:8443"]
    assert out["policy"]["max_depth"] == 3
    assert out["effective_policy"]["max_depth"] == 3
    assert out["effective_policy"]["max_links"] == 2  # a default, filled in

    # Merged key by key: a second change keeps the first; null resets a key.
    response = client.patch(
        "/api/v1/sites/demo",
        json={"policy": {"premoderate": True, "max_depth": None}},
        headers=bearer(owner_token),
    )
    with rt.session() as session:
        stored = session.get(Site, site.id)
        policy = Policy.of(stored.policy)
        assert policy.premoderate and policy.max_depth == 5
        assert policy.thresholds_for("toxicity_model").hold == 0.8
        notes = [
            e.note for e in session.query(ModerationEvent).filter_by(action="site_updated").all()
        ]
    assert len(notes) == 2
    assert "policy.max_depth: None -> 3" in notes[0] and "allowed_origins" in notes[0]
    assert "policy.premoderate" in notes[1]

    # Nothing to change: 200, no audit row.
    client.patch(
        "/api/v1/sites/demo", json={"policy": {"premoderate": True}}, headers=bearer(owner_token)
    )
    with rt.session() as session:
        assert session.query(ModerationEvent).filter_by(action="site_updated").count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"policy": {"max_link": 3}}, "unknown policy key(s) max_link"),
        ({"policy": {"max_depth": "deep"}}, "max_depth"),
        ({"policy": {"checks": {"akismet": {"enabeld": False}}}}, "checks.akismet.enabeld"),
        ({"allowed_origins": ["javascript:alert(1)"]}, "is not an origin"),
        ({"allowed_origins": ["https://example.com/path"]}, "is not an origin"),
        ({"allowed_origins": ["https://user:pw@example.com"]}, "is not an origin"),
        ({"name": ""}, "name"),
        ({"slug": "renamed"}, "not a known field"),
        ({"policy": "premoderate"}, "policy"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_stored(
    client, rt, site, owner_token, body, message
):
    response = client.patch("/api/v1/sites/demo", json=body, headers=bearer(owner_token))
    assert response.status_code == 422, response.get_json()
    assert message in response.get_json()["error"]["message"]
    with rt.session() as session:
        assert session.get(Site, site.id).policy == {}
        assert session.query(ModerationEvent).filter_by(action="site_updated").count() == 0


def test_only_owners_of_this_site(client, rt, site, moderator_token):
    ensure_sites(rt, [OTHER])
    other_owner = _token(rt, "other", "owner")
    change = {"policy": {"premoderate": True}}
    assert client.patch("/api/v1/sites/demo", json=change).status_code == 401
    for token, can_read in ((moderator_token, 200), (other_owner, 403)):
        patched = client.patch("/api/v1/sites/demo", json=change, headers=bearer(token))
        read = client.get("/api/v1/sites/demo", headers=bearer(token))
        assert (patched.status_code, read.status_code) == (403, can_read), patched.get_json()
    missing = client.get("/api/v1/sites/nope", headers=bearer(other_owner))
    assert missing.status_code == 404
    with rt.session() as session:
        assert session.get(Site, site.id).policy == {}


def test_cli_sites_update_maps_its_flags_onto_the_same_change(
    rt, site, db_url, redis_db_url, monkeypatch
):
    for name, value in base_env(db_url, redis_db_url).items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "sites", "update", "demo", "--name", "The Demo",
            "--origin", "https://a.example.com", "--origin", "https://b.example.com/",
            "--policy", '{"max_links": 4}',
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "name, allowed_origins, policy changed" in result.output
    result = runner.invoke(
        cli, ["sites", "update", "demo", "--add-origin", "https://c.example.com",
              "--remove-origin", "https://a.example.com"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with rt.session() as session:
        stored = session.get(Site, site.id)
        assert stored.name == "The Demo" and stored.policy == {"max_links": 4}
        assert stored.allowed_origins == ["https://b.example.com", "https://c.example.com"]
        actors = {e.actor for e in session.query(ModerationEvent).filter_by(action="site_updated")}
        assert actors == {"cli"}

    refused = runner.invoke(cli, ["sites", "update", "demo", "--policy", '{"max_link": 3}'])
    assert refused.exit_code == 1 and "unknown policy key(s) max_link" in refused.output
    refused = runner.invoke(cli, ["sites", "update", "demo", "--origin", "ftp://x.example"])
    assert refused.exit_code == 1 and "is not an origin" in refused.output
    refused = runner.invoke(cli, ["sites", "update", "nope", "--name", "x"])
    assert refused.exit_code == 1 and "unknown site" in refused.output
