"""Signing in from a page on another site, through the popup, with third-party cookies blocked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from service.models import Comment, Identity
from tests.support.signin import OIDC_LABEL
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser


def test_sign_in_through_the_popup_then_comment_as_the_identity(stack, context, page):
    thread = new_thread("signin")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")

    with context.expect_page() as opened:
        widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}").click()
    popup = opened.value
    popup.locator("#login").fill("alice")
    # Waiting from before the click: the popup may close before the click returns.
    with popup.expect_event("close"):
        popup.locator("#submit").click()

    who = widget.locator(".who")
    expect(who).to_contain_text(f"You are commenting using your {OIDC_LABEL} account.")
    expect(who.get_by_role("button", name="Log out")).to_be_visible()
    expect(who.get_by_role("button", name="Change")).to_be_visible()
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_hidden()
    expect(widget.get_by_role("textbox", name="Comment", exact=True)).to_be_focused()
    # The widget keeps no cookie of its own: the reader token lives in the host page's storage.
    assert not [c for c in context.cookies() if c["domain"] == "localhost"]

    widget.get_by_role("textbox", name="Comment", exact=True).fill("Signed in from another site.")
    widget.get_by_role("button", name="Post Comment").click()
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".author")).to_have_text("Alice Liddell")
    cid = comment_id(item)
    with stack.rt.session() as session:
        comment = session.get(Comment, cid)
        assert comment.status == "published"
        assert session.get(Identity, comment.identity_id).subject == "alice"

    # Still signed in after a reload; "Log out" brings the guest form back.
    page.reload()
    expect(who).to_contain_text(OIDC_LABEL)
    who.get_by_role("button", name="Log out").click()
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_visible()
    expect(widget.locator("[aria-live=polite]")).to_have_text("You have signed out.")


def test_a_cancelled_sign_in_is_explained_and_the_guest_form_stays(stack, context, page):
    page.goto(stack.article(new_thread("cancel")))
    widget = page.locator("#parley")
    with context.expect_page() as opened:
        widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}").click()
    popup = opened.value
    with popup.expect_event("close"):
        popup.locator("#cancel").click()

    error = widget.locator("#parley-form-error")
    expect(error).to_have_text("Sign-in failed: You cancelled the sign-in.")
    expect(error).to_have_attribute("role", "alert")
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_visible()
    expect(widget.locator(".who")).to_be_hidden()


FRAME_PROBE = """(src) => new Promise((resolve) => {
    addEventListener('message', (e) => resolve(e.data));
    const frame = document.createElement('iframe'); frame.src = src; document.body.append(frame);
})"""


def test_third_party_cookies_are_blocked_in_this_browser(stack, context, page):
    """The sign-in test means something only if Chromium really blocks third-party cookies
    (it does, by the launch flag and because Playwright contexts are off-the-record)."""
    page.goto(stack.page("/cookie-probe", "<!doctype html><title>probe</title>"))
    page.evaluate("document.cookie = 'probe=1; SameSite=None; Secure; Path=/'")
    framed = stack.page(
        "/framed", "<!doctype html><script>parent.postMessage(document.cookie, '*')</script>"
    )
    # Control: framed by its own site, the page sees its cookie ...
    assert page.evaluate(FRAME_PROBE, framed) == "probe=1"
    # ... framed by Parley's site it is a third party, and sees none.
    parley_page = context.new_page()
    # A document on Parley's origin that may frame anything: Parley's HTML pages send a CSP
    # that allows no frames, the OpenAPI document (JSON) sends none.
    parley_page.goto(f"{stack.parley}/api/v1/openapi.json")
    assert parley_page.evaluate(FRAME_PROBE, framed) == ""
