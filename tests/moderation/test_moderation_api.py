"""Moderation API: bearer tokens, compare-and-set actions, audit rows."""

from __future__ import annotations

import sqlalchemy as sa

from service.models import ModerationEvent


def held_comment(post, drain, client) -> int:
    links = " ".join(f"https://l{i}.example" for i in range(4))
    created = post(f"look {links}").get_json()
    cid = created["comment"]["id"]
    drain()
    # The author's key: only they (and moderators) see a held comment's status.
    status = client.get(f"/api/v1/comments/{cid}?key={created['key']}").get_json()
    assert status["comment"]["status"] == "held"
    return cid


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_queue_shows_every_check_with_score_and_reason(client, post, drain, moderator_token):
    cid = held_comment(post, drain, client)
    page = client.get(
        "/api/v1/moderation/comments?site=demo&status=held", headers=auth(moderator_token)
    )
    assert page.status_code == 200
    item = next(c for c in page.get_json()["comments"] if c["id"] == cid)
    assert item["author"]["email"] == "ada@example.com"
    checks = {c["check"]: c for c in item["checks"]}
    assert checks["link_count"]["score"] >= 0.5
    assert "4 links" in checks["link_count"]["reason"]
    assert item["status_reason"].startswith("link_count")


def test_queue_pages_newest_first(client, post, drain, moderator_token):
    ids = [held_comment(post, drain, client) for _ in range(3)]
    first = client.get(
        "/api/v1/moderation/comments?site=demo&limit=2", headers=auth(moderator_token)
    ).get_json()
    assert [c["id"] for c in first["comments"]] == ids[::-1][:2]
    rest = client.get(
        f"/api/v1/moderation/comments?site=demo&limit=2&cursor={first['next_cursor']}",
        headers=auth(moderator_token),
    ).get_json()
    assert [c["id"] for c in rest["comments"]] == [ids[0]] and rest["next_cursor"] is None


def test_approve_publishes_and_is_audited_once(client, post, drain, moderator_token, rt):
    cid = held_comment(post, drain, client)
    first = client.post(f"/api/v1/moderation/comments/{cid}/approve", headers=auth(moderator_token))
    assert first.status_code == 200
    assert first.get_json() | {} == {
        "id": cid,
        "action": "approve",
        "from_status": "held",
        "status": "published",
        "changed": True,
    }
    again = client.post(f"/api/v1/moderation/comments/{cid}/approve", headers=auth(moderator_token))
    assert again.status_code == 200 and again.get_json()["changed"] is False
    listing = client.get("/api/v1/comments?site=demo&thread=/posts/hello").get_json()
    assert [c["id"] for c in listing["comments"]] == [cid]
    with rt.session() as session:
        events = session.scalars(
            sa.select(ModerationEvent).where(
                ModerationEvent.comment_id == cid, ModerationEvent.action == "approve"
            )
        ).all()
    assert len(events) == 1 and events[0].actor.startswith("token:")
    assert (events[0].from_status, events[0].to_status) == ("held", "published")


def test_impossible_transition_is_409(client, post, drain, moderator_token):
    cid = held_comment(post, drain, client)
    response = client.post(f"/api/v1/moderation/comments/{cid}/ham", headers=auth(moderator_token))
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "invalid_transition"


def test_spam_then_ham(client, post, drain, moderator_token):
    cid = held_comment(post, drain, client)
    assert (
        client.post(
            f"/api/v1/moderation/comments/{cid}/spam", headers=auth(moderator_token)
        ).get_json()["status"]
        == "spam"
    )
    assert (
        client.post(
            f"/api/v1/moderation/comments/{cid}/ham", headers=auth(moderator_token)
        ).get_json()["status"]
        == "published"
    )


def test_without_token_401_and_other_site_403(client, post, drain, moderator_token, rt):
    from service.access import create_token
    from service.sites import create_site

    cid = held_comment(post, drain, client)
    assert client.post(f"/api/v1/moderation/comments/{cid}/approve").status_code == 401
    bad = client.post(f"/api/v1/moderation/comments/{cid}/approve", headers=auth("pmt_nope"))
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "unauthorized"
    with rt.session() as session:
        other = create_site(session, "other", "Other", ["http://other.example"])
        other_token = create_token(session, other, "moderator")
        session.commit()
    denied = client.post(f"/api/v1/moderation/comments/{cid}/approve", headers=auth(other_token))
    assert denied.status_code == 403 and denied.get_json()["error"]["code"] == "forbidden"
    assert (
        client.get("/api/v1/moderation/comments?site=demo", headers=auth(other_token)).status_code
        == 403
    )


def test_unknown_action_and_comment(client, site, moderator_token):
    assert (
        client.post(
            "/api/v1/moderation/comments/1/explode", headers=auth(moderator_token)
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/moderation/comments/999/approve", headers=auth(moderator_token)
        ).status_code
        == 404
    )
    bad = client.get(
        "/api/v1/moderation/comments?site=demo&status=weird", headers=auth(moderator_token)
    )
    assert bad.status_code == 422
