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
