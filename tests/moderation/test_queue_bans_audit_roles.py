"""The moderation API beyond one-comment actions: queue filters, bulk, bans,
the banned-author check, the audit log, roles and webhooks; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from service.models import Ban, ModerationEvent, utcnow
from tests.moderation.helpers import bearer, hold_everything, post_from, status_of

HELD = "/api/v1/moderation/comments?site=demo&status=held"


def test_queue_filters_by_thread_author_and_text_newest_first(
    client, rt, site, drain, moderator_token
):
    hold_everything(rt, site)
    a = post_from(client, "Lovely photos of the harbour", "Ada", "ada@example.com", "10.0.0.1")
    b = post_from(client, "Cheap pills here", "Bob", "bob@example.com", "10.0.0.2", "/posts/two")
    c = post_from(client, "More harbour talk", "Bob", "bob@example.com", "10.0.0.2")
    drain()
    auth = bearer(moderator_token)

    def ids(query: str) -> list[int]:
        response = client.get(HELD + query, headers=auth)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["comments"]]

    assert ids("") == [c, b, a]
    assert ids("&thread=/posts/two") == [b]
    assert ids("&author=BOB") == [c, b]
    assert ids("&q=harbour") == [c, a]
    assert ids("&author=bob&q=harbour&thread=") == [c]
    item = client.get(HELD, headers=auth).get_json()["comments"][0]
    assert item["status_reason"] == "site holds every comment for review"
    checks = {k["check"]: k for k in item["checks"]}
    assert {"link_count", "banned_author", "trust"} <= set(checks)
    assert all(isinstance(k["score"], float) and k["reason"] for k in item["checks"])
    everything = client.get("/api/v1/moderation/comments?site=demo&status=all", headers=auth)
    assert len(everything.get_json()["comments"]) == 3


def test_bulk_clears_a_wave_and_reports_each_id(client, rt, site, drain, moderator_token):
    hold_everything(rt, site)
    wave = [
        post_from(client, f"Buy now {i}", "Spammer", "s@spam.example.com", "10.0.0.9")
        for i in range(4)
    ]
    drain()
    auth = bearer(moderator_token)
    client.post(f"/api/v1/moderation/comments/{wave[0]}/approve", headers=auth)

    response = client.post(
        "/api/v1/moderation/bulk", headers=auth, json={"ids": [*wave, 999999], "action": "spam"}
    )

    body = response.get_json()
    assert response.status_code == 200
    assert body["changed"] == 4 and body["failed"] == 1
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id[wave[0]]["from_status"] == "published"  # approved, then filed as spam
    assert by_id[999999]["error"]["code"] == "not_found"
    assert all(status_of(rt, i) == "spam" for i in wave)
    with rt.session() as session:
        spams = session.query(ModerationEvent).filter_by(action="spam").count()
    assert spams == 4


def test_bulk_rejects_bad_input_with_the_error_shape(client, site, moderator_token):
    auth = bearer(moderator_token)
    for payload in (
        {"ids": [], "action": "spam"},
        {"ids": [1], "action": "nuke"},
        {"ids": ["1"], "action": "spam"},
        {"ids": [1]},
    ):
        response = client.post("/api/v1/moderation/bulk", headers=auth, json=payload)
        assert response.status_code == 422, payload
        assert response.get_json()["error"]["code"] == "validation_failed"
    assert (
        client.post("/api/v1/moderation/bulk", json={"ids": [1], "action": "spam"}).status_code
        == 401
    )


def test_ban_holds_the_authors_next_comment_and_can_be_lifted(
    client, rt, site, drain, moderator_token, owner_token
):
    first = post_from(client, "Perfectly fine words", "Mallory", "mal@example.com", "10.0.0.5")
    drain()
    assert status_of(rt, first) == "published"
    auth = bearer(moderator_token)

    response = client.post(
        f"/api/v1/moderation/comments/{first}/ban",
        headers=auth,
        json={"expires_in_days": 7, "reason": "trolling"},
    )

    assert response.status_code == 200, response.get_json()
    ban = response.get_json()["ban"]
    assert ban["email"] == "mal@example.com" and ban["ip_hash"] and ban["identity_id"] is None
    assert ban["expires_at"] is not None
    assert response.get_json()["comment"]["status"] == "spam"
    # Same email from another address, and another name from the same address.
    by_email = post_from(client, "Back again", "M.", "MAL@example.com", "10.0.0.6")
    by_ip = post_from(client, "Not me at all", "Someone", "other@example.com", "10.0.0.5")
    innocent = post_from(client, "Hello there", "Ada", "ada@example.com", "10.0.0.7")
    drain()
    assert status_of(rt, by_email) == "held"
    assert status_of(rt, by_ip) == "held"
    assert status_of(rt, innocent) == "published"
    item = next(
        i for i in client.get(HELD, headers=auth).get_json()["comments"] if i["id"] == by_email
    )
    banned = next(k for k in item["checks"] if k["check"] == "banned_author")
    assert banned["score"] == 1.0 and f"ban {ban['id']}" in banned["reason"]

    listed = client.get("/api/v1/moderation/bans?site=demo", headers=auth).get_json()["bans"]
    assert [b["id"] for b in listed] == [ban["id"]]
    # Moderators ban; only owners lift.
    assert client.delete(f"/api/v1/moderation/bans/{ban['id']}", headers=auth).status_code == 403
    lifted = client.delete(f"/api/v1/moderation/bans/{ban['id']}", headers=bearer(owner_token))
    assert lifted.status_code == 204
    assert client.get("/api/v1/moderation/bans?site=demo", headers=auth).get_json()["bans"] == []
    later = post_from(client, "Sorry about that", "Mallory", "mal@example.com", "10.0.0.5")
    drain()
    assert status_of(rt, later) == "published"


def test_an_expired_ban_no_longer_holds(client, rt, site, drain, moderator_token):
    first = post_from(client, "First words", "Eve", "eve@example.com", "10.0.1.1")
    drain()
    client.post(
        f"/api/v1/moderation/comments/{first}/ban",
        headers=bearer(moderator_token),
        json={"expires_in_days": 1},
    )
    with rt.session() as session:
        session.query(Ban).one().expires_at = utcnow() - timedelta(minutes=1)
        session.commit()
    later = post_from(client, "Much later", "Eve", "eve@example.com", "10.0.1.1")
    drain()
    assert status_of(rt, later) == "published"
    listed = client.get(
        "/api/v1/moderation/bans?site=demo&include_expired=true", headers=bearer(moderator_token)
    ).get_json()["bans"]
    assert len(listed) == 1


def test_audit_log_lists_who_did_what_from_and_to(client, rt, site, drain, moderator_token):
    hold_everything(rt, site)
    one = post_from(client, "Held for review", "Ada", "ada@example.com", "10.0.2.1")
    two = post_from(client, "Personal data", "Ada", "ada@example.com", "10.0.2.1")
    drain()
    auth = bearer(moderator_token)
    client.post(f"/api/v1/moderation/comments/{one}/approve", headers=auth)
    client.delete(f"/api/v1/moderation/comments/{two}", headers=auth)

    response = client.get("/api/v1/moderation/audit?site=demo", headers=auth)

    events = response.get_json()["events"]
    # The fixture's token was made first, and making a token is audited too.
    actions = ["delete", "approve", "decide", "decide", "token_created"]
    assert [e["action"] for e in events] == actions
    delete, approve, decide = events[:3]
    assert approve["actor"].startswith("token:") and approve["comment_id"] == one
    assert (approve["from_status"], approve["to_status"]) == ("held", "published")
    assert decide["actor"] == "worker" and decide["to_status"] == "held"
    # The deleted comment's row is gone; its deletion names it in the note.
    assert delete["from_status"] == "held" and f"deleted comment {two}" in delete["note"]
    people = client.get("/api/v1/moderation/audit?site=demo&people_only=true", headers=auth)
    people_actions = [e["action"] for e in people.get_json()["events"]]
    assert people_actions == ["delete", "approve", "token_created"]
    assert client.get("/api/v1/moderation/audit?site=demo").status_code == 401


def test_roles_are_managed_by_owners_only(client, rt, site, moderator_token, owner_token):
    owner, mod = bearer(owner_token), bearer(moderator_token)
    grant = {"site": "demo", "role": "moderator", "email": "New.Mod@example.com"}

    assert client.post("/api/v1/moderation/roles", headers=mod, json=grant).status_code == 403
    created = client.post("/api/v1/moderation/roles", headers=owner, json=grant)
    assert created.status_code == 200, created.get_json()
    member = created.get_json()["member"]
    assert member["email"] == "new.mod@example.com" and member["role"] == "moderator"
    promoted = client.post(
        "/api/v1/moderation/roles", headers=owner, json={**grant, "role": "owner"}
    )
    assert promoted.get_json()["member"]["role"] == "owner"
    listed = client.get("/api/v1/moderation/roles?site=demo", headers=mod).get_json()["members"]
    assert [m["email"] for m in listed] == ["new.mod@example.com"]
    # The last owner stays.
    last = client.delete(f"/api/v1/moderation/roles/{member['id']}", headers=owner)
    assert last.status_code == 409
    with rt.session() as session:
        notes = [e.note for e in session.query(ModerationEvent).filter_by(action="role_set")]
    assert notes == [
        "new.mod@example.com: none -> moderator",
        "new.mod@example.com: moderator -> owner",
    ]


def test_webhooks_are_owner_managed_and_documented(client, rt, site, moderator_token, owner_token):
    # A receiver on loopback, as on an intranet install (PARLEY_WEBHOOK_ALLOW_PRIVATE=1).
    rt.settings = rt.settings.overridden(webhooks={"allow_private": True})
    hook = {"site": "demo", "url": "http://127.0.0.1:9/hook", "events": ["comment.held"]}
    assert (
        client.post(
            "/api/v1/moderation/webhooks", headers=bearer(moderator_token), json=hook
        ).status_code
        == 403
    )
    bad = client.post(
        "/api/v1/moderation/webhooks", headers=bearer(owner_token), json={**hook, "url": "ftp://x"}
    )
    assert bad.status_code == 422

    created = client.post("/api/v1/moderation/webhooks", headers=bearer(owner_token), json=hook)

    assert created.status_code == 201
    assert created.get_json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/moderation/webhooks?site=demo", headers=bearer(owner_token))
    assert [h["events"] for h in listed.get_json()["webhooks"]] == [["comment.held"]]
    assert "secret" not in listed.get_json()["webhooks"][0]
    hook_id = created.get_json()["webhook"]["id"]
    gone = client.delete(f"/api/v1/moderation/webhooks/{hook_id}", headers=bearer(owner_token))
    assert gone.status_code == 204

    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [
        ("/api/v1/moderation/bulk", "post"),
        ("/api/v1/moderation/comments/{comment_id}/ban", "post"),
        ("/api/v1/moderation/bans", "get"),
        ("/api/v1/moderation/bans/{ban_id}", "delete"),
        ("/api/v1/moderation/audit", "get"),
        ("/api/v1/moderation/roles", "post"),
        ("/api/v1/moderation/webhooks", "post"),
        ("/api/v1/notifications/replies", "post"),
    ]:
        assert method in paths.get(path, {}), (path, method)
