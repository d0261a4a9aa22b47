"""The reader's own answers and the live stream, in every order.

A busy server or a slow network can deliver the live stream's event before the answer to the
reader's own request (the POST, the wait for the decision, the PATCH of an edit), and the
reader may act on what the stream showed before that answer arrives. Each test here holds one
answer back (Playwright's ``page.route``) until the other thing has happened, so the order is
forced, not hoped for; the page must end up the same as in the usual order.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.stack import new_thread
from tests.widget.test_posting import field, post_as_guest

pytestmark = pytest.mark.browser


def hold(page, method: str, url) -> list:
    """Requests of ``method`` to ``url`` reach the server now; the page gets each answer only
    when ``release`` says so. Returns the list of what is held (a request is in it from the
    moment it is asked, before the server has answered)."""
    held = []

    def handler(route):
        if route.request.method != method:
            route.fallback()
            return
        entry = {"route": route}
        held.append(entry)
        entry["answer"] = route.fetch()

    page.route(url, handler)
    return held


def release(page, held: list) -> None:
    """The page gets the oldest held answer (once the server has given it)."""
    entry = held.pop(0)
    # The handler fetches while the test waits in a Playwright call: give it the turn.
    for _ in range(600):
        if "answer" in entry:
            break
        page.wait_for_timeout(50)
    entry["route"].fulfill(response=entry["answer"])


def is_wait(url: str) -> bool:
    """The widget's long poll for a decision (``GET /api/v1/comments/<id>?wait=…``)."""
    return "/api/v1/comments/" in url and "wait=" in url


def live_thread(stack, page, name: str):
    """A thread someone else already commented on, open in the page with its stream live."""
    thread = new_thread(name)
    # Worded for this thread: the same words in every thread would be held as a repeat.
    other = stack.post(thread, f"Grace was here first, on {thread}.", name="Grace")
    assert other["status"] == "published", other
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.locator(f"#parley-comment-{other['id']}")).to_be_visible()
    expect(widget.get_by_text("Live", exact=True)).to_be_visible()
    return widget, other


def pending_kept(page) -> list:
    """What this browser keeps as awaiting moderation, on any thread."""
    return page.evaluate(
        "Object.keys(localStorage).filter(k => k.includes(':pending:')).map(k => localStorage[k])"
    )


def test_a_reply_begun_under_ones_own_comment_before_the_post_is_answered_stays_open(stack, page):
    """The stream shows the reader's reply; they answer it at once. The late answer to the POST
    redraws their comment with Edit and Delete, and must neither drop nor close the reply form
    they are typing in, nor take the focus from it."""
    widget, grace = live_thread(stack, page, "reply-first")
    posts = hold(page, "POST", "**/api/v1/comments")
    widget.get_by_role("button", name="Reply to Grace").click()
    post_as_guest(widget, "My reply, which the stream shows first.")
    mine = widget.locator(f"#parley-comment-{grace['id']} > .children > li.comment")
    expect(mine).to_have_count(1, timeout=20_000)
    assert len(posts) == 1, "the live stream, not the POST's answer, showed the reply"

    mine.get_by_role("button", name="Reply to Ada").click()
    expect(widget.locator("h3")).to_have_text("Reply to Ada")
    field(widget, "Comment").fill("And a follow-up to myself.")

    release(page, posts)
    expect(widget.locator(".outcome")).to_have_text("Your comment was published.")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(widget.locator("h3")).to_have_text("Reply to Ada")
    follow_up = mine.get_by_role("textbox", name="Comment", exact=True)
    expect(follow_up).to_have_value("And a follow-up to myself.")
    expect(follow_up).to_be_focused()


def test_a_comment_deleted_before_the_decision_is_answered_stays_deleted(stack, page):
    """The stream shows the comment, its author deletes it at once; the answer to the wait for
    the decision, arriving after that, must not bring it back."""
    widget, _grace = live_thread(stack, page, "delete-first")
    waits = []
    page.route(is_wait, lambda route: waits.append(route))  # reaches the server on release
    post_as_guest(widget, "Posted in haste.")
    mine = widget.locator("ol.thread > li.comment").filter(has_text="Posted in haste.")
    mine.get_by_role("button", name="Delete").click(timeout=20_000)
    mine.get_by_role("button", name="Delete for good?").click()
    expect(widget.locator(".sr-only[role=status]")).to_have_text("Your comment was deleted.")
    expect(mine).to_have_count(0)
    assert len(waits) == 1, "the wait for the decision was answered before the deletion"

    waits.pop().continue_()
    expect(widget.locator(".outcome")).to_have_text("Your comment was deleted.")
    expect(mine).to_have_count(0)
    expect(widget.locator("ol.thread > li.comment")).to_have_count(1)
    expect(widget.locator("h2")).to_have_text("1 comment")
    assert pending_kept(page) == []


def test_an_edit_the_stream_publishes_before_its_answer_is_published_for_its_author(stack, page):
    """The stream brings the published edit while the answer to the PATCH is on its way, and the
    wait for the decision that follows ends without one (a timeout, a dropped connection): the
    edit is published, not "awaiting moderation" for ever."""
    widget, _grace = live_thread(stack, page, "edit-first")
    post_as_guest(widget, "Teh first version.")
    expect(widget.locator(".outcome")).to_have_text("Your comment was published.", timeout=20_000)
    mine = widget.locator("ol.thread > li.comment").filter(has_text="Teh first version.")
    mine.get_by_role("button", name="Edit").click()
    mine.get_by_role("textbox", name="Edit your comment").fill("The second version.")
    patches = hold(page, "PATCH", "**/api/v1/comments/*")
    page.route(is_wait, lambda route: route.abort())
    mine.get_by_role("button", name="Save").click()
    body = widget.locator("ol.thread > li.comment .body").filter(has_text="The second version.")
    expect(body).to_have_count(1, timeout=20_000)  # brought by the stream; the box still open
    assert len(patches) == 1, "the PATCH was answered before the stream brought the edit"

    release(page, patches)
    expect(widget.locator(".sr-only[role=status]")).to_have_text("Your changes were published.")
    expect(body).to_be_visible()
    expect(body.locator("xpath=..").locator(".edited")).to_have_text("edited")
    assert pending_kept(page) == []


def test_a_comment_the_wait_did_not_see_decided_is_published_once_the_stream_brings_it(stack, page):
    """The wait for the decision ends without one; the stream then (or already) brings the
    comment published: the reader is told it was published, and nothing stays "awaiting"."""
    widget, _grace = live_thread(stack, page, "wait-failed")
    page.route(is_wait, lambda route: route.abort())
    post_as_guest(widget, "Decided after the wait gave up.")
    expect(widget.locator(".outcome")).to_have_text("Your comment was published.", timeout=20_000)
    mine = widget.locator("ol.thread > li.comment").filter(has_text="Decided after the wait")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(widget.locator("li.pending")).to_have_count(0)
    expect(widget.locator("h2")).to_have_text("2 comments")
    assert pending_kept(page) == []


def test_own_comment_the_live_stream_brings_first_is_still_the_readers_own(stack, page):
    """The decision can reach the page by the live stream before the answer to the POST does
    (a slow network, a busy server): the comment is still the reader's to edit, and what they
    began typing meanwhile is kept."""
    widget, _grace = live_thread(stack, page, "stream-first")
    posts = hold(page, "POST", "**/api/v1/comments")
    post_as_guest(widget, "Mine, whichever way it arrives.")
    mine = widget.locator("ol.thread > li.comment").filter(has_text="Mine, whichever way")
    expect(mine).to_have_count(1, timeout=20_000)
    assert len(posts) == 1, "the live stream, not the POST's answer, showed the comment"
    expect(mine.get_by_role("button", name="Edit")).to_have_count(0)
    field(widget, "Comment").fill("And a second thought.")

    release(page, posts)
    expect(widget.locator(".outcome")).to_have_text("Your comment was published.")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(mine.get_by_role("button", name="Report")).to_have_count(0)
    expect(widget.locator("ol.thread > li.comment")).to_have_count(2)
    expect(field(widget, "Comment")).to_have_value("And a second thought.")
