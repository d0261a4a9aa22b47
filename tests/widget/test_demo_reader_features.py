"""Every reader feature on the demo page itself, as ``make run`` serves it: Parley's ``/demo``
with its own strict Content-Security-Policy (what a careful host page sends), in Chromium, on
the same stack (Parley, a real worker, the second origin). The page is fetched from Parley
unchanged, headers and all, except that its embed points at a thread of this test's own, so
the demo's article thread stays as other tests expect it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.stack import comment_id, new_thread
from tests.widget.test_reader_features import close_thread, post_as_guest

pytestmark = pytest.mark.browser

DEMO_THREAD = "/2014/09/keeping-doors-open"


def open_demo(stack, page, thread: str):
    """Parley's /demo, its embed aimed at ``thread``; returns the widget and the page's CSP."""
    seen = {}

    def rewrite(route):
        response = route.fetch()
        seen["csp"] = response.headers["content-security-policy"]
        html = response.text().replace(
            f'data-parley-thread="{DEMO_THREAD}"', f'data-parley-thread="{thread}"'
        )
        assert f'data-parley-thread="{thread}"' in html
        route.fulfill(response=response, body=html)

    page.route(f"{stack.parley}/demo", rewrite)
    page.goto(f"{stack.parley}/demo")
    expect(page.locator("h1")).to_have_text("Keeping doors open")
    assert "script-src 'nonce-" in seen["csp"] and "unsafe-eval" not in seen["csp"]
    return page.locator("#parley")


def test_every_reader_feature_on_the_demo_page(stack, page):
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    thread = new_thread("demo-features")
    other = stack.post(thread, "An earlier comment by someone else.", name="Grace")
    widget = open_demo(stack, page, thread)
    grace = widget.locator(f"#parley-comment-{other['id']}")
    expect(grace.locator(".body")).to_have_text("An earlier comment by someone else.")

    # Preview: the server's rendering before posting.
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Hello **demo**")
    widget.get_by_role("button", name="Preview").click()
    expect(widget.locator(".preview strong")).to_have_text("demo")
    widget.get_by_role("button", name="Write").click()

    # Post, then edit one's own comment.
    post_as_guest(widget, "Teh first version.")
    mine = widget.locator("ol.thread > li.comment").filter(has_text="Teh first version.")
    expect(mine.locator(".body")).to_have_text("Teh first version.", timeout=20_000)
    mine_id = comment_id(mine)
    mine = widget.locator(f"#parley-comment-{mine_id}")
    mine.get_by_role("button", name="Edit").click()
    mine.get_by_role("textbox", name="Edit your comment").fill("The second version.")
    mine.get_by_role("button", name="Save").click()
    expect(mine.locator(".edited")).to_have_text("edited")

    # Vote for Grace's, then sort by top.
    grace.get_by_role("button", name="Vote up (0)").click()
    expect(grace.get_by_role("button", name="Vote up (1)")).to_have_attribute(
        "aria-pressed", "true"
    )
    widget.get_by_role("combobox", name="Sort by").select_option("top")
    expect(widget.locator("ol.thread > li.comment > article .author").first).to_have_text("Grace")

    # Permalink: "Link" puts the comment's address in the location bar.
    grace.get_by_role("button", name="Copy the link to this comment").click()
    expect(widget.locator(".sr-only[role=status]")).to_have_text("Link to the comment copied.")
    assert page.url.endswith(f"#parley-comment-{other['id']}")

    # Report Grace's.
    grace.get_by_role("button", name="Report").click()
    grace.get_by_role("combobox", name="Reason").select_option("off_topic")
    grace.get_by_role("button", name="Send report").click()
    expect(grace.get_by_role("status")).to_have_text("Thank you. A moderator will take a look.")

    # Like the page.
    widget.get_by_role("button", name="Like", exact=True).click()
    expect(widget.locator(".like-text")).to_have_text("1 reader likes this.")

    # Delete one's own.
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("button", name="Delete for good?").click()
    expect(widget.locator(".sr-only[role=status]")).to_have_text("Your comment was deleted.")
    expect(widget.locator(f"#parley-comment-{mine_id}")).to_have_count(0)

    # A moderator closes the thread: the form goes, the comments stay.
    close_thread(stack, thread)
    page.reload()
    expect(grace.locator(".body")).to_have_text("An earlier comment by someone else.")
    expect(widget.get_by_text("Comments are closed.")).to_be_visible()
    expect(widget.get_by_role("button", name="Post Comment")).to_be_hidden()
    assert csp_errors == []
