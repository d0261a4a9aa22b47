"""A signed-in reader downloads their data and erases it from the widget (GDPR articles 15,
17 and 20), end to end: the real provider, the live stack, Chromium."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Comment, Identity
from tests.support.signin import OIDC_LABEL
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser


def sign_in(context, widget, account: str) -> None:
    with context.expect_page() as opened:
        widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}").click()
    popup = opened.value
    popup.locator("#login").fill(account)
    with popup.expect_event("close"):
        popup.locator("#submit").click()
    expect(widget.locator(".who")).to_contain_text(OIDC_LABEL)


def test_download_then_erase_from_the_widget(stack, context, page):
    page.goto(stack.article(new_thread("own-data")))
    widget = page.locator("#parley")
    sign_in(context, widget, "bob")
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Bob's words, his to take.")
    widget.get_by_role("button", name="Post Comment").click()
    # A loaded machine decides slowly; the bound is generous, the wait ends at the decision.
    expect(widget.locator(".outcome")).to_contain_text("published", timeout=30_000)
    cid = comment_id(widget.locator("ol.thread > li.comment"))

    with page.expect_download() as downloaded:
        widget.get_by_role("button", name="Download my data").click()
    with open(downloaded.value.path(), encoding="utf-8") as saved:
        data = json.load(saved)
    assert data["account"]["email"] == "bob@example.test"
    assert any(c["id"] == cid and "his to take" in c["body_source"] for c in data["comments"])

    # The page fixture dismisses real dialogs; the reader says yes to this one.
    page.evaluate("window.confirm = (m) => { window.parleyAsked = m; return true; }")
    widget.get_by_role("button", name="Erase my comments").click()
    expect(widget.locator("[aria-live=polite]")).to_have_text("Your data on this site was erased.")
    expect(widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}")).to_be_visible()
    assert "cannot be undone" in page.evaluate("window.parleyAsked")
    with stack.rt.session() as session:
        row = session.get(Comment, cid)
        assert row.author_name is None and row.identity_id is None  # anonymized (the default)
        assert session.scalar(sa.select(Identity).where(Identity.subject == "bob")) is None
    page.reload()
    item = widget.locator(f"#parley-comment-{cid}")
    expect(item).to_contain_text("Anonymous")
    expect(item).to_contain_text("his to take")


def test_a_tombstone_keeps_its_replies_in_place(stack, page):
    from datetime import UTC, datetime

    from service.comments.submit import get_or_create_thread
    from service.models import Site

    key = new_thread("tombstone")
    with stack.rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        thread = get_or_create_thread(session, site, key, None, None)
        common = {"thread_id": thread.id, "site_id": site.id, "status": "published", "simhash": 0}
        tomb = Comment(**common, body_source="", body_html="", deleted_at=datetime.now(UTC))
        session.add(tomb)
        session.flush()
        reply = Comment(
            **common,
            parent_id=tomb.id,
            depth=1,
            author_name="Replier",
            body_source="Still here.",
            body_html="<p>Still here.</p>",
        )
        session.add(reply)
        session.commit()
        tomb_id, reply_id = tomb.id, reply.id
    page.goto(stack.article(key))
    widget = page.locator("#parley")
    placeholder = widget.locator(f"#parley-comment-{tomb_id}")
    expect(placeholder.locator("article").first).to_contain_text("This comment was deleted.")
    expect(placeholder.locator(f"#parley-comment-{reply_id}")).to_contain_text("Still here.")
    # Nobody replies to a placeholder; its reply can be answered.
    expect(placeholder.locator("article").first.locator("button.reply")).to_have_count(0)
    expect(widget.locator(f"#parley-comment-{reply_id} button.reply")).to_have_count(1)
