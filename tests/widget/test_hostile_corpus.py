"""The whole hostile corpus (tests/support/hostile.py) in the widget, in Chromium, on a host page
with no CSP of its own (the widget's sanitizer alone keeps it inert), and on Parley's /demo
page under Parley's CSP (which must still let the widget work): every author and body link
clicked, no dialog, no script."""

from __future__ import annotations

import re

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import expect

from service.access import create_token
from service.models import Site
from tests.support.hostile import (
    BODIES,
    DANGEROUS,
    NAMES,
    TITLES,
    WEBSITES,
    elsewhere,
    pwned,
    refused_thread_urls,
    watch_dialogs,
)
from tests.support.stack import new_thread

pytestmark = pytest.mark.browser

# "Comments", or "3 comments" once other tests have posted to the demo's threads.
COMMENTS = re.compile(r"^(\d+ )?comments?$", re.I)
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def publish_corpus(stack, thread: str, page_url: str) -> list[int]:
    """Post every body (with hostile names, websites and titles) as the host page would, and
    publish whatever the checks held, as a moderator might."""
    ids = []
    for i, body in enumerate(BODIES):
        response = requests.post(
            f"{stack.parley}/api/v1/comments",
            json={
                "site": "demo",
                "thread": thread,
                "body": body,
                "title": TITLES[i % len(TITLES)],
                "url": page_url,
                "author": {
                    "name": NAMES[i % len(NAMES)],
                    "email": f"mallory{i}@example.com",
                    "url": WEBSITES[i % len(WEBSITES)],
                },
            },
            headers={"Origin": stack.host},
            timeout=10,
        )
        assert response.status_code == 202, response.text
        ids.append((response.json()["comment"]["id"], response.json()["key"]))
    with stack.rt.session() as session:
        demo = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        token = create_token(session, demo, "moderator")
        session.commit()
    for cid, key in ids:
        # An unpublished comment's status is its author's to read: the key the POST returned.
        status = requests.get(
            f"{stack.parley}/api/v1/comments/{cid}",
            params={"wait": 20, "key": key},
            timeout=30,
        )
        assert status.status_code == 200, status.text
        if status.json()["comment"]["status"] != "published":
            approved = requests.post(
                f"{stack.parley}/api/v1/moderation/comments/{cid}/approve",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert approved.status_code == 200, approved.text
    return [cid for cid, _ in ids]


def test_the_api_refuses_hostile_thread_urls_from_the_host_page(stack):
    for url in refused_thread_urls(stack.host):
        response = requests.post(
            f"{stack.parley}/api/v1/comments",
            json={
                "site": "demo",
                "thread": new_thread("refused-url"),
                "body": "About this page.",
                "url": url,
                "author": {"name": "Ada", "email": "ada@example.com"},
            },
            headers={"Origin": stack.host},
            timeout=10,
        )
        assert response.status_code == 422, url
        assert response.json()["error"]["field"] == "url", url


def test_the_hostile_corpus_in_the_widget_never_runs(stack, context):
    thread = new_thread("corpus")
    article = stack.article(thread)
    ids = publish_corpus(stack, thread, article)
    dialogs = watch_dialogs(context)
    answered = elsewhere(context, "127.0.0.1", "localhost")
    page = context.new_page()
    page.goto(article)

    widget = page.locator("#parley")
    expect(widget.locator("li.comment")).to_have_count(len(ids))
    for i, cid in enumerate(ids[: len(NAMES)]):
        expect(widget.locator(f"#parley-comment-{cid} .author").first).to_have_text(
            " ".join(NAMES[i].split())
        )
    page.wait_for_timeout(300)  # any image error or onload handler fires by now
    # The comments, not the widget's own form.
    root = page.evaluate_handle(
        "document.getElementById('parley').shadowRoot.querySelector('ol.thread')"
    )
    assert page.evaluate(DANGEROUS, root) == []
    assert not pwned(page) and dialogs == []

    links = widget.locator("li.comment article a[href]")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= len(ids)  # every author has a website
    for href in hrefs:
        assert href.startswith(("http://", "https://", "mailto:", "#parley-comment-")), href
    # One click per distinct link target; author and body links open a new tab.
    clicked = 0
    for href in dict.fromkeys(h for h in hrefs if h.startswith("http")):
        link = widget.locator(f'li.comment a[href="{href}"]').first
        with context.expect_page() as opened:
            link.click()
        opened.value.wait_for_load_state()
        assert not pwned(opened.value)
        opened.value.close()
        clicked += 1
        assert not pwned(page) and dialogs == [], href
    assert clicked >= len(WEBSITES) and len(answered) >= clicked


def test_the_demo_page_runs_the_widget_under_its_csp(stack, context):
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    response = page.goto(f"{stack.parley}/demo")
    csp = response.headers["content-security-policy"]
    assert "script-src 'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"

    widget = page.locator("#parley")
    expect(widget.locator("h2")).to_have_text(COMMENTS)
    expect(widget.get_by_role("button", name="Post Comment")).to_be_visible()
    # The thread loaded (the API answered under connect-src) and the counts script ran.
    expect(widget.locator(".loading")).to_have_count(0)
    expect(page.locator(".byline [data-parley-count]")).not_to_be_empty()
    assert page.evaluate("window.__violations") == []

    second = page.goto(f"{stack.host}/the-quiet-garden")
    assert "script-src 'nonce-" in second.headers["content-security-policy"]
    expect(widget.locator("h2")).to_have_text(COMMENTS)
    expect(widget.locator(".loading")).to_have_count(0)
    assert page.evaluate("window.__violations") == []
