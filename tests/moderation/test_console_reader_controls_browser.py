"""The queue's controls for the readers' features (issue 16) in Chromium: a moderator reads a
comment's edit history, pins and unpins it, closes and reopens its thread, and dismisses
readers' reports, each through the documented API from the page; other sites' moderators and
strangers are refused by that API.

``PARLEY_SCREENSHOTS=docs/screenshots`` writes the picture of a card with its controls there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.access import create_token
from service.models import Comment, CommentReport, Site, Thread
from tests.moderation.helpers import bearer, status_of
from tests.support.apps import OTHER, ensure_sites
from tests.support.live_server import serve_wsgi

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

THREAD = "/posts/harbour"


def _submit(client, body: str, name: str, ip: str) -> dict:
    answer = client.post(
        "/api/v1/comments",
        json={"site": "demo", "thread": THREAD, "body": body,
              "author": {"name": name, "email": f"{name.lower()}@example.org"}},
        environ_base={"REMOTE_ADDR": ip},
    )  # fmt: skip
    assert answer.status_code in (201, 202), answer.get_json()
    return answer.get_json()


def _report(client, cid: int, reader: str, reason: str):
    answer = client.post(
        f"/api/v1/comments/{cid}/report",
        json={"reason": reason},
        headers={"X-Parley-Guest": reader.ljust(16, "x")},
    )
    assert answer.status_code == 200, answer.get_json()


@pytest.fixture
def live(app):
    with serve_wsgi(app, name="console") as server:
        yield server.url


def test_pin_close_history_and_dismiss_from_the_queue(
    client, rt, site, drain, browser, live, moderator_token
):
    from playwright.sync_api import expect

    first = _submit(client, "Frist! The harbour was lovely.", "Ann", "10.6.0.1")
    other = _submit(client, "The ferry timetable changed in May.", "Bo", "10.6.0.2")
    drain()
    edited = client.patch(
        f"/api/v1/comments/{first['comment']['id']}",
        json={"body": "First! The harbour was lovely in May."},
        headers={"X-Parley-Comment-Secret": first["secret"]},
    )
    assert edited.status_code == 200, edited.get_json()
    drain()
    ann, bo = first["comment"]["id"], other["comment"]["id"]
    assert status_of(rt, ann) == status_of(rt, bo) == "published"
    _report(client, bo, "reader-one", "off_topic")
    _report(client, bo, "reader-two", "spam")

    # Refused by the API the page calls: strangers (401) and other sites' moderators (403).
    stranger_calls = [
        ("post", f"/api/v1/comments/{ann}/pin", {"pinned": True}),
        ("post", "/api/v1/threads/close", {"site": "demo", "thread": THREAD, "closed": True}),
        ("post", f"/api/v1/moderation/comments/{bo}/reports/dismiss", None),
        ("get", f"/api/v1/moderation/comments/{ann}/history", None),
    ]
    outsider_site = ensure_sites(rt, [OTHER])[0]
    with rt.session() as session:
        outsider = create_token(session, session.get(Site, outsider_site.id), "owner")
        session.commit()
    for method, path, body in stranger_calls:
        kwargs = {"json": body} if body is not None else {}
        assert getattr(client, method)(path, **kwargs).status_code == 401, path
        refused = getattr(client, method)(path, headers=bearer(outsider), **kwargs)
        assert refused.status_code == 403, path
    with rt.session() as session:
        assert not session.get(Comment, ann).pinned
        assert session.query(CommentReport).filter_by(dismissed_at=None).count() == 2

    context = browser.new_context(
        base_url=live, extra_http_headers={"Authorization": f"Bearer {moderator_token}"}
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto("/moderate?site=demo&status=published")
        card = page.locator(f"#comment-{ann}")
        expect(card.locator(".badge-edited")).to_have_text("edited")

        # The edit history, read from the API when opened: what it said before, and now.
        card.locator("details.edit-history summary").click()
        versions = card.locator("ol.versions li")
        expect(versions).to_have_count(2)
        expect(versions.nth(0)).to_contain_text("Frist! The harbour was lovely.")
        expect(versions.nth(0)).to_contain_text("published")
        expect(versions.nth(1)).to_contain_text("First! The harbour was lovely in May.")
        shots = os.environ.get("PARLEY_SCREENSHOTS")
        if shots:
            card.screenshot(path=str(Path(shots) / "queue-controls.png"), animations="disabled")

        # Pin it (the thread's controls are folded under the card); the page reloads with the
        # API's answer.
        card.locator("details.manage summary").click()
        card.locator("button[data-manage=pin]").click()
        expect(page.locator("#done")).to_have_text("Pinned to the top of its thread.")
        expect(page.locator(f"#comment-{ann} .badge-pinned")).to_be_visible()
        listing = client.get("/api/v1/comments", query_string={"site": "demo", "thread": THREAD})
        assert [c["id"] for c in listing.get_json()["comments"] if c["pinned"]] == [ann]
        page.locator(f"#comment-{ann} details.manage summary").click()
        expect(page.locator(f"#comment-{ann} button[data-manage=pin]")).to_have_text("Unpin")
        page.locator(f"#comment-{ann} button[data-manage=pin]").click()
        expect(page.locator("#done")).to_have_text("Unpinned.")
        with rt.session() as session:
            assert not session.get(Comment, ann).pinned

        # Close the thread: new comments are refused; reopen it.
        page.locator(f"#comment-{ann} details.manage summary").click()
        page.locator(f"#comment-{ann} button[data-manage=close]").click()
        expect(page.locator("#done")).to_have_text("Thread closed to new comments.")
        expect(page.locator(f"#comment-{bo} .badge-closed")).to_be_visible()
        refused = client.post(
            "/api/v1/comments",
            json={"site": "demo", "thread": THREAD, "body": "Too late?",
                  "author": {"name": "Cy", "email": "cy@example.org"}},
        )  # fmt: skip
        assert refused.status_code in (403, 409), refused.get_json()
        assert "error" in refused.get_json()
        page.locator(f"#comment-{ann} details.manage summary").click()
        page.locator(f"#comment-{ann} button[data-manage=close]").click()
        expect(page.locator("#done")).to_have_text("Thread reopened.")
        with rt.session() as session:
            assert session.query(Thread).filter_by(key=THREAD).one().closed_at is None

        # Dismiss Bo's reports from the reported tab: the card leaves it.
        page.goto("/moderate?site=demo&status=reported")
        reported = page.locator(f"#comment-{bo}")
        expect(reported.locator(".chip-report")).to_have_count(2)
        expect(reported.locator("button[data-manage=dismiss]")).to_have_text("Dismiss reports (2)")
        reported.locator("button[data-manage=dismiss]").click()
        expect(page.locator("#done")).to_have_text("Reports dismissed.")
        expect(page.locator(f"#comment-{bo}")).to_have_count(0)
        with rt.session() as session:
            assert session.query(CommentReport).filter_by(dismissed_at=None).count() == 0
        assert status_of(rt, bo) == "published"

        # The same controls in Japanese.
        page.goto("/moderate?site=demo&status=published&lang=ja")
        page.locator(f"#comment-{ann} details.manage summary").click()
        expect(page.locator(f"#comment-{ann} button[data-manage=pin]")).to_have_text("固定")
        expect(page.locator(f"#comment-{ann} button[data-manage=close]")).to_have_text(
            "スレッドを締め切る"
        )
    finally:
        context.close()
