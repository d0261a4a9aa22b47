"""The hostile corpus (tests/support/hostile.py) in the /moderate dashboard, in Chromium: posted
through the API and, for what the API now refuses, written straight into the database as an
old row would be. Every thread link and author link is clicked: no dialog, no script, no CSP
violation (nothing even tried), and stored javascript:/data: URLs render as no link."""

from __future__ import annotations

import json

import pytest

from tests.moderation.helpers import bearer, hold_everything
from tests.support.apps import SITE_ORIGIN
from tests.support.hostile import (
    BODIES,
    DANGEROUS,
    NAMES,
    STORED_BODY_HTML,
    STORED_THREAD_URLS,
    STORED_WEBSITES,
    THREAD_KEYS,
    TITLES,
    WEBSITES,
    elsewhere,
    insert_old_comment,
    pwned,
    watch_dialogs,
)
from tests.support.live_server import serve_wsgi

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

# Records what the page's CSP blocked: with every payload defused, nothing is even attempted.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def live(app):
    with serve_wsgi(app, name="dashboard") as server:
        yield server.url


def post_corpus(client) -> list[int]:
    ids = []
    for i, body in enumerate(BODIES):
        key = THREAD_KEYS[i] if i < len(THREAD_KEYS) else f"/posts/corpus-{i}"
        response = client.post(
            "/api/v1/comments",
            json={
                "site": "demo",
                "thread": key,
                "body": body,
                "title": TITLES[i % len(TITLES)],
                # A few distinct pages, so clicking each distinct link stays quick.
                "url": f"{SITE_ORIGIN}/posts/corpus-{i % 3}?x=%22%3E",
                "author": {
                    "name": NAMES[i % len(NAMES)],
                    "email": f"mallory{i}@example.com",
                    "url": WEBSITES[i % len(WEBSITES)],
                },
            },
            environ_base={"REMOTE_ADDR": f"10.9.{i // 200}.{i % 200 + 1}"},
        )
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["comment"]["id"])
    return ids


def test_hostile_corpus_in_the_dashboard_never_runs(
    client, rt, site, drain, browser, live, moderator_token
):
    from playwright.sync_api import expect

    hold_everything(rt, site)
    posted = post_corpus(client)
    drain()
    old = [
        insert_old_comment(
            rt,
            site.id,
            f"/old-{j}",
            thread_url=url,
            author_url=STORED_WEBSITES[j % len(STORED_WEBSITES)],
            body_html=STORED_BODY_HTML,
        )
        for j, url in enumerate(STORED_THREAD_URLS)
    ]

    context = browser.new_context(base_url=live, extra_http_headers=bearer(moderator_token))
    context.set_default_timeout(15_000)
    context.add_init_script(RECORD_VIOLATIONS)
    dialogs = watch_dialogs(context)
    answered = elsewhere(context, "127.0.0.1")
    page = context.new_page()
    try:
        queue = "/moderate?status=all&limit=200"
        response = page.goto(queue)
        rows = page.locator("article.comment")
        expect(rows).to_have_count(len(posted) + len(old))
        page.wait_for_timeout(300)  # any image error or onload handler fires by now
        assert not pwned(page) and dialogs == []

        # Click one link per distinct target (whatever it is), each from a fresh dashboard.
        links = page.locator("article.comment a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        for href in dict.fromkeys(hrefs):
            page.goto(queue)
            link = page.locator(f"article.comment a[href={json.dumps(href)}]").first
            if link.get_attribute("target") == "_blank":
                with context.expect_page() as opened:
                    link.click()
                opened.value.wait_for_load_state()
                assert not pwned(opened.value), href
                opened.value.close()
            elif href.startswith(("http://", "https://")):
                with page.expect_navigation():
                    link.click()
            else:
                link.click()
                page.wait_for_timeout(200)
            assert not pwned(page) and dialogs == [], href
        assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        assert len(hrefs) >= 2 * len(posted)  # a thread link and a website per posted comment
        assert len(answered) >= len(set(hrefs))

        page.goto(queue)
        assert page.evaluate(DANGEROUS, page.locator("#queue-form").element_handle()) == []
        assert page.evaluate("window.__violations") == []
        # Old rows: a stored javascript:/data:/relative URL is no link, just the key.
        for j, comment_id in enumerate(old):
            row = page.locator(f"#comment-{comment_id}")
            expect(row.locator(".thread-key")).to_have_text(f"/old-{j}")
            assert row.locator("a").count() == 0, STORED_THREAD_URLS[j]
            expect(row.locator(".body")).to_have_text("old row")
        # Names and keys are text, shown as typed.
        first = page.locator(f"#comment-{posted[0]}")
        expect(first.locator(".author")).to_contain_text(NAMES[0])
        expect(first.locator(".thread-link")).to_have_text(THREAD_KEYS[0])
        # The page's own (nonce'd) script still runs: j moves the current row.
        page.keyboard.press("j")
        expect(rows.nth(1)).to_have_class("comment current")
        assert "script-src 'nonce-" in response.headers["content-security-policy"]
    finally:
        context.close()


@pytest.mark.parametrize("url", [*STORED_WEBSITES, "javascript://%0aalert(1)", "/relative"])
def test_old_rows_hostile_urls_leave_every_json_answer_as_no_link(
    client, rt, site, moderator_token, url
):
    """The JSON APIs apply the same render-time rule as the pages: a client (a custom
    dashboard, an app) that trusts `thread_url` or `author.url` gets nothing to follow."""
    held = insert_old_comment(rt, site.id, "/old-held", thread_url=url, author_url=url)
    shown = insert_old_comment(rt, site.id, "/old-shown", author_url=url, status="published")
    queue = client.get(
        "/api/v1/moderation/comments?site=demo&status=held", headers=bearer(moderator_token)
    ).get_json()["comments"]
    item = next(i for i in queue if i["id"] == held)
    assert item["thread_url"] is None and item["author"]["url"] is None
    public = client.get("/api/v1/comments?site=demo&thread=/old-shown").get_json()["comments"]
    assert [c["author"]["url"] for c in public if c["id"] == shown] == [None]
