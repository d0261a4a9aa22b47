"""Reports hold a comment at the site's threshold and show in the moderation queue; page
likes; closing threads by hand and by age; the server's own preview."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from service.auth.readers import issue_reader_token
from service.comments import cache
from service.comments.freshness import invalidate_thread_ids
from service.models import Identity, Thread, utcnow
from tests.readers.conftest import guest


def _report(client, cid, reason="spam", token="reporter", **extra):
    return client.post(
        f"/api/v1/comments/{cid}/report", json={"reason": reason, **extra}, headers=guest(token)
    )


def test_reports_are_deduplicated_and_hold_at_the_threshold(
    client, published, listing, moderator_token, rt
):
    (a,) = published("Buy my stuff")
    cid = a["comment"]["id"]
    first = _report(client, cid, "spam", "r1", note="an ad")
    assert first.get_json() == {"id": cid, "reported": True, "duplicate": False}
    assert _report(client, cid, "abuse", "r1").get_json()["duplicate"] is True
    _report(client, cid, "off_topic", "r2")
    assert len(listing()["comments"]) == 1
    _report(client, cid, "other", "r3")
    # Three readers: held, off the page.
    assert listing()["comments"] == []
    auth = {"Authorization": f"Bearer {moderator_token}"}
    queue = client.get(
        "/api/v1/moderation/comments",
        query_string={"site": "demo", "status": "reported"},
        headers=auth,
    ).get_json()
    (item,) = queue["comments"]
    assert item["id"] == cid and item["status"] == "held"
    assert item["status_reason"].startswith("reported by readers")
    assert [r["reason"] for r in item["reports"]] == ["spam", "off_topic", "other"]
    assert item["reports"][0]["note"] == "an ad" and item["reports"][0]["reporter"] == "guest"
    assert "r1" not in str(item["reports"])

    dismissed = client.post(f"/api/v1/moderation/comments/{cid}/reports/dismiss", headers=auth)
    assert dismissed.get_json() == {"id": cid, "dismissed": 3}
    approve = client.post(f"/api/v1/moderation/comments/{cid}/approve", headers=auth)
    assert approve.get_json()["status"] == "published"
    empty = client.get(
        "/api/v1/moderation/comments",
        query_string={"site": "demo", "status": "reported"},
        headers=auth,
    ).get_json()
    assert empty["comments"] == []
    # Reports the moderator already saw do not hold it again; one new one does not either.
    _report(client, cid, "spam", "r4")
    assert len(listing()["comments"]) == 1


def test_bad_reports_get_the_error_shape(client, published, post, set_policy, listing):
    (a,) = published("fine")
    cid = a["comment"]["id"]
    for body in ({}, {"reason": "boring"}, {"reason": "spam", "note": "x" * 501}):
        answer = client.post(f"/api/v1/comments/{cid}/report", json=body, headers=guest("g"))
        assert answer.status_code == 422, body
    assert _report(client, 424242).status_code == 404
    pending = post("pending").get_json()["comment"]["id"]
    assert _report(client, pending).status_code == 404
    set_policy(report_threshold=0)
    for i in range(5):
        _report(client, cid, token=f"many-{i}")
    assert len(listing()["comments"]) == 1


def test_page_likes_count_every_reader_and_show_signed_in_likers(
    client, published, listing, rt, site
):
    published("the thread exists once it has a comment")
    assert listing()["likes"] == {"count": 0, "likers": []}
    like = {"site": "demo", "thread": "/posts/hello", "value": 1}
    assert client.post("/api/v1/threads/like", json=like, headers=guest("g1")).status_code == 200
    client.post("/api/v1/threads/like", json=like, headers=guest("g1"))
    with rt.session() as session:
        ada = Identity(
            provider="oidc", subject="ada-likes", name="Ada", avatar_url="https://a.example/ada.png"
        )
        session.add(ada)
        session.commit()
        token = issue_reader_token(rt.settings.secret_key, ada.id, site.id)
    answer = client.post(
        "/api/v1/threads/like", json=like, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.get_json()["likes"] == {
        "count": 2,
        "likers": [{"name": "Ada", "avatar_url": "https://a.example/ada.png"}],
    }
    assert listing()["likes"]["count"] == 2
    with rt.session() as session:
        eve = Identity(
            provider="oidc",
            subject="eve-likes",
            name="<b>Eve</b>",
            avatar_url="javascript:alert(1)",
        )
        session.add(eve)
        session.commit()
        eve_token = issue_reader_token(rt.settings.secret_key, eve.id, site.id)
    hostile = client.post(
        "/api/v1/threads/like", json=like, headers={"Authorization": f"Bearer {eve_token}"}
    ).get_json()["likes"]
    # A provider's avatar URL is checked on the way out; the name is data, set as text.
    assert hostile["likers"][0] == {"name": "<b>Eve</b>", "avatar_url": None}
    client.post(
        "/api/v1/threads/like",
        json={**like, "value": 0},
        headers={"Authorization": f"Bearer {eve_token}"},
    )
    client.post("/api/v1/threads/like", json={**like, "value": 0}, headers=guest("g1"))
    assert listing()["likes"]["count"] == 1
    # A page without comments can be liked too.
    fresh = client.post(
        "/api/v1/threads/like", json={**like, "thread": "/no-comments-yet"}, headers=guest("g1")
    )
    assert fresh.get_json()["likes"]["count"] == 1
    assert listing("/no-comments-yet")["likes"]["count"] == 1
    # A like that starts a thread names its page, on one of the site's origins only.
    elsewhere = {**like, "thread": "/liked-first", "url": "https://evil.example/x"}
    assert (
        client.post("/api/v1/threads/like", json=elsewhere, headers=guest("g1")).status_code == 422
    )
    page = {**elsewhere, "url": "http://blog.example.test/liked-first", "title": "Liked first"}
    assert client.post("/api/v1/threads/like", json=page, headers=guest("g1")).status_code == 200
    with rt.session() as session:
        row = session.query(Thread).filter_by(key="/liked-first").one()
        assert (row.url, row.title) == ("http://blog.example.test/liked-first", "Liked first")
    counts = client.get(
        "/api/v1/counts?site=demo&thread=/posts/hello&thread=/no-comments-yet&thread=/none"
    ).get_json()
    assert counts["likes"] == {"/posts/hello": 1, "/no-comments-yet": 1, "/none": 0}
    assert client.post("/api/v1/threads/like", json={**like, "value": 2}).status_code == 422


def test_a_closed_thread_takes_no_new_comments(
    client, published, post, listing, moderator_token, rt
):
    published("before closing")
    auth = {"Authorization": f"Bearer {moderator_token}"}
    close = {"site": "demo", "thread": "/posts/hello", "closed": True}
    assert client.post("/api/v1/threads/close", json=close).status_code == 401
    assert client.post("/api/v1/threads/close", json=close, headers=auth).get_json() == {
        "thread": "/posts/hello",
        "closed": True,
        "changed": True,
    }
    page = listing()
    assert page["closed"] is True and len(page["comments"]) == 1
    refused = post("after closing")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "this thread is closed to new comments"
    client.post("/api/v1/threads/close", json={**close, "closed": False}, headers=auth)
    assert post("reopened").status_code == 202


def test_a_site_closes_threads_n_days_after_their_first_comment(
    published, post, listing, rt, set_policy
):
    published("an old thread")
    set_policy(auto_close_days=30)
    assert listing()["closed"] is False
    with rt.session() as session:
        thread = session.query(Thread).filter_by(key="/posts/hello").one()
        thread.created_at = thread.created_at - timedelta(days=31)
        session.commit()
        aged = thread.id
    # The month passed by an edit of the row, which no cache hears of; a real month outlives
    # the cached page (service.comments.cache.TTL_SECONDS). Submits are refused at once (below).
    invalidate_thread_ids(rt, [aged])
    assert listing()["closed"] is True
    assert post("too late").status_code == 403
    # Another thread is open, and a new one is too.
    assert post("elsewhere", thread="/posts/new").status_code == 202


def test_preview_uses_the_servers_renderer_and_sanitizer(client):
    answer = client.post("/api/v1/preview", json={"body": "Hi **there** <script>x()</script>"})
    assert answer.status_code == 200
    html = answer.get_json()["html"]
    assert "<strong>there</strong>" in html and "<script" not in html
    assert client.post("/api/v1/preview", json={"body": ""}).status_code == 422
    assert client.post("/api/v1/preview", json={"body": "x", "colour": "red"}).status_code == 422


def _closing_in(rt, seconds: float) -> None:
    """Make /posts/hello's first comment ``auto_close_days`` (30) minus ``seconds`` old."""
    with rt.session() as session:
        thread = session.query(Thread).filter_by(key="/posts/hello").one()
        thread.created_at = utcnow() - timedelta(days=30) + timedelta(seconds=seconds)
        session.commit()
        aged = thread.id
    invalidate_thread_ids(rt, [aged])  # the row edit stands in for the passing month


# Far enough ahead that a loaded CI box cannot reach the closing moment before the test has
# looked at the still-open thread; the test then waits only until that moment has passed.
CLOSING_IN = 6.5


def _wait_past(closes_at: str) -> None:
    """Sleep until the page's ``closes_at`` has passed (the wait is the point)."""
    moment = datetime.fromisoformat(closes_at.replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    time.sleep(max(0.0, (moment - utcnow()).total_seconds()) + 0.2)


def test_a_cached_page_closes_at_the_moment_the_thread_closes(
    published, post, listing, client, rt, set_policy
):
    published("a thread about to close")
    set_policy(auto_close_days=30)
    _closing_in(rt, CLOSING_IN)
    answer = client.get("/api/v1/comments", query_string={"site": "demo", "thread": "/posts/hello"})
    page = answer.get_json()
    assert page["closed"] is False and page["closes_at"]
    # Browsers and CDNs keep it no longer than the 6.5 s left, stale or not ...
    control = dict((d.split("=") + [""])[:2] for d in answer.headers["Cache-Control"].split(", "))
    assert int(control["max-age"]) <= 6 and int(control["stale-while-revalidate"]) == 0
    # ... and neither does Redis (every variant of the thread shares the bound).
    pages_key = cache._page_keys("demo", "/posts/hello")[0]
    assert 0 < rt.redis.pttl(pages_key) <= CLOSING_IN * 1000
    assert listing()["closed"] is False  # a cache hit, still right
    _wait_past(page["closes_at"])  # the thread's closing moment passes
    assert listing()["closed"] is True
    assert post("too late").status_code == 403


def test_a_page_cached_past_its_closing_is_rebuilt_when_served(listing, published, rt, set_policy):
    published("a thread whose cache outlives its closing")
    set_policy(auto_close_days=30)
    _closing_in(rt, CLOSING_IN)
    page = listing()
    assert page["closed"] is False
    pages_key = cache._page_keys("demo", "/posts/hello")[0]
    rt.redis.pexpire(pages_key, 60_000)  # as if the bound were lost (a policy changed since)
    _wait_past(page["closes_at"])  # past the closing moment
    assert listing()["closed"] is True
    # A thread with no auto-close carries no closing time.
    set_policy(auto_close_days=0)
    invalidate_thread_ids(rt, [])
    assert listing(thread="/posts/never")["closes_at"] is None
