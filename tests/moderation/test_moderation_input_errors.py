"""Garbage at the moderation and notification pages is a 4xx page or the one
error shape, never a 500."""

from __future__ import annotations

from tests.moderation.helpers import bearer


def test_dashboard_and_link_pages_refuse_garbage(client, site, moderator_token):
    auth = bearer(moderator_token)
    for path in (
        "/moderate?status=bogus",
        "/moderate?cursor=abc",
        "/moderate?limit=0",
        "/moderate?site=" + "x" * 100,
    ):
        response = client.get(path, headers=auth)
        assert response.status_code == 400, path
    assert client.get("/moderate?site=nope", headers=auth).status_code == 403
    for form in (
        {"action": "nuke", "ids": ["1"]},
        {"action": "spam", "ids": ["x"]},
        {"one": "abc"},
        {"one": "1:explode"},
    ):
        assert client.post("/moderate/act", headers=auth, data=form).status_code == 422, form
    # No ids: nothing to do, back to the queue.
    assert client.post("/moderate/act", headers=auth, data={"action": "spam"}).status_code == 303
    # Without a bearer token, a form needs the session's CSRF token.
    assert client.post("/moderate/act", data={"action": "spam", "ids": ["1"]}).status_code == 403
    for token in ("x", "a.b.c", "%00", "e30.AAAA.BBBB"):
        assert client.get(f"/moderate/mail/{token}").status_code == 400
        assert client.post(f"/moderate/mail/{token}").status_code == 400
        assert client.get(f"/notifications/unsubscribe/{token}").status_code == 400


def test_reply_opt_in_validates_its_body(client, site):
    for body in (
        {},
        {"site": "demo"},
        {"site": "demo", "comment": "1"},
        {"site": "demo", "comment": 1, "extra": True},
    ):
        response = client.post("/api/v1/notifications/replies", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["code"] == "validation_failed"
    unknown = client.post("/api/v1/notifications/replies", json={"site": "nope", "comment": 1})
    assert unknown.status_code == 422
