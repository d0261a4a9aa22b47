"""Reading: a thread renders with threaded replies, authors, times and sanitized HTML."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Thread
from tests.support.stack import new_thread

pytestmark = pytest.mark.browser


def test_thread_renders_with_replies_nested_under_their_parent(stack, page):
    thread = new_thread("renders")
    first = stack.post(
        thread, "First, with **bold** words.", name="Grace", url="https://grace.example.org/"
    )
    reply = stack.post(thread, "A reply to Grace.", parent=first["id"], name="Linus")
    second = stack.post(thread, "Another top-level comment.", name="Ada")
    assert [first["status"], reply["status"], second["status"]] == ["published"] * 3

    page.goto(stack.article(thread))

    widget = page.locator("#parley")
    expect(widget.locator("h2")).to_have_text("3 comments")
    top = widget.locator("ol.thread > li.comment")
    expect(top).to_have_count(2)
    grace = widget.locator(f"#parley-comment-{first['id']}")
    expect(grace.locator("> .children > li")).to_have_attribute(
        "id", f"parley-comment-{reply['id']}"
    )
    expect(grace.locator("> article .body strong")).to_have_text("bold")
    # A guest's name links to their website, marked as user content.
    link = grace.locator("> article a.author")
    expect(link).to_have_text("Grace")
    expect(link).to_have_attribute("href", "https://grace.example.org/")
    expect(link).to_have_attribute("rel", "nofollow ugc noopener noreferrer")
    expect(grace.locator("> article time")).to_have_text("now")
    # One "Reply" under each comment, named for whom it answers.
    expect(widget.get_by_role("button", name="Reply to Linus")).to_be_visible()
    assert page.dialogs == []


def test_the_element_carrying_data_parley_thread_is_the_embed_with_title_and_canonical_url(
    stack, page
):
    thread = new_thread("element")
    html = f"""<!doctype html><html lang="en"><head><title>Page title</title>
<link rel="canonical" href="{stack.host}/canonical-article"></head><body>
<div id="parley">not this one</div>
<section id="comments" data-parley-site="demo" data-parley-thread="{thread}"
         data-parley-title="The article's own title"></section>
<script src="{stack.parley}/embed.js" async></script></body></html>"""
    page.goto(stack.page("/element-embed", html))
    widget = page.locator("#comments")
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Mounted in the section.")
    widget.get_by_role("textbox", name="Name", exact=True).fill("Ada")
    widget.get_by_role("textbox", name="Email (never published)").fill("ada@example.com")
    widget.get_by_role("button", name="Post Comment").click()

    expect(widget.locator("ol.thread > li.comment .body")).to_have_text("Mounted in the section.")
    assert page.evaluate("document.getElementById('parley').shadowRoot") is None
    with stack.rt.session() as session:
        row = session.scalar(sa.select(Thread).where(Thread.key == thread))
        assert (row.title, row.url) == (
            "The article's own title",
            f"{stack.host}/canonical-article",
        )
