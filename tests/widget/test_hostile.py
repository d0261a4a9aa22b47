"""Hostile names, websites and bodies are shown as text and never run, in the host page."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import expect

from service.access import create_token
from service.models import Site
from tests.support.stack import new_thread

pytestmark = pytest.mark.browser

# Each payload, if it ran, would open a dialog or set window.pwned.
NAME = '<img src=x onerror="window.pwned=1;alert(1)">'
WEBSITE = 'https://example.com/"><svg onload="window.pwned=2;alert(2)">'
BODY = "\n\n".join(
    [
        "<script>window.pwned=3;alert(3)</script>",
        '<img src=x onerror="window.pwned=4;alert(4)">',
        "[click me](javascript:window.pwned=5;alert(5))",
        "&lt;img src=x onerror=alert(6)&gt; and &#60;script&#62;alert(7)&#60;/script&#62;",
        '<a href="jav&#x09;ascript:alert(8)">tab trick</a>'
        ' <iframe src="javascript:alert(9)"></iframe>',
    ]
)


# Every element in the widget that could run or load something, if any.
DANGEROUS = """() => {
    const found = [];
    for (const el of document.getElementById('parley').shadowRoot.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'svg', 'object', 'embed'].includes(tag)) found.push(tag);
        if (tag === 'img' && !el.classList.contains('avatar')) found.push('img');
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) found.push(`${tag}[${attr.name}]`);
            if (/^\\s*(javascript|data|vbscript):/i.test(attr.value)) {
                found.push(`${tag}[${attr.name}=${attr.value}]`);
            }
        }
    }
    return found;
}"""


def assert_inert(page) -> None:
    page.wait_for_timeout(300)  # let any image error or onload handler fire
    assert page.dialogs == []
    assert page.evaluate("window.pwned") is None
    assert page.evaluate(DANGEROUS) == []


def test_hostile_payloads_through_the_api_stay_inert(stack, page):
    thread = new_thread("hostile")
    comment = stack.post(thread, BODY, name=NAME, url=WEBSITE, email="mallory@example.com")
    if comment["status"] != "published":
        # The checks may well hold this; a moderator who publishes it must still be safe.
        with stack.rt.session() as session:
            demo = session.scalar(sa.select(Site).where(Site.slug == "demo"))
            token = create_token(session, demo, "moderator")
            session.commit()
        approved = requests.post(
            f"{stack.parley}/api/v1/moderation/comments/{comment['id']}/approve",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert approved.status_code == 200, approved.text
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    item = widget.locator(f"#parley-comment-{comment['id']}")
    expect(item.locator(".author")).to_have_text(NAME)
    assert item.locator(".author").get_attribute("href").startswith("https://example.com/")
    expect(item.locator(".body")).to_contain_text("<img src=x onerror=alert(6)>")
    # The javascript: link keeps its text and loses its target.
    for link in item.locator(".body a").all():
        href = link.get_attribute("href")
        assert href is None or href.startswith(("http:", "https:", "mailto:")), href
    assert_inert(page)


def test_hostile_payloads_typed_into_the_form_stay_inert(stack, page):
    thread = new_thread("hostile-form")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    widget.get_by_role("textbox", name="Comment", exact=True).fill(BODY)
    widget.get_by_role("textbox", name="Name", exact=True).fill(NAME)
    widget.get_by_role("textbox", name="Email (never published)").fill("mallory@example.com")
    widget.get_by_role("textbox", name="Website (optional)").fill(WEBSITE)
    widget.get_by_role("button", name="Post Comment").click()

    # Published or held, the reader's own copy shows the name as typed, as text.
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".author")).to_have_text(NAME)
    assert_inert(page)
    page.reload()
    expect(widget.locator("ol.thread > li.comment .author")).to_have_text(NAME)
    assert_inert(page)
