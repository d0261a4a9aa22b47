"""Asking for reply mail from the widget: signed-in readers only, through the notifications API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Identity, ReplySubscription
from tests.support.signin import OIDC_LABEL
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser

NOTIFY = "Notify me of replies by email"


def sign_in(context, widget, account: str) -> None:
    with context.expect_page() as opened:
        widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}").click()
    popup = opened.value
    popup.locator("#login").fill(account)
    with popup.expect_event("close"):
        popup.locator("#submit").click()
    expect(widget.locator(".who")).to_contain_text(OIDC_LABEL)


def subscriptions(stack, cid: int) -> list[tuple[str, str, bool]]:
    """(email, identity subject, still active) for each subscription to comment ``cid``."""
    with stack.rt.session() as session:
        rows = session.execute(
            sa.select(ReplySubscription, Identity.subject)
            .join(Identity, Identity.id == ReplySubscription.identity_id)
            .where(ReplySubscription.comment_id == cid)
        )
        return [(s.email, subject, s.unsubscribed_at is None) for s, subject in rows]


def test_a_guest_is_not_offered_reply_mail(stack, page):
    page.goto(stack.article(new_thread("notify-guest")))
    widget = page.locator("#parley")
    # The form is up (and the provider list loaded), so the checkbox's absence means something.
    expect(widget.get_by_role("button", name=f"Sign in with {OIDC_LABEL}")).to_be_visible()
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_visible()
    expect(widget.get_by_role("checkbox", name=NOTIFY)).to_have_count(0)
    expect(widget.locator("#parley-notify")).to_be_hidden()


def test_a_signed_in_reader_opts_in_by_keyboard_and_is_subscribed(stack, context, page):
    page.goto(stack.article(new_thread("notify")))
    widget = page.locator("#parley")
    sign_in(context, widget, "alice")

    notify = widget.get_by_role("checkbox", name=NOTIFY)
    expect(notify).not_to_be_checked()
    notify.focus()
    page.keyboard.press("Space")
    expect(notify).to_be_checked()

    widget.get_by_role("textbox", name="Comment", exact=True).fill("Tell me when someone answers.")
    widget.get_by_role("button", name="Post Comment").click()
    said = "Your comment was published. You'll get an email when someone replies."
    expect(widget.locator("[aria-live=polite]")).to_have_text(said)
    expect(widget.locator(".outcome")).to_have_text(said)
    cid = comment_id(widget.locator("ol.thread > li.comment"))
    assert subscriptions(stack, cid) == [("alice@example.test", "alice", True)]

    # The choice is remembered in this browser, like the guest's details.
    page.reload()
    expect(widget.get_by_role("checkbox", name=NOTIFY)).to_be_checked()


def test_an_unverified_email_gets_the_servers_reason_and_a_held_comment_still_asks(
    stack, context, page
):
    """mallory's provider does not vouch for her email; on the premoderated site her comment is
    held, and the widget still asks (the comment id is known) and says why it was refused."""
    page.goto(stack.article(new_thread("notify-unverified"), site="strict"))
    widget = page.locator("#parley")
    sign_in(context, widget, "mallory")
    widget.get_by_role("checkbox", name=NOTIFY).check()
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Reply to me, please.")
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator("[aria-live=polite]")).to_have_text(
        "Your comment is awaiting moderation. "
        "No reply emails: your sign-in provider has not verified your email."
    )
    cid = comment_id(widget.locator("ol.thread > li.comment.pending"))
    assert stack.status(cid) == "held"
    assert subscriptions(stack, cid) == []
