"""An unpublished comment's status is its author's and the moderators' business (hardening,
low): the POST answers with a key only the author holds; everyone else gets the 404 of an id
that does not exist. Moderation routes ask who is calling before they look anything up."""

from __future__ import annotations

from service.auth.readers import issue_reader_token
from service.models import Comment, Identity, Site


def _status(client, cid: int, **kwargs):
    return client.get(f"/api/v1/comments/{cid}", **kwargs)


def test_a_pending_comment_is_shown_to_its_author_and_moderators_only(
    client, post, moderator_token
):
    created = post().get_json()
    cid, key = created["comment"]["id"], created["key"]

    assert _status(client, cid, query_string={"key": key}).get_json()["comment"]["status"] == (
        "pending"
    )
    # A key with characters no key has (compare_digest refuses non-ASCII str) is a stranger too.
    hostile = ({"query_string": {"key": "é" * 32}}, {"query_string": {"key": "\u202e" + key}})
    for stranger in ({}, {"query_string": {"key": "x" * 32}}, *hostile):
        answer = _status(client, cid, **stranger)
        assert answer.status_code == 404
        assert answer.get_json() == _status(client, 999999).get_json() | {
            "error": {"code": "not_found", "message": f"no comment {cid}"}
        }
    other = post().get_json()["key"]
    assert _status(client, cid, query_string={"key": other}).status_code == 404
    as_moderator = _status(client, cid, headers={"Authorization": f"Bearer {moderator_token}"})
    assert as_moderator.status_code == 200
    assert as_moderator.get_json()["comment"]["status"] == "pending"
    assert _status(client, cid, headers={"Authorization": "Bearer pmt_nope"}).status_code == 404


def test_a_long_poll_without_the_key_does_not_wait(client, post):
    import time

    cid = post().get_json()["comment"]["id"]
    started = time.monotonic()
    assert _status(client, cid, query_string={"wait": 2}).status_code == 404
    assert time.monotonic() - started < 1


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
    assert _status(client, cid, headers={"Authorization": f"Bearer {bobs}"}).status_code == 404

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
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "not_found"
