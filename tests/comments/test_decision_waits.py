"""Waits for a decision (``?wait=``) share one Redis subscription per process
(service.comments.decisions) and never miss a decision."""

from __future__ import annotations

import threading
import time

import sqlalchemy as sa

from service.models import Comment
from tests.support.waiting import wait_until


def _wait_in_thread(client, cid: int, key: str, seconds: float, answers: dict) -> threading.Thread:
    def run():
        started = time.monotonic()
        answer = client.get(f"/api/v1/comments/{cid}?wait={seconds}&key={key}")
        answers[cid] = (answer.status_code, answer.get_json(), time.monotonic() - started)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_many_waits_hold_one_subscription_and_each_gets_its_own_decision(client, post, drain, rt):
    created = [post(f"Waiting together, comment {i}").get_json() for i in range(6)]
    patterns_before = rt.redis.pubsub_numpat()
    answers: dict = {}
    threads = [_wait_in_thread(client, c["comment"]["id"], c["key"], 10, answers) for c in created]
    assert wait_until(lambda: len(rt.decisions._waiting) == 6, timeout=30)
    # One pattern subscription for every wait of the process, no channel per comment.
    assert rt.redis.pubsub_numpat() <= patterns_before + 1
    assert not [c for c in rt.redis.pubsub_channels() if c.startswith(b"parley:comment:")]
    drain()
    for thread in threads:
        thread.join(30)
    with rt.session() as session:
        decided = dict(session.execute(sa.select(Comment.id, Comment.status)).all())
    for c in created:
        status, body, _elapsed = answers[c["comment"]["id"]]
        assert status == 200
        assert body["comment"]["id"] == c["comment"]["id"]
        # Woken by the announcement: a wait that missed it would have answered "pending".
        assert body["comment"]["status"] == decided[c["comment"]["id"]] != "pending"
    assert rt.decisions._waiting == {}


def test_a_decision_whose_announcement_is_lost_is_still_seen(client, post, rt):
    created = post("Decided without a word on Redis").get_json()
    cid = created["comment"]["id"]
    answers: dict = {}
    thread = _wait_in_thread(client, cid, created["key"], 10, answers)
    assert wait_until(lambda: cid in rt.decisions._waiting, timeout=30)
    # Decided in the database only: no announcement reaches the subscription.
    with rt.session() as session:
        session.execute(sa.update(Comment).where(Comment.id == cid).values(status="held"))
        session.commit()
    thread.join(30)
    status, body, _elapsed = answers[cid]
    # Nothing was announced: only reading the row again (every second) finds it.
    assert (status, body["comment"]["status"]) == (200, "held")


def test_another_comments_decision_does_not_end_a_wait(client, post, drain, rt):
    mine = post("Mine, never decided here").get_json()
    answers: dict = {}
    thread = _wait_in_thread(client, mine["comment"]["id"], mine["key"], 10, answers)
    assert wait_until(lambda: mine["comment"]["id"] in rt.decisions._waiting, timeout=30)
    with rt.session() as session:
        session.execute(
            sa.update(Comment).where(Comment.id == mine["comment"]["id"]).values(status="spam")
        )
        session.commit()
    thread.join(30)
    status, body, _elapsed = answers[mine["comment"]["id"]]
    # The wait saw the row's new status (spam reads "spam" to its author).
    assert status == 200 and body["comment"]["status"] == "spam"


def test_without_redis_a_wait_polls_the_row_and_a_decided_one_answers_at_once():
    """Redis refusing connections (nothing listens on the port): the listener keeps
    retrying, and waits read the row instead of waiting for an announcement."""
    import redis

    from service.comments.decisions import DecisionWaiters
    from service.embedded import free_port

    conn = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.2)
    waiters = DecisionWaiters(conn)
    try:
        reads = []
        assert waiters.wait(1, lambda: reads.append(1) or "published", 5) == "published"
        assert len(reads) == 1  # answered from its first read, not after a wait

        # Decided 3 s on: polling every 0.1 s reads ~30 times, once a second 4 times; a
        # loaded box would have to stretch each 0.1 s poll threefold to blur the two.
        decided_at = time.monotonic() + 3
        reads = []

        def read():
            reads.append(1)
            return "held" if time.monotonic() >= decided_at else "pending"

        reads.clear()
        assert waiters.wait(2, read, 10) == "held"
        assert len(reads) >= 10  # polled (every 0.1 s), not read once a second
        assert waiters.wait(3, lambda: "pending", 0.3) == "pending"
        assert waiters._waiting == {}
    finally:
        waiters.close()
