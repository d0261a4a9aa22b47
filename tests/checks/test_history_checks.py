"""Duplicate, flood and trust checks, and how decision.py weighs trust."""

from __future__ import annotations

import sqlalchemy as sa

from service.comments.reading import comment_key
from service.models import CheckResultRow, Comment, Site
from service.policy import Policy
from service.status import Status
from worker.checks.base import CheckResult
from worker.decision import decide

CAMPAIGN = "Earn 500 dollars a day from home with this one simple trick, ask me how"


def status(client, cid):
    # As the author sees it: with the comment's key (unpublished ones are not public).
    key = comment_key(client.application.extensions["parley"].settings.secret_key, cid)
    return client.get(f"/api/v1/comments/{cid}?key={key}").get_json()["comment"]["status"]


def check_of(rt, cid, name):
    with rt.session() as session:
        return session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == cid, CheckResultRow.check == name
            )
        )


def test_campaign_pasted_across_threads_is_caught(client, post, drain, rt):
    ids = []
    for i in range(3):
        ids.append(
            post(
                CAMPAIGN,
                thread=f"/posts/{i}",
                author={"name": f"N{i}", "email": f"n{i}@example.com"},
            ).get_json()["comment"]["id"]
        )
        drain()
    assert status(client, ids[0]) == "published"
    third = check_of(rt, ids[2], "duplicate")
    assert third.score >= 0.8 and "3 thread(s)" in third.reason
    assert status(client, ids[2]) in ("held", "spam")


def test_short_repeated_replies_are_not_duplicates(post, drain, rt):
    ids = [post("Thanks!", thread=f"/t{i}").get_json()["comment"]["id"] for i in range(3)]
    drain()
    assert check_of(rt, ids[-1], "duplicate").score == 0.0


def test_flood_from_one_author_is_held(client, post, drain, rt):
    ids = [
        post(f"Comment {i}: {w} opinions differ").get_json()["comment"]["id"]
        for i, w in enumerate(["apple", "pear", "plum", "fig", "kiwi", "lime", "date"])
    ]
    drain()
    assert status(client, ids[0]) == "published"
    last = check_of(rt, ids[-1], "flood")
    assert last.score >= 0.5 and "limits 5/min" in last.reason
    assert status(client, ids[-1]) == "held"


def test_trusted_author_is_published_despite_a_mild_flag(client, post, drain, rt, moderator_token):
    with rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        site.policy = {"flood_per_minute": 100, "flood_per_hour": 100}
        session.commit()
    for i, word in enumerate(["first", "second", "third"]):
        post(f"My {word} comment here, about topic {i}")
        drain()
    # Three links: over the limit (held for a stranger) but not strongly negative.
    cid = post("See https://a.example https://b.example https://c.example").get_json()["comment"][
        "id"
    ]
    drain()
    assert check_of(rt, cid, "trust").score == 0.0
    assert status(client, cid) == "published"
    # A stranger with the same comment is held.
    stranger = post(
        "See https://a.example https://b.example https://c.example",
        author={"name": "New", "email": "new@example.com"},
    ).get_json()["comment"]["id"]
    drain()
    assert status(client, stranger) in ("held", "spam")


def test_sites_may_hold_first_time_guests(client, post, drain, rt):
    with rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        site.policy = {"hold_first_time_guests": True}
        session.commit()
    cid = post("Hello, first time here").get_json()["comment"]["id"]
    drain()
    assert status(client, cid) == "held"
    with rt.session() as session:
        assert "first-time" in session.get(Comment, cid).status_reason


def test_decision_explains_itself():
    results = [
        CheckResult("links", 0.6, "3 links", "1"),
        CheckResult("model", 0.95, "spam model 0.95", "1"),
        CheckResult("trust", 1.0, "first comment", "1", kind="trust"),
    ]
    decision = decide(results)
    assert decision.status == Status.SPAM and decision.reason.startswith("model: spam model 0.95")
    assert decide(results[:1]).status == Status.HELD
    trusted = [results[0], CheckResult("trust", 0.0, "5 published", "1", kind="trust")]
    assert decide(trusted).status == Status.PUBLISHED
    assert (
        decide([CheckResult("x", 0.1, "ok", "1")], Policy.of({"premoderate": True})).status
        == Status.HELD
    )
