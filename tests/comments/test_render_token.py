"""The render token vouches for one comment, on the thread it was shown for (hardening, low)."""

from __future__ import annotations

import sqlalchemy as sa

from service.models import CheckResultRow, Comment


def _token(client, thread="/posts/hello"):
    answer = client.get(f"/api/v1/render-token?site=demo&thread={thread}")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()["render_token"]


def _stored(rt, cid):
    with rt.session() as session:
        signals = session.get(Comment, cid).client
        speed = session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == cid, CheckResultRow.check == "submit_speed"
            )
        )
        return signals["render_token"], speed


def test_a_token_is_spent_by_its_first_comment_and_the_answer_carries_the_next(
    client, post, drain, rt
):
    token = _token(client)
    first = post("First thoughts on this.", client={"render_token": token}).get_json()
    replay = post("Same token again.", client={"render_token": token}).get_json()
    following = post("Next one.", client={"render_token": first["render_token"]}).get_json()
    drain()
    verdict, speed = _stored(rt, first["comment"]["id"])
    assert verdict == "ok" and speed.reason.startswith("submitted")
    verdict, speed = _stored(rt, replay["comment"]["id"])
    assert verdict == "reused" and speed.score > 0 and "already spent" in speed.reason
    assert _stored(rt, following["comment"]["id"])[0] == "ok"
    assert first["render_token"] != token


def test_a_token_from_another_thread_or_none_is_a_weak_signal_not_a_hold(client, post, drain, rt):
    elsewhere = post("Hello.", client={"render_token": _token(client, "/posts/other")}).get_json()
    bare = post("Hello again, no widget here.").get_json()
    forged = post("Forged.", client={"render_token": "x" * 40}).get_json()
    drain()
    for created, verdict in ((elsewhere, "other_thread"), (bare, "missing"), (forged, "forged")):
        got, speed = _stored(rt, created["comment"]["id"])
        assert got == verdict
        assert 0 < speed.score < 0.5
    # Weak signals only: an ordinary comment without a token is still published.
    status = client.get(f"/api/v1/comments/{bare['comment']['id']}").get_json()["comment"]
    assert status["status"] == "published"


def test_redis_down_keeps_the_timing(client, post, drain, rt, monkeypatch):
    import redis

    token = _token(client)

    def down(*_a, **_k):
        raise redis.ConnectionError("down")

    monkeypatch.setattr(rt.redis, "set", down)
    created = post("Written during a blip.", client={"render_token": token}).get_json()
    monkeypatch.undo()
    drain()
    assert _stored(rt, created["comment"]["id"])[0] == "ok"
