"""A comment's whole path: POST -> pending row -> queue -> worker -> status."""

from __future__ import annotations

import sqlalchemy as sa
from rq.job import Job

from service.enqueue import SERIALIZER
from service.models import CheckResultRow, Comment, ModerationEvent
from tests.support.waiting import wait_until


def test_clean_guest_comment_is_pending_then_published(client, post, drain, rt):
    response = post("Thanks, this *helped* me.")
    assert response.status_code == 202
    comment = response.get_json()["comment"]
    assert comment["status"] == "pending"
    # Not public until published.
    assert comment["body_html"] is None and comment["author"] is None

    job = Job.fetch(f"moderate-{comment['id']}", connection=rt.redis, serializer=SERIALIZER)
    assert job.func_name == "worker.jobs.moderate_comment"

    drain()
    got = client.get(f"/api/v1/comments/{comment['id']}").get_json()["comment"]
    assert got["status"] == "published"
    assert got["body_html"] == "<p>Thanks, this <em>helped</em> me.</p>"
    assert got["author"]["name"] == "Ada"
    assert "email" not in got["author"]

    with rt.session() as session:
        checks = session.scalars(
            sa.select(CheckResultRow).where(CheckResultRow.comment_id == comment["id"])
        ).all()
        assert {c.check for c in checks} >= {"link_count"}
        assert all(c.reason for c in checks)
        event = session.scalar(
            sa.select(ModerationEvent).where(ModerationEvent.comment_id == comment["id"])
        )
        assert (event.actor, event.from_status, event.to_status) == (
            "worker",
            "pending",
            "published",
        )


def test_six_links_are_not_published(client, post, drain):
    links = " ".join(f"https://spam{i}.example/buy" for i in range(6))
    created = post(f"Great deals {links}").get_json()
    cid = created["comment"]["id"]
    drain()
    status = client.get(f"/api/v1/comments/{cid}?key={created['key']}").get_json()
    status = status["comment"]["status"]
    assert status in ("held", "spam")


def test_thread_lists_published_comments_oldest_first_with_parents(client, post, drain):
    first = post("First!").get_json()["comment"]["id"]
    drain()
    reply = post("A reply", parent=first).get_json()["comment"]["id"]
    drain()
    page = client.get("/api/v1/comments?site=demo&thread=/posts/hello").get_json()
    assert [c["id"] for c in page["comments"]] == [first, reply]
    assert page["comments"][1]["parent"] == first
    assert page["comments"][1]["depth"] == 1
    assert page["total"] == 2 and page["next_cursor"] is None
    # The render token has its own request (GET /api/v1/render-token): a page caches share
    # must carry nothing made for one reader.
    assert "render_token" not in page


def test_thread_pagination_uses_a_cursor(client, post, drain):
    ids = [post(f"comment number {i}").get_json()["comment"]["id"] for i in range(5)]
    drain()
    first = client.get("/api/v1/comments?site=demo&thread=/posts/hello&limit=2").get_json()
    assert [c["id"] for c in first["comments"]] == ids[:2]
    second = client.get(
        f"/api/v1/comments?site=demo&thread=/posts/hello&limit=2&after={first['next_cursor']}"
    ).get_json()
    assert [c["id"] for c in second["comments"]] == ids[2:4]
    assert second["total"] == 5


def test_counts_per_thread(client, post, drain):
    post("one")
    post("two")
    post("elsewhere", thread="/posts/other")
    drain()
    counts = client.get(
        "/api/v1/counts?site=demo&thread=/posts/hello&thread=/posts/other&thread=/none"
    )
    assert counts.get_json()["counts"] == {"/posts/hello": 2, "/posts/other": 1, "/none": 0}


def test_wait_returns_as_soon_as_the_worker_decides(client, post, drain, rt):
    import threading
    import time

    created = post("Waiting for the verdict").get_json()
    cid, key = created["comment"]["id"], created["key"]
    answer = {}

    def wait_for_it():
        started = time.monotonic()
        url = f"/api/v1/comments/{cid}?wait=10&key={key}"  # the cap: room for a slow drain
        answer["comment"] = client.get(url).get_json()["comment"]
        answer["elapsed"] = time.monotonic() - started

    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    # The waiter is listening for the decision (the process's one pattern subscription),
    # then keeps waiting while nobody decides: the hold is what `0.2 < elapsed` measures.
    assert wait_until(rt.redis.pubsub_numpat, timeout=30)
    time.sleep(0.3)
    drain()  # RQ workers install signal handlers: main thread only
    waiter.join(30)
    assert answer["comment"]["status"] == "published"
    assert 0.2 < answer["elapsed"] < 9  # woken by the decision, not by the 10 s limit


def test_wait_gives_up_after_the_limit(client, post):
    created = post("Nobody is working today").get_json()
    cid, key = created["comment"]["id"], created["key"]
    got = client.get(f"/api/v1/comments/{cid}?wait=0.3&key={key}").get_json()["comment"]
    assert got["status"] == "pending"


def test_guest_email_is_never_published(client, post, drain):
    post("hello")
    drain()
    body = client.get("/api/v1/comments?site=demo&thread=/posts/hello").get_data(as_text=True)
    assert "ada@example.com" not in body


def test_script_tag_is_stored_sanitized(client, post, drain, rt):
    from html.parser import HTMLParser

    payload = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    cid = post(payload).get_json()["comment"]["id"]
    with rt.session() as session:
        html = session.get(Comment, cid).body_html

    tags, attrs = [], []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attributes):
            tags.append(tag)
            attrs.extend(attributes)

    Collect().feed(html)
    assert "script" not in tags and "img" not in tags
    assert not [name for name, _ in attrs if name.startswith("on")]
    assert not [v for name, v in attrs if name == "href" and "javascript" in (v or "").lower()]
    # The reader's text survives, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
