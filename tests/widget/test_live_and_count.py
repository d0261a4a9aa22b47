"""Live updates by Server-Sent Events, and the count script for article lists."""

from __future__ import annotations

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import expect

from service.access import create_token
from service.comments.edits import SECRET_HEADER, comment_secret
from service.models import Site
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser


def test_a_comment_published_elsewhere_appears_live(stack, page):
    thread = new_thread("live")
    stack.post(thread, "Already here.", name="Grace")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.locator(".live")).to_be_visible()  # the event stream is open
    expect(widget.locator("h2")).to_have_text("1 comment")

    comment = stack.post(thread, "Fresh from another reader.", name="Linus")
    assert comment["status"] == "published"

    item = widget.locator(f"#parley-comment-{comment['id']}")
    expect(item.locator(".body")).to_have_text("Fresh from another reader.")
    expect(widget.locator("h2")).to_have_text("2 comments")
    expect(widget.locator("[aria-live=polite]")).to_have_text("New comment from Linus.")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload


def test_an_authors_delete_elsewhere_leaves_every_open_page_live(stack, page):
    thread = new_thread("live-delete")
    lone = stack.post(thread, "Taken back soon.", name="Grace")
    parent = stack.post(thread, "Answered, then taken back.", name="Grace")
    reply = stack.post(thread, "An answer that stays.", name="Linus", parent=parent["id"])
    pages = [page, page.context.new_page()]
    for each in pages:
        each.goto(stack.article(thread))
        expect(each.locator("#parley .live")).to_be_visible()
        expect(each.locator("#parley h2")).to_have_text("3 comments")

    def delete(comment: dict) -> None:
        secret = comment_secret(stack.env["PARLEY_SECRET_KEY"], comment["id"])
        answer = requests.delete(
            f"{stack.parley}/api/v1/comments/{comment['id']}",
            headers={"Origin": stack.host, SECRET_HEADER: secret},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text

    delete(lone)
    for each in pages:
        widget = each.locator("#parley")
        expect(widget.locator(f"#parley-comment-{lone['id']}")).to_have_count(0)
        expect(widget.locator("h2")).to_have_text("2 comments")
    delete(parent)
    for each in pages:
        widget = each.locator("#parley")
        kept = widget.locator(f"#parley-comment-{parent['id']}")
        expect(kept.locator(":scope > article.tombstone")).to_have_count(1)
        expect(kept).not_to_contain_text("Answered, then taken back.")
        expect(kept.locator(f"#parley-comment-{reply['id']} .body")).to_have_text(
            "An answer that stays."
        )
        expect(widget.locator("h2")).to_have_text("1 comment")
        assert each.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_a_moderators_removal_leaves_every_open_page_live(stack, page):
    with stack.rt.session() as session:
        demo = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        token = create_token(session, demo, "moderator")
        session.commit()
    thread = new_thread("live-remove")
    lone = stack.post(thread, "Spam that slipped through.", name="Mallory")
    parent = stack.post(thread, "Rude, then rejected.", name="Mallory")
    reply = stack.post(thread, "A calm answer that stays.", name="Linus", parent=parent["id"])
    pages = [page, page.context.new_page()]
    for each in pages:
        each.goto(stack.article(thread))
        expect(each.locator("#parley .live")).to_be_visible()
        expect(each.locator("#parley h2")).to_have_text("3 comments")

    def moderate(comment: dict, action: str) -> None:
        answer = requests.post(
            f"{stack.parley}/api/v1/moderation/comments/{comment['id']}/{action}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text

    moderate(lone, "spam")
    moderate(parent, "reject")
    for each in pages:
        widget = each.locator("#parley")
        expect(widget.locator(f"#parley-comment-{lone['id']}")).to_have_count(0)
        kept = widget.locator(f"#parley-comment-{parent['id']}")
        expect(kept.locator(":scope > article.tombstone")).to_have_count(1)
        expect(widget).not_to_contain_text("Mallory")
        expect(widget).not_to_contain_text("Rude, then rejected.")
        expect(kept.locator(f"#parley-comment-{reply['id']} .body")).to_have_text(
            "A calm answer that stays."
        )
        expect(widget.locator("h2")).to_have_text("1 comment")
        assert each.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_count_script_fills_every_placeholder_with_one_request(stack, page):
    busy, quiet, unknown = new_thread("count"), new_thread("count"), new_thread("count")
    for n in range(3):
        stack.post(busy, f"Comment number {n} on the busy article.", email=f"count{n}@example.com")
    stack.post(quiet, "The only comment on the quiet one.")
    html = f"""<!doctype html><html lang="en"><body><ul>
<li>Busy <span data-parley-count="{busy}">…</span></li>
<li>Quiet <span data-parley-count="{quiet}">…</span></li>
<li>Quiet again <span data-parley-count="{quiet}">…</span></li>
<li>Nobody yet <span data-parley-count="{unknown}">…</span></li>
</ul><script src="{stack.parley}/count.js" data-parley-site="demo" async></script></body></html>"""
    calls = []
    page.on("request", lambda r: calls.append(r.url) if "/api/v1/counts" in r.url else None)
    page.goto(stack.page("/list", html))

    spans = page.locator("[data-parley-count]")
    expect(spans).to_have_text(["3 comments", "1 comment", "1 comment", "0 comments"])
    assert len(calls) == 1


def test_an_approved_comment_replaces_its_awaiting_copy_live(stack, page):
    with stack.rt.session() as session:
        strict = session.scalar(sa.select(Site).where(Site.slug == "strict"))
        token = create_token(session, strict, "moderator")
        session.commit()
    page.goto(stack.article(new_thread("approve"), site="strict"))
    widget = page.locator("#parley")
    # A thread with no comment yet holds no stream on the server (it is asked again in a
    # minute), so the widget is not live yet...
    expect(widget.get_by_role("button", name="Post Comment")).to_be_visible()
    expect(widget.locator(".live")).to_be_hidden()
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Held, then approved.")
    widget.get_by_role("textbox", name="Name", exact=True).fill("Ada")
    widget.get_by_role("textbox", name="Email (never published)").fill("ada@example.com")
    widget.get_by_role("button", name="Post Comment").click()
    pending = widget.locator("li.pending")
    expect(pending).to_have_count(1)
    cid = comment_id(pending)
    # ...until the reader's own comment makes the thread: then it listens at once.
    expect(widget.locator(".live")).to_be_visible()

    approved = requests.post(
        f"{stack.parley}/api/v1/moderation/comments/{cid}/approve",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert approved.status_code == 200, approved.text

    item = widget.locator(f"#parley-comment-{cid}")
    expect(item.locator(".body")).to_have_text("Held, then approved.")
    expect(widget.locator("li.pending")).to_have_count(0)
    expect(widget.locator("[aria-live=polite]")).to_have_text("Your comment was published.")
    # Forgotten from this browser's list of comments awaiting moderation.
    page.reload()
    expect(widget.locator(f"#parley-comment-{cid}")).to_have_count(1)
    expect(widget.locator("li.pending")).to_have_count(0)


def _stream(client, thread: str, ip: str):
    return client.get(
        f"/api/v1/threads/events?site=demo&thread={thread}",
        environ_base={"REMOTE_ADDR": ip},
        buffered=False,
    )


def test_waiting_requests_are_capped_per_client_and_in_total(make_app, settings):
    """One client with many idle streams must not take every web thread (hardening 2)."""
    app = make_app(settings.overridden(widget={"max_waiting": 3, "max_waiting_per_client": 2}))
    client = app.test_client()
    first = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/live",
            "body": "first",
            "author": {"name": "Ada", "email": "ada@example.com"},
        },
    )
    assert first.status_code == 202
    rt = app.extensions["parley"]
    held = [_stream(client, "/live", "10.0.0.1") for _ in range(2)]
    assert [r.status_code for r in held] == [200, 200]
    refused = _stream(client, "/live", "10.0.0.1")
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    held.append(_stream(client, "/live", "10.0.0.2"))
    assert held[-1].status_code == 200
    full = _stream(client, "/live", "10.0.0.3")
    assert full.status_code == 503 and full.get_json()["error"]["code"] == "unavailable"
    # A long poll waits in the same pool of threads.
    poll = client.get(
        f"/api/v1/comments/{first.get_json()['comment']['id']}?wait=5&key={first.get_json()['key']}",
        environ_base={"REMOTE_ADDR": "10.0.0.4"},
    )
    assert poll.status_code == 503
    assert rt.waiting.held() == 3
    held.pop().close()  # the stream ends: its thread is free again
    assert rt.waiting.held() == 2
    assert _stream(client, "/live", "10.0.0.3").status_code == 200
    for response in held:
        response.close()


def test_a_stream_for_a_thread_with_no_comments_holds_no_thread(make_app, settings):
    app = make_app(settings)
    rt = app.extensions["parley"]
    response = app.test_client().get("/api/v1/threads/events?site=demo&thread=/nothing-yet")
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    assert response.get_data(as_text=True) == "retry: 60000\n\n"  # come back in a minute
    assert rt.waiting.held() == 0
