"""Posting: the reader learns the outcome at once, in place, and the database agrees."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from service.models import Comment
from service.settings import Settings
from tests.support.apps import build_app
from tests.support.live_server import free_port, serve_wsgi
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser


def field(widget, label: str):
    """A form field found by its accessible name, as a screen reader user would find it."""
    return widget.get_by_role("textbox", name=label, exact=True)


def fill_guest(widget, body: str, name: str = "Ada", email: str = "ada@example.com") -> None:
    field(widget, "Comment").fill(body)
    field(widget, "Name").fill(name)
    field(widget, "Email (never published)").fill(email)


def post_as_guest(widget, body: str, **author) -> None:
    fill_guest(widget, body, **author)
    widget.get_by_role("button", name="Post Comment").click()


def focused_id(page) -> str | None:
    """The id of the element focused inside the widget's shadow root."""
    return page.evaluate(
        "document.getElementById('parley').shadowRoot.activeElement?.closest('li')?.id"
    )


def test_guest_comment_is_published_at_once_and_focused(stack, page):
    thread = new_thread("publish")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.get_by_text("No comments yet")).to_be_visible()

    post_as_guest(widget, "Published straight away, I hope.")

    expect(widget.locator(".outcome")).to_have_text("Your comment was published.")
    item = widget.locator("ol.thread > li.comment")
    expect(item).to_have_count(1)
    expect(item.locator(".body")).to_have_text("Published straight away, I hope.")
    expect(widget.locator("h2")).to_have_text("1 comment")
    expect(field(widget, "Comment")).to_have_value("")
    cid = comment_id(item)
    assert stack.status(cid) == "published"
    # Focus moves to the new comment, and the outcome is announced.
    assert focused_id(page) == f"parley-comment-{cid}"
    expect(widget.locator("[aria-live=polite]")).to_have_text("Your comment was published.")


def test_held_comment_awaits_moderation_for_its_author_only_across_reloads(stack, context, browser):
    thread = new_thread("held")
    page = context.new_page()
    url = stack.article(thread, site="strict")
    page.goto(url)
    widget = page.locator("#parley")
    post_as_guest(widget, "Please approve me.")

    expect(widget.locator(".outcome")).to_have_text("Your comment is awaiting moderation.")
    pending = widget.locator("li.pending")
    expect(pending).to_have_count(1)
    expect(pending.locator(".note")).to_have_text("Your comment is awaiting moderation.")
    cid = comment_id(pending)
    assert stack.status(cid) == "held"

    # Back on the page, the widget asks how its reader's comment fared, with the comment's key:
    # without it the status is nobody's business (404) and the pending comment would be dropped.
    def status_check(response) -> bool:
        return response.request.method == "GET" and f"/api/v1/comments/{cid}?" in response.url

    with page.expect_response(status_check) as checked:
        page.reload()
    assert checked.value.status == 200 and "key=" in checked.value.url
    assert checked.value.json()["comment"]["status"] == "held"
    expect(widget.locator(f"#parley-pending-{cid} .text")).to_have_text("Please approve me.")
    expect(widget.locator("h2")).to_have_text("Comments")

    # Another browser sees nothing: a held comment is its author's business.
    stranger = browser.new_context()
    try:
        other = stranger.new_page()
        other.goto(url)
        expect(other.locator("#parley").get_by_text("No comments yet")).to_be_visible()
        expect(other.locator("#parley li.pending")).to_have_count(0)
    finally:
        stranger.close()


def test_reply_nests_under_its_parent(stack, page):
    thread = new_thread("reply")
    parent = stack.post(thread, "Start of a conversation.", name="Grace")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")

    widget.get_by_role("button", name="Reply to Grace").click()
    expect(widget.locator("h3")).to_have_text("Reply to Grace")
    expect(field(widget, "Comment")).to_be_focused()
    post_as_guest(widget, "And here is my answer.", name="Linus", email="linus@example.com")

    nested = widget.locator(f"#parley-comment-{parent['id']} > .children > li.comment")
    expect(nested).to_have_count(1)
    expect(nested.locator(".author")).to_have_text("Linus")
    reply_id = comment_id(nested)
    with stack.rt.session() as session:
        assert session.get(Comment, reply_id).parent_id == parent["id"]
    # The form went back under the thread.
    expect(widget.locator("h3")).to_have_text("Leave a Reply")


def test_validation_errors_are_shown_next_to_each_field_in_words(stack, page):
    page.goto(stack.article(new_thread("invalid")))
    widget = page.locator("#parley")
    field(widget, "Email (never published)").fill("not-an-address")
    field(widget, "Website (optional)").fill("javascript:alert(1)")
    widget.get_by_role("button", name="Post Comment").click()

    expect(widget.locator("#parley-body-error")).to_have_text("Please write a comment.")
    expect(widget.locator("#parley-name-error")).to_have_text("Please enter your name.")
    expect(widget.locator("#parley-email-error")).to_contain_text("valid email address")
    expect(widget.locator("#parley-url-error")).to_contain_text("http:// or https://")
    expect(field(widget, "Email (never published)")).to_have_attribute("aria-invalid", "true")
    expect(field(widget, "Comment")).to_be_focused()


def test_keyboard_only_posting(stack, page):
    thread = new_thread("keyboard")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.get_by_text("No comments yet")).to_be_visible()

    # From the top of the page, Tab reaches the comment box before anything else in the widget.
    for _ in range(30):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.getElementById('parley').shadowRoot.activeElement?.id")
            == "parley-body"
        ):
            break
    else:
        pytest.fail("Tab never reached the comment box")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("kim@example.com")
    page.keyboard.press("Enter")

    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".body")).to_have_text("Typed without a mouse.")
    expect(item.locator(".author")).to_have_text("Keyboard Kim")
    assert focused_id(page) == item.get_attribute("id")


def test_each_submission_carries_a_signed_render_token_and_the_empty_honeypot(stack, page):
    page.goto(stack.article(new_thread("signals")))
    widget = page.locator("#parley")
    fill_guest(widget, "A person, typing at a person's pace.")
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/api/v1/comments")
    ) as sent:
        widget.get_by_role("button", name="Post Comment").click()
    client = sent.value.post_data_json["client"]
    assert client["honeypot"] == ""
    assert client["render_token"]

    item = widget.locator("ol.thread > li.comment")
    expect(item).to_have_count(1)
    with stack.rt.session() as session:
        stored = session.get(Comment, comment_id(item))
        # The server verified the token's signature and measured the time since rendering.
        assert stored.client["elapsed_ms"] >= 0
        assert stored.client["honeypot"] == ""


def test_a_bot_that_fills_the_hidden_honeypot_is_filed_as_spam(stack, page):
    page.goto(stack.article(new_thread("honeypot")))
    widget = page.locator("#parley")
    honeypot = widget.locator("input[name=homepage]")
    # Invisible to people and out of the tab order; only a form-filling bot finds it.
    expect(honeypot).not_to_be_in_viewport()
    assert honeypot.get_attribute("tabindex") == "-1"
    honeypot.fill("http://cheap-pills.example")
    post_as_guest(widget, "Great post, visit my site.")

    expect(widget.locator(".outcome")).to_have_text("Your comment is awaiting moderation.")
    pending = widget.locator("li.pending")
    assert stack.status(comment_id(pending)) == "spam"


def test_a_rate_limit_is_explained_in_words(stack, page):
    port = free_port()
    limited = build_app(
        Settings.from_env(
            {
                **stack.env,
                "PARLEY_SUBMIT_RATE": "1",
                "PARLEY_BASE_URL": f"http://127.0.0.1:{port}",
            }
        )
    )
    try:
        with serve_wsgi(limited, port):
            html = f"""<!doctype html><html lang="en"><body><div id="parley"></div>
<script src="http://127.0.0.1:{port}/embed.js" data-parley-site="demo"
data-parley-thread="{new_thread("rate")}" async></script></body></html>"""
            page.goto(stack.page("/rate-limited", html))
            # The limit counts per clock minute: keep both posts inside one (the clock is the
            # event waited for). Half a minute of room: two browser posts on a loaded CI box.
            if (left := 60 - time.time() % 60) < 30:
                time.sleep(left + 0.2)
            widget = page.locator("#parley")
            post_as_guest(widget, "The first one goes through.")
            expect(widget.locator("ol.thread > li.comment")).to_have_count(1)
            field(widget, "Comment").fill("The second one, a moment later, does not.")
            widget.get_by_role("button", name="Post Comment").click()

            error = widget.locator("#parley-form-error")
            expect(error).to_contain_text("You are commenting too quickly. Please wait")
            expect(error).to_have_attribute("role", "alert")
            expect(field(widget, "Comment")).to_have_value(
                "The second one, a moment later, does not."
            )
    finally:
        limited.extensions["parley"].close()


def test_escape_closes_a_reply_and_returns_focus_to_its_button(stack, page):
    thread = new_thread("escape")
    stack.post(thread, "Reply to me, or not.", name="Grace")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    reply = widget.get_by_role("button", name="Reply to Grace")
    reply.focus()
    page.keyboard.press("Enter")
    expect(field(widget, "Comment")).to_be_focused()
    expect(widget.get_by_role("button", name="Cancel reply")).to_be_visible()

    page.keyboard.press("Escape")
    expect(reply).to_be_focused()
    expect(widget.locator("h3")).to_have_text("Leave a Reply")
    expect(widget.get_by_role("button", name="Cancel reply")).to_be_hidden()


def test_a_guest_who_asks_is_remembered_in_this_browser(stack, page):
    page.goto(stack.article(new_thread("remember")))
    widget = page.locator("#parley")
    fill_guest(widget, "Remember me next time.", name="Rosa", email="rosa@example.com")
    widget.get_by_role("checkbox", name="Save my name").check()
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator("ol.thread > li.comment")).to_have_count(1)

    page.goto(stack.article(new_thread("remember")))
    expect(field(widget, "Name")).to_have_value("Rosa")
    expect(field(widget, "Email (never published)")).to_have_value("rosa@example.com")
    expect(widget.get_by_role("checkbox", name="Save my name")).to_be_checked()
