"""Thread URLs: only absolute http(s) pages on one of the site's origins (or Parley's own) are
stored; everything else is a 422 naming ``url``, and nothing is written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.models import Comment, Thread
from tests.support.apps import BASE_URL, SITE_ORIGIN, SiteSpec, ensure_sites
from tests.support.hostile import refused_thread_urls


def post_with_url(client, url, thread="/posts/url-check", site="demo"):
    return client.post(
        "/api/v1/comments",
        json={
            "site": site,
            "thread": thread,
            "body": "About this page.",
            "author": {"name": "Ada", "email": "ada@example.com"},
            "url": url,
        },
    )


def stored_url(rt, thread: str) -> str | None:
    with rt.session() as session:
        return session.scalar(sa.select(Thread.url).where(Thread.key == thread))


@pytest.mark.parametrize("url", refused_thread_urls(SITE_ORIGIN))
def test_hostile_or_foreign_thread_urls_are_refused(client, rt, site, url):
    response = post_with_url(client, url)

    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed" and error["field"] == "url"
    assert error["message"].startswith("url: ")
    assert "Traceback" not in response.get_data(as_text=True)
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 0


@pytest.mark.parametrize(
    "url, stored",
    [
        (f"{SITE_ORIGIN}/posts/hello", f"{SITE_ORIGIN}/posts/hello"),
        ("HTTP://Blog.Example.TEST:80/posts/hello", f"{SITE_ORIGIN}/posts/hello"),
        # Stored as a browser would follow it: quotes and brackets percent-encoded.
        (f'{SITE_ORIGIN}/p?q="><b>', f"{SITE_ORIGIN}/p?q=%22%3E%3Cb%3E"),
        (f"{BASE_URL}/demo", f"{BASE_URL}/demo"),
    ],
)
def test_pages_of_the_site_are_stored_normalized(client, rt, site, url, stored):
    response = post_with_url(client, url)

    assert response.status_code == 202, response.get_data(as_text=True)
    assert stored_url(rt, "/posts/url-check") == stored


def test_a_site_without_origins_accepts_only_parleys_own_pages(client, rt):
    ensure_sites(rt, [SiteSpec("bare", "No origins", ())])

    refused = post_with_url(client, f"{SITE_ORIGIN}/posts/x", thread="/bare-1", site="bare")
    accepted = post_with_url(client, f"{BASE_URL}/demo", thread="/bare-2", site="bare")

    assert refused.status_code == 422 and refused.get_json()["error"]["field"] == "url"
    assert accepted.status_code == 202, accepted.get_data(as_text=True)
    assert stored_url(rt, "/bare-2") == f"{BASE_URL}/demo"


def test_no_url_is_fine_and_stores_none(client, rt, site):
    response = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/no-url",
            "body": "No page URL.",
            "author": {"name": "Ada", "email": "ada@example.com"},
        },
    )
    assert response.status_code == 202
    assert stored_url(rt, "/posts/no-url") is None
