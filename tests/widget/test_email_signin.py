""" "Sign in with email" in Chromium: the popup asks for an address, the link arrives by real
SMTP (a local server), opening it signs the reader in on the page, and it works only once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Comment, Identity
from tests.moderation.servers import smtp_server
from tests.support.apps import SiteSpec, ensure_sites
from tests.support.stack import FAST_POLICY, comment_id, new_thread

pytestmark = pytest.mark.browser

SLUG = "mailblog"
ADDRESS = "mae@example.test"


@pytest.fixture
def mailbox(stack):
    """Mail on, through a local SMTP server, and a site that offers email sign-in."""
    ensure_sites(
        stack.rt,
        [SiteSpec(SLUG, "Mail blog", (stack.host,), {**FAST_POLICY, "email_signin": True})],
    )
    original = stack.rt.settings
    with smtp_server() as box:
        stack.rt.settings = original.overridden(
            mail={"smtp_host": box.host, "smtp_port": box.port, "mail_from": "parley@example.test"}
        )
        try:
            yield box
        finally:
            stack.rt.settings = original


def link_in(mailbox) -> str:
    [message] = mailbox.to(ADDRESS)
    assert message["Subject"] == "Your sign-in link for Mail blog"
    return re.search(r"(http\S+/auth/email/callback\?t=\S+)", message.get_content()).group(1)


def test_the_magic_link_signs_the_reader_in_once(stack, mailbox, context, page):
    page.goto(stack.article(new_thread("email"), site=SLUG))
    widget = page.locator("#parley")
    with context.expect_page() as opened:
        widget.get_by_role("button", name="Sign in with Email").click()
    popup = opened.value
    popup.get_by_label("Name").fill("Mae Mailer")
    popup.get_by_label("Email").fill(ADDRESS)
    popup.get_by_role("button", name="Email me a sign-in link").click()
    expect(popup.locator("#text")).to_contain_text(f"We sent a sign-in link to {ADDRESS}")

    link = link_in(mailbox)
    # Opened from the mail, in another tab of the same browser: the waiting popup completes.
    tab = context.new_page()
    tab.goto(link)
    with popup.expect_event("close"):
        tab.get_by_role("button", name=f"Sign in as {ADDRESS}").click()
    expect(tab.locator("#text")).to_contain_text("You are signed in.")
    who = widget.locator(".who")
    expect(who).to_contain_text("You are commenting using your Email account.")

    widget.get_by_role("textbox", name="Comment", exact=True).fill("Signed in by mail.")
    widget.get_by_role("button", name="Post Comment").click()
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".author")).to_have_text("Mae Mailer")
    with stack.rt.session() as session:
        comment = session.get(Comment, comment_id(item))
        identity = session.get(Identity, comment.identity_id)
        assert (identity.provider, identity.subject, identity.email_verified) == (
            "email",
            ADDRESS,
            True,
        )

    # The same link a second time signs no one in.
    again = context.new_page()
    again.goto(link)
    again.get_by_role("button", name=f"Sign in as {ADDRESS}").click()
    expect(again.get_by_role("alert")).to_have_text(
        "This link was already used; ask for a new one."
    )
    with stack.rt.session() as session:
        count = session.scalar(
            sa.select(sa.func.count()).select_from(Identity).where(Identity.provider == "email")
        )
    assert count == 1


def test_a_site_without_the_switch_offers_no_email_sign_in(stack, mailbox, page):
    page.goto(stack.article(new_thread("email-off"), site="demo"))
    widget = page.locator("#parley")
    expect(widget.locator(".provider").first).to_be_visible()
    expect(widget.get_by_role("button", name="Sign in with Email")).to_have_count(0)
