"""An unpublished comment is its author's and the moderators' business (hardening, low): the
POST answers with a key only the author holds, and only the key, the author's reader token or a
moderator's token shows the comment as it is. Anyone else may still ask (and long-poll) whether
an id is decided, as the peers' harness does, and learns only ``{"id", "status"}`` with status
"pending" or "held": no text, author, thread or reasons, and spam or rejected read "held".
Moderation routes ask who is calling before they look anything up."""

from __future__ import annotations

import threading
import time

import pytest

from service.auth.readers import issue_reader_token
from service.events import announce_decision
from service.models import Comment, Identity, Site
from tests.support.waiting import wait_until


def _status(client, cid: int, **kwargs):
    return client.get(f"/api/v1/comments/{cid}", **kwargs)


def _set_status(rt, cid: int, status: str) -> None:
    with rt.session() as session:
        session.get(Comment, cid).status = status
        session.commit()


def test_a_pending_comment_is_shown_in_full_to_its_author_and_moderators_only(
    client, post, moderator_token
):
    created = post().get_json()
    cid, key = created["comment"]["id"], created["key"]

    mine = _status(client, cid, query_string={"key": key}).get_json()["comment"]
    assert mine["status"] == "pending" and mine["thread"] == created["comment"]["thread"]
    # A key with characters no key has (compare_digest refuses non-ASCII str) is a stranger too.
    hostile = ({"query_string": {"key": "é" * 32}}, {"query_string": {"key": "\u202e" + key}})
    other = post().get_json()["key"]
    strangers = ({}, {"query_string": {"key": "x" * 32}}, {"query_string": {"key": other}})
    for stranger in (*strangers, *hostile, {"headers": {"Authorization": "Bearer pmt_nope"}}):
        answer = _status(client, cid, **stranger)
        assert answer.status_code == 200
        assert answer.get_json() == {"comment": {"id": cid, "status": "pending"}}
    as_moderator = _status(client, cid, headers={"Authorization": f"Bearer {moderator_token}"})
    assert as_moderator.status_code == 200
    assert as_moderator.get_json()["comment"]["status"] == "pending"
    assert as_moderator.get_json()["comment"]["thread"] == created["comment"]["thread"]


def test_an_id_that_does_not_exist_is_a_404_and_is_not_waited_for(client):
    started = time.monotonic()
    answer = _status(client, 999999, query_string={"wait": 10})
    assert answer.status_code == 404
    assert answer.get_json()["error"] == {"code": "not_found", "message": "no comment 999999"}
    assert time.monotonic() - started < 5  # far short of the 10 s wait, however slow the box


@pytest.mark.parametrize("status", ["held", "spam", "rejected"])
def test_strangers_see_a_judged_comment_only_as_held(client, post, rt, status):
    created = post("Judged, with a secret body.").get_json()
    cid, key = created["comment"]["id"], created["key"]
    _set_status(rt, cid, status)

    stranger = _status(client, cid).get_json()
    assert stranger == {"comment": {"id": cid, "status": "held"}}
    assert "secret body" not in _status(client, cid).get_data(as_text=True)
    # The author still learns the real outcome.
    assert _status(client, cid, query_string={"key": key}).get_json()["comment"]["status"] == status


def test_a_stranger_may_long_poll_a_decision(client, post, rt):
    cid = post().get_json()["comment"]["id"]
    seen = {}

    def wait_for_it():
        seen["answer"] = _status(client, cid, query_string={"wait": 10}).get_json()

    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    assert wait_until(rt.redis.pubsub_numpat, timeout=30)
    assert "answer" not in seen  # still waiting: nobody decided yet
    _set_status(rt, cid, "spam")
    announce_decision(rt.redis, cid, 0, "spam")
    waiter.join(30)
    assert seen["answer"] == {"comment": {"id": cid, "status": "held"}}


def test_published_comments_are_public_and_signed_in_authors_need_no_key(client, rt, site, post):
    with rt.session() as session:
        identity = Identity(provider="oidc", subject="ada", name="Ada")
        session.add(identity)
        session.commit()
        ada, someone = identity.id, Identity(provider="oidc", subject="bob")
        session.add(someone)
        session.commit()
        bob = someone.id
    token = issue_reader_token(rt.settings.secret_key, ada, site.id)
    created = client.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/t", "body": "Mine, signed in."},
        headers={"Authorization": f"Bearer {token}"},
    )
    cid = created.get_json()["comment"]["id"]

    mine = _status(client, cid, headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    bobs = issue_reader_token(rt.settings.secret_key, bob, site.id)
    assert _status(client, cid, headers={"Authorization": f"Bearer {bobs}"}).get_json() == {
        "comment": {"id": cid, "status": "pending"}
    }

    with rt.session() as session:
        session.get(Comment, cid).status = "published"
        session.commit()
    assert _status(client, cid).get_json()["comment"]["status"] == "published"


def test_moderation_routes_answer_401_before_looking_anything_up(client, post, site, rt):
    cid = post().get_json()["comment"]["id"]
    with rt.session() as session:
        assert session.get(Site, site.id) is not None
    missing = 999999
    pairs = [
        (
            "post",
            f"/api/v1/moderation/comments/{cid}/approve",
            f"/api/v1/moderation/comments/{missing}/approve",
        ),
        (
            "post",
            f"/api/v1/moderation/comments/{cid}/bogus",
            f"/api/v1/moderation/comments/{missing}/bogus",
        ),
        ("delete", f"/api/v1/moderation/comments/{cid}", f"/api/v1/moderation/comments/{missing}"),
        ("get", "/api/v1/moderation/comments?site=demo", "/api/v1/moderation/comments?site=nope"),
        ("get", "/api/v1/moderation/audit?site=demo", "/api/v1/moderation/audit?site=nope"),
        ("get", "/api/v1/moderation/webhooks?site=demo", "/api/v1/moderation/webhooks?site=nope"),
        ("delete", "/api/v1/moderation/bans/1", f"/api/v1/moderation/bans/{missing}"),
    ]
    for method, existing, absent in pairs:
        first = getattr(client, method)(existing)
        second = getattr(client, method)(absent)
        assert first.status_code == second.status_code == 401, (existing, first.status_code)
        assert first.get_json() == second.get_json()


def test_a_key_with_non_ascii_characters_is_a_wrong_key_not_a_500(client, post):
    cid = post("Pending, keyed.").get_json()["comment"]["id"]
    answer = client.get(f"/api/v1/comments/{cid}?key=%C3%A9t%C3%A9")
    assert answer.status_code == 200
    assert answer.get_json() == {"comment": {"id": cid, "status": "pending"}}
