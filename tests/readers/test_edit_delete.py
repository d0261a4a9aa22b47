"""Authors edit and delete their own comments within the site's window: an edit is checked
again (pending, then the worker's decision) and keeps its history for moderators; a deleted
comment with replies stays as a tombstone."""

from __future__ import annotations

from datetime import timedelta

from service.auth.readers import issue_reader_token
from service.models import Comment, Identity

SECRET = "X-Parley-Comment-Secret"


def _edit(client, cid, body, headers):
    return client.patch(f"/api/v1/comments/{cid}", json={"body": body}, headers=headers)


def test_the_guest_author_edits_with_the_secret_and_the_worker_decides_again(
    client, published, listing, drain, moderator_token
):
    (created,) = published("Frist!")
    cid, secret = created["comment"]["id"], created["secret"]
    assert secret and secret != created["key"]

    edited = _edit(client, cid, "First, with *emphasis*.", {SECRET: secret})
    assert edited.status_code == 200, edited.get_json()
    answer = edited.get_json()
    assert answer["comment"]["status"] == "pending" and answer["comment"]["edited"] is True
    # Not on the page until the worker has looked at the new text.
    assert listing()["comments"] == []
    status = client.get(f"/api/v1/comments/{cid}", query_string={"key": answer["key"]})
    assert status.get_json()["comment"]["status"] == "pending"
    drain()
    (shown,) = listing()["comments"]
    assert shown["body_html"] == "<p>First, with <em>emphasis</em>.</p>"
    assert shown["edited"] is True and shown["edited_at"]

    auth = {"Authorization": f"Bearer {moderator_token}"}
    history = client.get(f"/api/v1/moderation/comments/{cid}/history", headers=auth).get_json()
    assert [e["body_source"] for e in history["edits"]] == ["Frist!"]
    assert history["edits"][0]["status"] == "published"
    assert history["body_source"] == "First, with *emphasis*."
    assert client.get(f"/api/v1/moderation/comments/{cid}/history").status_code == 401


def test_an_edit_into_spam_is_not_published(client, published, listing, drain):
    (created,) = published("A harmless remark.")
    cid = created["comment"]["id"]
    links = " ".join(f"https://spam{i}.example/buy" for i in range(6))
    assert (
        _edit(client, cid, f"Great deals {links}", {SECRET: created["secret"]}).status_code == 200
    )
    drain()
    assert listing()["comments"] == []
    status = client.get(f"/api/v1/comments/{cid}", query_string={"key": created["key"]})
    assert status.get_json()["comment"]["status"] in ("held", "spam")


def test_only_the_author_within_the_window_may_edit(client, published, rt, set_policy, post):
    first, other = published("Mine", "Someone else's")
    cid = first["comment"]["id"]
    wrong = _edit(client, cid, "Hijacked", {SECRET: other["secret"]})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    assert _edit(client, cid, "Hijacked", {}).status_code == 403
    # A header with characters no secret has is refused like any wrong secret, never a 500.
    latin = first["secret"][:-1] + "\u00e9"
    assert _edit(client, cid, "Hijacked", {SECRET: latin}).status_code == 403
    # A pending comment of someone else: not even its existence is told.
    pending = post("still pending").get_json()
    assert _edit(client, pending["comment"]["id"], "x", {}).status_code == 404
    # Its author is asked to wait for the first decision.
    busy = _edit(client, pending["comment"]["id"], "x", {SECRET: pending["secret"]})
    assert busy.status_code == 409

    with rt.session() as session:
        row = session.get(Comment, cid)
        row.created_at = row.created_at - timedelta(minutes=16)
        session.commit()
    late = _edit(client, cid, "Too late", {SECRET: first["secret"]})
    assert late.status_code == 403 and "15 minutes" in late.get_json()["error"]["message"]
    set_policy(edit_window_minutes=60)
    assert _edit(client, cid, "In time after all", {SECRET: first["secret"]}).status_code == 200
    set_policy(edit_window_minutes=0)
    assert (
        client.delete(f"/api/v1/comments/{cid}", headers={SECRET: first["secret"]}).status_code
        == 403
    )


def test_bad_edits_get_the_error_shape(client, published):
    (created,) = published("Original")
    cid, h = created["comment"]["id"], {SECRET: created["secret"]}
    for body in ({}, {"body": ""}, {"body": "   "}, {"body": "x" * 10_001}, {"body": 3}):
        answer = client.patch(f"/api/v1/comments/{cid}", json=body, headers=h)
        assert answer.status_code == 422, body
        assert answer.get_json()["error"]["code"] == "validation_failed"
    assert client.patch(f"/api/v1/comments/{cid}", data="body=x", headers=h).status_code == 415
    assert _edit(client, 987_654, "x", h).status_code == 404


def test_a_signed_in_author_edits_and_deletes_with_their_reader_token(
    client, rt, site, drain, listing
):
    with rt.session() as session:
        ada = Identity(provider="oidc", subject="ada-edit", name="Ada")
        session.add(ada)
        session.commit()
        ada_id = ada.id
    h = {"Authorization": f"Bearer {issue_reader_token(rt.settings.secret_key, ada_id, site.id)}"}
    cid = client.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/posts/hello", "body": "Signed-in words."},
        headers=h,
    ).get_json()["comment"]["id"]
    drain()
    assert _edit(client, cid, "Better signed-in words.", h).status_code == 200
    drain()
    assert listing()["comments"][0]["body_html"] == "<p>Better signed-in words.</p>"
    gone = client.delete(f"/api/v1/comments/{cid}", headers=h)
    assert gone.get_json() == {"id": cid, "deleted": True, "tombstone": False}
    assert listing()["comments"] == [] and listing()["total"] == 0


def test_a_deleted_comment_with_replies_stays_as_a_tombstone(
    client, published, post, drain, listing, rt
):
    (parent,) = published("I will regret this")
    pid = parent["comment"]["id"]
    reply = post("A reply that stays", parent=pid).get_json()["comment"]["id"]
    drain()
    gone = client.delete(f"/api/v1/comments/{pid}", headers={SECRET: parent["secret"]})
    assert gone.status_code == 200 and gone.get_json()["tombstone"] is True
    page = listing()
    assert [c["id"] for c in page["comments"]] == [pid, reply]
    tomb = page["comments"][0]
    assert tomb["deleted"] is True and tomb["body_html"] is None and tomb["author"] is None
    assert page["total"] == 1
    counts = client.get("/api/v1/counts?site=demo&thread=/posts/hello").get_json()
    assert counts["counts"]["/posts/hello"] == 1
    with rt.session() as session:
        row = session.get(Comment, pid)
        assert (row.body_source, row.author_name, row.author_email) == ("", None, None)
    # Deleting twice, or editing the deleted one, finds nothing.
    again = client.delete(f"/api/v1/comments/{pid}", headers={SECRET: parent["secret"]})
    assert again.status_code == 404
