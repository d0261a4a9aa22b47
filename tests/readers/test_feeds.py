"""Atom feeds of a thread's and a site's newest published comments."""

from __future__ import annotations

from xml.etree import ElementTree as ET

NS = {"a": "http://www.w3.org/2005/Atom"}


def _feed(client, **params):
    answer = client.get("/api/v1/feeds/comments.atom", query_string={"site": "demo", **params})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/atom+xml"
    return ET.fromstring(answer.data)


def test_a_thread_feed_lists_published_comments_newest_first_with_permalinks(
    client, published, post
):
    url = "http://blog.example.test/posts/hello"
    first, second = published("First **words**.", "Second\x0b words.", url=url, title="Hello")
    post("Not decided yet")
    feed = _feed(client, thread="/posts/hello")
    assert feed.find("a:title", NS).text == "Comments on Hello"
    entries = feed.findall("a:entry", NS)
    assert [e.find("a:id", NS).text.rsplit("/", 1)[1] for e in entries] == [
        str(second["comment"]["id"]),
        str(first["comment"]["id"]),
    ]
    newest = entries[1]
    assert newest.find("a:content", NS).get("type") == "html"
    assert newest.find("a:content", NS).text == "<p>First <strong>words</strong>.</p>"
    assert newest.find("a:link", NS).get("href") == f"{url}#parley-comment-{first['comment']['id']}"
    assert newest.find("a:author/a:name", NS).text == "Ada"
    # A character XML cannot hold is dropped, not a broken feed.
    assert "Second words." in entries[0].find("a:content", NS).text


def test_the_site_feed_covers_every_thread_and_bad_input_gets_the_error_shape(client, published):
    published("On hello")
    published("On another", thread="/posts/other")
    site_feed = _feed(client)
    assert len(site_feed.findall("a:entry", NS)) == 2
    assert _feed(client, thread="/none").findall("a:entry", NS) == []
    assert len(_feed(client, limit=1).findall("a:entry", NS)) == 1
    missing = client.get("/api/v1/feeds/comments.atom?site=nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    bad = client.get("/api/v1/feeds/comments.atom?site=demo&limit=0")
    assert bad.status_code == 422
