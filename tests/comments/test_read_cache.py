"""Public reads a cache can serve: strong ETags and 304s, Cache-Control, surrogate keys, a
pre-serialized page in Redis dropped by the events that change a thread (issue 17)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from service.comments import cache
from service.comments.freshness import invalidate_thread_ids
from service.models import Comment
from tests.moderation.servers import http_receiver
from tests.support.apps import build_app
from tests.support.live_server import free_port
from tests.support.workers import drain as drain_queue

THREAD = "/api/v1/comments?site=demo&thread=/posts/hello"


def _ids(response) -> list[int]:
    return [c["id"] for c in response.get_json()["comments"]]


def test_a_thread_page_has_a_strong_etag_and_answers_304_when_it_still_matches(client, post, drain):
    cid = post("Cached, then revalidated.").get_json()["comment"]["id"]
    drain()
    first = client.get(THREAD)
    assert first.status_code == 200 and _ids(first) == [cid]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    control = first.headers["Cache-Control"]
    assert "public" in control and "max-age=10" in control
    assert "stale-while-revalidate=60" in control
    tags = first.headers["Surrogate-Key"].split()
    assert cache.surrogate_key("demo", "/posts/hello") in tags
    assert first.headers["Cache-Tag"] == ",".join(tags)
    again = client.get(THREAD, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get(THREAD, headers={"If-None-Match": '"not-it"'})
    assert other.status_code == 200 and other.headers["ETag"] == etag


def test_a_published_comment_is_on_the_next_read_and_a_304_never_hides_it(client, post, drain):
    post("The first one.")
    drain()
    before = client.get(THREAD)
    etag = before.headers["ETag"]
    cid = post("The new one.").get_json()["comment"]["id"]
    # Pending: not public yet, and the cached page still stands.
    assert client.get(THREAD, headers={"If-None-Match": etag}).status_code == 304
    drain()
    after = client.get(THREAD, headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert cid in _ids(after) and after.get_json()["total"] == 2
    assert after.headers["ETag"] != etag


def test_the_page_is_served_from_the_cache_until_the_thread_is_invalidated(client, post, drain, rt):
    cid = post("Served from the cache.").get_json()["comment"]["id"]
    drain()
    assert client.get(THREAD).get_json()["comments"][0]["body_html"].startswith("<p>Served")
    # Changed behind the cache's back (no event): readers keep the cached page...
    with rt.session() as session:
        session.execute(
            sa.update(Comment).where(Comment.id == cid).values(body_html="<p>changed</p>")
        )
        thread_id = session.get(Comment, cid).thread_id
        session.commit()
    assert client.get(THREAD).get_json()["comments"][0]["body_html"].startswith("<p>Served")
    # ...until the hook other features call after edits, votes and deletes.
    invalidate_thread_ids(rt, [thread_id])
    assert client.get(THREAD).get_json()["comments"][0]["body_html"] == "<p>changed</p>"


def test_each_query_variant_is_its_own_page(client, post, drain):
    ids = [post(f"Variant number {i}, thanks.").get_json()["comment"]["id"] for i in range(3)]
    drain()
    page = client.get(THREAD + "&limit=1").get_json()
    assert [c["id"] for c in page["comments"]] == ids[:1] and page["next_cursor"] == ids[0]
    rest = client.get(THREAD + f"&after={ids[0]}").get_json()
    assert [c["id"] for c in rest["comments"]] == [i for i in ids[1:] if i in _published(client)]
    assert len(client.get(THREAD).get_json()["comments"]) == len(_published(client))


def _published(client) -> list[int]:
    return _ids(client.get(THREAD + "&limit=200"))


def test_a_moderators_reject_and_delete_leave_the_next_read_at_once(
    client, post, drain, moderator_token
):
    kept = post("I stay.").get_json()["comment"]["id"]
    rejected = post("I will be rejected.").get_json()["comment"]["id"]
    deleted = post("I will be deleted.").get_json()["comment"]["id"]
    drain()
    assert _ids(client.get(THREAD)) == [kept, rejected, deleted]
    auth = {"Authorization": f"Bearer {moderator_token}"}
    answer = client.post(f"/api/v1/moderation/comments/{rejected}/reject", headers=auth)
    assert answer.status_code == 200
    assert _ids(client.get(THREAD)) == [kept, deleted]
    assert client.delete(f"/api/v1/moderation/comments/{deleted}", headers=auth).status_code == 200
    page = client.get(THREAD).get_json()
    assert [c["id"] for c in page["comments"]] == [kept] and page["total"] == 1


def test_a_page_built_while_the_thread_changed_is_not_stored(rt):
    """A decision that commits while a reader builds the page: the older page is not kept."""
    built = []

    def build_old() -> bytes:
        built.append("old")
        # The decision commits and invalidates while this reader is still building.
        cache.invalidate_threads(rt.redis, [("demo", "/race")])
        return b'{"v": "old"}'

    assert cache.cached_page(rt.redis, "demo", "/race", "v", build_old)[1] == b'{"v": "old"}'
    fresh = cache.cached_page(rt.redis, "demo", "/race", "v", lambda: b'{"v": "new"}')
    assert fresh == (cache.etag_of(b'{"v": "new"}'), b'{"v": "new"}')
    # And that one is kept: the next read does not build.
    assert cache.cached_page(rt.redis, "demo", "/race", "v", lambda: b"rebuilt") == fresh


def test_counts_are_cacheable_and_follow_publications(client, post, drain):
    url = "/api/v1/counts?site=demo&thread=/posts/hello&thread=/posts/none"
    post("Counted.")
    drain()
    first = client.get(url)
    assert first.get_json()["counts"] == {"/posts/hello": 1, "/posts/none": 0}
    assert first.get_json()["likes"] == {"/posts/hello": 0, "/posts/none": 0}
    assert "public" in first.headers["Cache-Control"]
    tags = first.headers["Surrogate-Key"].split()
    assert cache.surrogate_key("demo", "/posts/hello") in tags
    assert cache.surrogate_key("demo", "/posts/none") in tags
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    post("Counted too.", thread="/posts/none")
    drain()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.get_json()["counts"] == {"/posts/hello": 1, "/posts/none": 1}


def test_an_unknown_site_is_a_404_and_is_not_cached(client, rt):
    for _ in range(2):
        answer = client.get("/api/v1/comments?site=nosuch&thread=/x")
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"
        assert client.get("/api/v1/counts?site=nosuch&thread=/x").status_code == 404
    assert rt.redis.keys("parley:page:nosuch:*") == []


def test_reads_are_answered_from_the_database_while_redis_is_down(settings, site, post, drain):
    post("Still readable without Redis.")
    drain()
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = build_app(settings.overridden(redis_url=dead), sites=())
    try:
        client = app.test_client()
        page = client.get(THREAD)
        assert page.status_code == 200 and len(page.get_json()["comments"]) == 1
        counts = client.get("/api/v1/counts?site=demo&thread=/posts/hello")
        assert counts.get_json()["counts"] == {"/posts/hello": 1}
    finally:
        app.extensions["parley"].close()


def test_a_change_queues_a_cdn_purge_of_the_threads_surrogate_key(make_app, settings):
    with http_receiver() as receiver:
        app = make_app(
            settings.overridden(
                web={"cdn_purge_url": receiver.url, "cdn_max_age": 3600},
                webhooks={"allow_private": True},
            )
        )
        rt = app.extensions["parley"]
        client = app.test_client()
        answer = client.post(
            "/api/v1/comments",
            json={
                "site": "demo",
                "thread": "/posts/cdn",
                "body": "Purge me from the edge.",
                "author": {"name": "Ada", "email": "ada@example.com"},
            },
        )
        assert answer.status_code == 202
        drain_queue(rt)  # decides, which queues the purge, which the same drain delivers
        read = client.get("/api/v1/comments?site=demo&thread=/posts/cdn")
        assert "s-maxage=3600" in read.headers["Cache-Control"]
        key = cache.surrogate_key("demo", "/posts/cdn")
        bodies = [json.loads(body) for _, body, status in receiver.attempts if status == 200]
        assert {"surrogate_keys": [key]} in bodies
