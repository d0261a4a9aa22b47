"""Votes (one per reader, not replayable), the three orders with replies under their parents,
and pinned comments first."""

from __future__ import annotations

from service.auth.readers import issue_reader_token
from service.comments.ranking import wilson_lower_bound
from service.models import Identity
from tests.readers.conftest import guest


def _vote(client, cid, value, headers=None):
    return client.post(f"/api/v1/comments/{cid}/vote", json={"value": value}, headers=headers or {})


def test_a_guest_votes_once_and_a_replayed_vote_changes_nothing(client, published, listing):
    (a,) = published("Worth a vote")
    cid = a["comment"]["id"]
    first = _vote(client, cid, 1, guest("browser-one"))
    assert first.status_code == 200
    assert first.get_json() == {"id": cid, "value": 1, "votes": 1, "score": None}
    # The same request again (a replay) is the same vote, not a second one.
    assert _vote(client, cid, 1, guest("browser-one")).get_json()["votes"] == 1
    # Another browser on the same network is another reader.
    assert _vote(client, cid, 1, guest("browser-two")).get_json()["votes"] == 2
    comment = listing()["comments"][0]
    assert (comment["votes"], comment["score"]) == (2, None)
    # 0 takes the vote back.
    assert _vote(client, cid, 0, guest("browser-one")).get_json()["votes"] == 1
    assert listing()["comments"][0]["votes"] == 1


def test_down_votes_only_where_the_site_allows_them(client, published, listing, set_policy):
    (a,) = published("Divisive")
    cid = a["comment"]["id"]
    refused = _vote(client, cid, -1, guest("b1"))
    assert refused.status_code == 422
    assert refused.get_json()["error"]["field"] == "value"
    set_policy(down_votes=True)
    assert _vote(client, cid, -1, guest("b1")).get_json() == {
        "id": cid,
        "value": -1,
        "votes": 0,
        "score": -1,
    }
    _vote(client, cid, 1, guest("b2"))
    _vote(client, cid, 1, guest("b3"))
    page = listing()
    assert page["down_votes"] is True
    assert (page["comments"][0]["votes"], page["comments"][0]["score"]) == (2, 1)


def test_bad_votes_get_the_error_shape(client, published, post):
    (a,) = published("Target")
    cid = a["comment"]["id"]
    for body in ({"value": 2}, {"value": "1"}, {}, {"value": 1, "extra": True}):
        answer = client.post(f"/api/v1/comments/{cid}/vote", json=body, headers=guest("b1"))
        assert answer.status_code == 422, body
        assert answer.get_json()["error"]["code"] == "validation_failed"
    assert _vote(client, 999_999, 1, guest("b1")).status_code == 404
    bad_token = _vote(client, cid, 1, {"X-Parley-Guest": "no spaces allowed here"})
    assert bad_token.status_code == 422
    # A comment nobody may see yet cannot be voted on.
    pending = post("Not decided yet").get_json()["comment"]["id"]
    assert _vote(client, pending, 1, guest("b1")).status_code == 404


def test_guests_of_one_network_cast_a_bounded_number_of_votes(client, published):
    (a,) = published("Ballot stuffing target")
    cid = a["comment"]["id"]
    answers = [_vote(client, cid, 1, guest(f"fresh-token-{i}")) for i in range(8)]
    assert [r.status_code for r in answers[:5]] == [200] * 5
    assert {r.status_code for r in answers[5:]} == {403}
    assert answers[4].get_json()["votes"] == 5


def test_signed_in_readers_vote_by_identity_but_not_on_their_own(client, rt, site, drain):
    with rt.session() as session:
        ada, bob = (
            Identity(provider="oidc", subject="ada", name="Ada"),
            Identity(provider="oidc", subject="bob", name="Bob"),
        )
        session.add_all([ada, bob])
        session.commit()
        ada_id, bob_id = ada.id, bob.id
    ada_token = issue_reader_token(rt.settings.secret_key, ada_id, site.id)
    bob_token = issue_reader_token(rt.settings.secret_key, bob_id, site.id)
    created = client.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": "/posts/hello", "body": "Signed in and proud."},
        headers={"Authorization": f"Bearer {ada_token}"},
    ).get_json()
    drain()
    cid = created["comment"]["id"]
    own = _vote(client, cid, 1, {"Authorization": f"Bearer {ada_token}"})
    assert own.status_code == 403
    bob_h = {"Authorization": f"Bearer {bob_token}"}
    # Bob's guest token does not make him a second voter: his identity is who he is.
    assert _vote(client, cid, 1, {**bob_h, **guest("bobs-browser")}).get_json()["votes"] == 1
    assert _vote(client, cid, 1, {**bob_h, **guest("bobs-laptop")}).get_json()["votes"] == 1


def test_sort_orders_keep_replies_under_their_parents(client, published, listing, post, drain):
    old, mid, new = published("oldest top", "middle top", "newest top")
    old_id, mid_id, new_id = (x["comment"]["id"] for x in (old, mid, new))
    reply = post("reply to oldest", parent=old_id).get_json()["comment"]["id"]
    drain()
    for i in range(3):
        _vote(client, mid_id, 1, guest(f"voter-{i}"))
    _vote(client, old_id, 1, guest("voter-x"))

    assert [c["id"] for c in listing()["comments"]] == [old_id, mid_id, new_id, reply]
    assert [c["id"] for c in listing(sort="newest")["comments"]] == [new_id, mid_id, old_id, reply]
    top = listing(sort="top")
    assert top["sort"] == "top"
    # 3 votes beat 1; the reply follows its parent wherever the parent goes.
    assert [c["id"] for c in top["comments"]] == [mid_id, old_id, reply, new_id]


def test_the_site_sets_the_default_order_and_pages_count_top_level_comments(
    published, listing, set_policy, post, drain
):
    ids = [a["comment"]["id"] for a in published("one", "two", "three")]
    post("a reply", parent=ids[2])
    drain()
    set_policy(default_sort="newest")
    first = listing(limit=2)
    assert first["sort"] == "newest"
    assert [c["id"] for c in first["comments"]][:1] == [ids[2]]
    assert len([c for c in first["comments"] if c["parent"] is None]) == 2
    second = listing(limit=2, after=first["next_cursor"])
    assert [c["id"] for c in second["comments"]] == [ids[0]]
    assert second["next_cursor"] is None


def test_wilson_bound_lets_no_single_early_vote_win():
    assert wilson_lower_bound(0, 0) == 0
    assert wilson_lower_bound(1, 0) < wilson_lower_bound(4, 1) < wilson_lower_bound(10, 2)
    assert wilson_lower_bound(3, 0) > wilson_lower_bound(1, 0)


def test_moderators_pin_comments_to_the_top(client, published, listing, moderator_token):
    ids = [a["comment"]["id"] for a in published("first", "second", "third")]
    auth = {"Authorization": f"Bearer {moderator_token}"}
    assert client.post(f"/api/v1/comments/{ids[2]}/pin", json={}).status_code == 401
    pinned = client.post(f"/api/v1/comments/{ids[2]}/pin", json={"pinned": True}, headers=auth)
    assert pinned.get_json() == {"id": ids[2], "pinned": True, "changed": True}
    for sort in ("oldest", "newest", "top"):
        comments = listing(sort=sort)["comments"]
        assert comments[0]["id"] == ids[2] and comments[0]["pinned"] is True, sort
        assert len(comments) == 3
    # Later pages of the oldest order do not repeat it.
    first = listing(limit=1)
    assert [c["id"] for c in first["comments"]] == [ids[2], ids[0]]
    rest = listing(limit=5, after=first["next_cursor"])
    assert [c["id"] for c in rest["comments"]] == [ids[1]]
    unpin = client.post(f"/api/v1/comments/{ids[2]}/pin", json={"pinned": False}, headers=auth)
    assert unpin.get_json()["changed"] is True
    assert listing()["comments"][0]["id"] == ids[0]
