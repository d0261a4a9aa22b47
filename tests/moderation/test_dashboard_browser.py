"""The /moderate dashboard in headless Chromium (Debian's, or PARLEY_CHROMIUM):
reasons on the page, keyboard shortcuts, bulk select, filters, ban."""

from __future__ import annotations

import pytest

from service.models import Ban
from tests.moderation.helpers import hold_everything, post_from, status_of
from tests.support.live_server import serve_wsgi

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]


@pytest.fixture
def live(app):
    with serve_wsgi(app, name="dashboard") as server:
        yield server.url


@pytest.fixture
def page(browser, live, moderator_token):
    context = browser.new_context(
        base_url=live, extra_http_headers={"Authorization": f"Bearer {moderator_token}"}
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_dashboard_shows_reasons_and_acts_by_keyboard_bulk_and_ban(client, rt, site, drain, page):
    from playwright.sync_api import expect

    hold_everything(rt, site)
    ada = post_from(client, "A thoughtful remark on harbours", "Ada", "ada@example.com", "10.2.0.1")
    spam = [
        post_from(client, f"Cheap watches {i}", "Spammer", "s@spam.example.com", "10.2.0.9")
        for i in range(3)
    ]
    drain()

    page.goto("/moderate")

    rows = page.locator("article.comment")
    expect(rows).to_have_count(4)
    assert rows.first.get_attribute("data-id") == str(spam[-1])  # newest first
    expect(rows.first.locator(".reason")).to_contain_text("site holds every comment for review")
    expect(rows.first.locator("tr[data-check=banned_author]")).to_contain_text(
        "author is not banned"
    )
    expect(rows.first.locator("tr[data-check=trust]")).to_contain_text("1.00")

    # Keyboard: j moves to the second newest, s files it as spam.
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("comment current")
    page.keyboard.press("s")
    expect(page.locator(".flash").first).to_contain_text("Spam: 1 of 1")
    assert status_of(rt, spam[1]) == "spam"

    # Bulk: select the other two spam comments, one click.
    for comment_id in (spam[0], spam[2]):
        page.check(f"#comment-{comment_id} input[name=ids]")
    page.click("button[data-bulk=spam]")
    expect(page.locator(".flash").first).to_contain_text("Spam: 2 of 2")
    assert [status_of(rt, i) for i in spam] == ["spam"] * 3
    expect(rows).to_have_count(1)

    # Filters: the spam folder, by author.
    page.select_option("select[name=status]", "spam")
    page.fill("input[name=author]", "spammer")
    page.click("#filters button")
    expect(rows).to_have_count(3)
    assert "author=spammer" in page.url

    # Ban the author from one of them: their next comment is held.
    page.click(f"#comment-{spam[0]} button[data-action=ban]")
    expect(page.locator(".flash").first).to_contain_text("Ban author: 1 of 1")
    with rt.session() as session:
        [ban] = session.query(Ban).all()
        assert ban.email == "s@spam.example.com" and ban.ip_hash
    later = post_from(client, "Watches again", "Spammer", "s@spam.example.com", "10.2.0.10")
    drain()
    assert status_of(rt, later) == "held"

    # Back to the held queue: a approves the current (first) comment.
    page.goto("/moderate?status=held")
    expect(rows).to_have_count(2)
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.locator(".flash").first).to_contain_text("Approve: 1 of 1")
    assert status_of(rt, ada) == "published"


def test_dashboard_without_credentials_offers_sign_in(live):
    import requests

    response = requests.get(f"{live}/moderate", timeout=10)

    assert response.status_code == 401
    assert "moderator token" in response.text
