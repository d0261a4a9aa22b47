"""What readers do besides commenting, in Chromium: vote, sort, see pins, edit and delete their
own, report, follow a permalink, preview, like the page, and meet a closed thread.

Each test also saves a picture of its feature for docs/widget.md: with
``PARLEY_SCREENSHOTS=docs/screenshots`` they are written there, otherwise to a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.access import create_token
from service.models import Comment, CommentReport, Site, Thread, utcnow
from service.status import Status
from tests.support.stack import comment_id, new_thread

pytestmark = pytest.mark.browser


def field(widget, label: str):
    return widget.get_by_role("textbox", name=label, exact=True)


def post_as_guest(widget, body: str, name: str = "Ada") -> None:
    field(widget, "Comment").fill(body)
    field(widget, "Name").fill(name)
    field(widget, "Email (never published)").fill("ada@example.com")
    widget.get_by_role("button", name="Post Comment").click()


def shoot(page, tmp_path, name: str, around=None) -> None:
    """The widget (or the part of it ``around`` one element) as ``name``."""
    out = Path(os.environ.get("PARLEY_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    if around is not None:
        box = around.evaluate(
            """el => { const r = el.getBoundingClientRect();
            return {x: 0, y: Math.max(0, r.top + scrollY - 200),
                    width: document.documentElement.clientWidth, height: 480}; }"""
        )
    else:
        box = page.evaluate(
            """() => { const r = document.getElementById('parley').getBoundingClientRect();
            return {x: 0, y: Math.max(0, r.top + scrollY - 12),
                    width: document.documentElement.clientWidth,
                    height: Math.min(r.height + 24, 1400)}; }"""
        )
    page.screenshot(path=str(out / name), clip=box, full_page=True, animations="disabled")
    assert (out / name).stat().st_size > 5_000


def moderator(stack) -> dict:
    with stack.rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
        token = create_token(session, site, "moderator")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def api(stack, method: str, path: str, **kwargs):
    import requests

    headers = {"Origin": stack.host, **kwargs.pop("headers", {})}
    return requests.request(method, stack.parley + path, headers=headers, timeout=10, **kwargs)


def close_thread(stack, thread: str) -> None:
    """What a moderator's "Close thread" does, through the API."""
    closed = api(
        stack,
        "POST",
        "/api/v1/threads/close",
        json={"site": "demo", "thread": thread},
        headers=moderator(stack),
    )
    assert closed.status_code == 200, closed.text


def test_votes_count_once_and_are_remembered(stack, page, tmp_path):
    thread = new_thread("votes")
    first = stack.post(thread, "A comment worth a vote.", name="Grace")
    stack.post(thread, "Another one.", name="Linus")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    grace = widget.locator(f"#parley-comment-{first['id']}")
    up = grace.get_by_role("button", name="Vote up (0)")
    up.focus()
    page.keyboard.press("Enter")
    voted = grace.get_by_role("button", name="Vote up (1)")
    expect(voted).to_have_attribute("aria-pressed", "true")
    expect(widget.get_by_role("status")).to_have_text("Vote counted. Score 1.")
    shoot(page, tmp_path, "reader-votes.png")
    page.reload()
    expect(grace.get_by_role("button", name="Vote up (1)")).to_have_attribute(
        "aria-pressed", "true"
    )
    # Pressing it again takes the vote back.
    grace.get_by_role("button", name="Vote up (1)").click()
    expect(grace.get_by_role("button", name="Vote up (0)")).to_have_attribute(
        "aria-pressed", "false"
    )


def test_sort_order_is_chosen_remembered_and_keeps_replies_under_parents(stack, page, tmp_path):
    thread = new_thread("sort")
    old = stack.post(thread, "Oldest comment.", name="Ann")
    stack.post(thread, "Reply to the oldest.", name="Ben", parent=old["id"])
    popular = stack.post(thread, "The popular one.", name="Cy")
    stack.post(thread, "The newest comment.", name="Di")
    for i in range(3):
        api(
            stack,
            "POST",
            f"/api/v1/comments/{popular['id']}/vote",
            json={"value": 1},
            headers={"X-Parley-Guest": f"sort-voter-{i:08d}"},
        )
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    top_level = widget.locator("ol.thread > li.comment > article .author")
    expect(top_level).to_have_text(["Ann", "Cy", "Di"])
    widget.get_by_role("combobox", name="Sort by").select_option("top")
    expect(top_level).to_have_text(["Cy", "Di", "Ann"])
    expect(widget.locator(f"#parley-comment-{old['id']} > .children .author")).to_have_text("Ben")
    shoot(page, tmp_path, "reader-sort.png")
    page.reload()
    expect(widget.get_by_role("combobox", name="Sort by")).to_have_value("top")
    expect(top_level).to_have_text(["Cy", "Di", "Ann"])
    widget.get_by_role("combobox", name="Sort by").select_option("newest")
    expect(top_level).to_have_text(["Di", "Cy", "Ann"])


def test_a_comment_arriving_live_takes_its_place_in_the_chosen_order(stack, page):
    """The stream's new comment goes where a reload would put it: first under "newest", after
    the voted ones under "top" (no votes yet, the newest of those without), last under
    "oldest"; a reply under its parent, after its siblings."""
    thread = new_thread("sort-live")
    old = stack.post(thread, "Oldest comment.", name="Ann")
    popular = stack.post(thread, "The popular one.", name="Cy")
    stack.post(thread, "Not voted on.", name="Di")
    api(
        stack,
        "POST",
        f"/api/v1/comments/{popular['id']}/vote",
        json={"value": 1},
        headers={"X-Parley-Guest": "sort-live-voter-0001"},
    )
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.locator(".live")).to_be_visible()
    top_level = widget.locator("ol.thread > li.comment > article .author")
    sort = widget.get_by_role("combobox", name="Sort by")

    sort.select_option("newest")
    expect(top_level).to_have_text(["Di", "Cy", "Ann"])
    stack.post(thread, "Arrived while sorted by newest.", name="Eve")
    expect(top_level).to_have_text(["Eve", "Di", "Cy", "Ann"])
    stack.post(thread, "A reply arriving live.", name="Fay", parent=old["id"])
    replies = widget.locator(f"#parley-comment-{old['id']} > .children .author")
    expect(replies).to_have_text(["Fay"])
    expect(top_level).to_have_text(["Eve", "Di", "Cy", "Ann"])

    sort.select_option("top")
    expect(top_level).to_have_text(["Cy", "Eve", "Di", "Ann"])
    stack.post(thread, "Arrived while sorted by top.", name="Gus")
    expect(top_level).to_have_text(["Cy", "Gus", "Eve", "Di", "Ann"])

    sort.select_option("oldest")
    expect(top_level).to_have_text(["Ann", "Cy", "Di", "Eve", "Gus"])
    stack.post(thread, "Arrived while sorted by oldest.", name="Hal")
    expect(top_level).to_have_text(["Ann", "Cy", "Di", "Eve", "Gus", "Hal"])
    page.reload()
    expect(top_level).to_have_text(["Ann", "Cy", "Di", "Eve", "Gus", "Hal"])


def test_a_pinned_comment_comes_first_with_a_badge(stack, page, tmp_path):
    thread = new_thread("pinned")
    stack.post(thread, "First, unpinned.", name="Ann")
    note = stack.post(thread, "House rules: be kind.", name="Moderator Mo")
    pinned = api(
        stack, "POST", f"/api/v1/comments/{note['id']}/pin", json={}, headers=moderator(stack)
    )
    assert pinned.status_code == 200, pinned.text
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    first = widget.locator("ol.thread > li.comment").first
    expect(first).to_have_class("comment pinned")
    expect(first.locator(".badge")).to_have_text("Pinned")
    shoot(page, tmp_path, "reader-pinned.png")


def test_the_author_edits_and_deletes_their_own_comment(stack, page, tmp_path):
    thread = new_thread("edit")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    post_as_guest(widget, "Teh first version.")
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".body")).to_have_text("Teh first version.", timeout=20_000)
    cid = comment_id(item)
    # Others' comments can be reported; one's own can be edited and deleted.
    expect(item.get_by_role("button", name="Report")).to_have_count(0)
    item.get_by_role("button", name="Edit").click()
    box = item.get_by_role("textbox", name="Edit your comment")
    expect(box).to_have_value("Teh first version.")
    box.fill("The **second** version.")
    shoot(page, tmp_path, "reader-edit.png")
    item.get_by_role("button", name="Save").click()
    expect(item.locator(".body strong")).to_have_text("second")
    expect(item.locator(".edited")).to_have_text("edited")
    expect(widget.get_by_role("status")).to_have_text("Your changes were published.")
    with stack.rt.session() as session:
        row = session.get(Comment, cid)
        assert (row.body_source, row.status) == ("The **second** version.", "published")
    # Still there after a reload, and the secret is in localStorage, not in a cookie.
    page.reload()
    expect(item.locator(".edited")).to_have_text("edited")
    assert page.context.cookies() == []
    secrets = page.evaluate(
        "Object.keys(localStorage).filter(k => k.endsWith(':mine')).map(k => localStorage[k])"
    )
    assert len(secrets) == 1 and str(cid) in secrets[0]

    delete = item.get_by_role("button", name="Delete")
    delete.click()
    expect(item.get_by_role("button", name="Delete for good?")).to_be_visible()
    item.get_by_role("button", name="Delete for good?").click()
    expect(widget.locator("ol.thread > li.comment")).to_have_count(0)
    expect(widget.get_by_role("status")).to_have_text("Your comment was deleted.")
    assert stack.status(cid) == "published"
    with stack.rt.session() as session:
        assert session.get(Comment, cid).deleted_at is not None


def test_a_deleted_comment_with_replies_shows_as_a_tombstone(stack, page, tmp_path):
    thread = new_thread("tombstone")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    post_as_guest(widget, "I will take this back.")
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".body")).to_have_text("I will take this back.", timeout=20_000)
    cid = comment_id(item)
    stack.post(thread, "A reply that stays.", name="Ben", parent=cid)
    page.reload()
    item.get_by_role("button", name="Delete").click()
    item.get_by_role("button", name="Delete for good?").click()
    expect(item.locator(":scope > article")).to_have_text("This comment was deleted.")
    expect(item.locator(".children .body")).to_have_text("A reply that stays.")
    page.reload()
    expect(widget.locator(f"#parley-comment-{cid} > article")).to_have_text(
        "This comment was deleted."
    )
    shoot(page, tmp_path, "reader-tombstone.png")


def test_a_reader_reports_a_comment_with_the_keyboard(stack, page, tmp_path):
    thread = new_thread("report")
    bad = stack.post(thread, "Buy cheap watches now.", name="Spammy")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    item = widget.locator(f"#parley-comment-{bad['id']}")
    report = item.get_by_role("button", name="Report")
    report.focus()
    page.keyboard.press("Enter")
    reason = item.get_by_role("combobox", name="Reason")
    expect(reason).to_be_focused()
    # Escape closes the form and gives focus back.
    page.keyboard.press("Escape")
    expect(item.locator("form.report")).to_have_count(0)
    expect(report).to_be_focused()
    page.keyboard.press("Enter")
    reason.select_option("spam")
    item.get_by_role("textbox", name="Details (optional)").fill("An advert")
    shoot(page, tmp_path, "reader-report.png")
    item.get_by_role("button", name="Send report").click()
    expect(item.get_by_role("status")).to_have_text("Thank you. A moderator will take a look.")
    with stack.rt.session() as session:
        rows = session.scalars(
            sa.select(CommentReport).where(CommentReport.comment_id == bad["id"])
        ).all()
        assert [(r.reason, r.note) for r in rows] == [("spam", "An advert")]


def test_a_permalink_loads_pages_until_the_comment_and_highlights_it(stack, page, tmp_path):
    thread = new_thread("permalink")
    stack.post(thread, "The first comment makes the thread.", name="Ann")
    with stack.rt.session() as session:
        row = session.scalar(sa.select(Thread).where(Thread.key == thread))
        for i in range(120):
            session.add(
                Comment(
                    thread_id=row.id,
                    site_id=row.site_id,
                    author_name=f"Reader {i}",
                    body_source=f"Comment {i}",
                    body_html=f"<p>Comment {i}</p>",
                    simhash=0,
                    status=Status.PUBLISHED,
                    created_at=utcnow(),
                )
            )
        session.commit()
        last = session.scalar(sa.select(sa.func.max(Comment.id)).where(Comment.thread_id == row.id))
    page.goto(f"{stack.article(thread)}#parley-comment-{last}")
    widget = page.locator("#parley")
    target = widget.locator(f"#parley-comment-{last}")
    expect(target).to_have_class("comment target")
    expect(target.locator("> article")).to_be_focused()
    expect(target.locator(".body")).to_be_in_viewport()
    shoot(page, tmp_path, "reader-permalink.png", around=target)
    # "Link" puts the comment's address in the location bar.
    target.get_by_role("button", name="Copy the link to this comment").click()
    expect(widget.get_by_role("status")).to_have_text("Link to the comment copied.")
    assert page.url.endswith(f"#parley-comment-{last}")


def test_preview_shows_the_servers_rendering_before_posting(stack, page, tmp_path):
    thread = new_thread("preview")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    field(widget, "Comment").fill("Some **bold** words and <script>alert(1)</script>")
    widget.get_by_role("button", name="Preview").click()
    shown = widget.locator(".preview")
    expect(shown.locator("strong")).to_have_text("bold")
    expect(shown.locator("script")).to_have_count(0)
    expect(field(widget, "Comment")).to_be_hidden()
    shoot(page, tmp_path, "reader-preview.png")
    widget.get_by_role("button", name="Write").click()
    expect(field(widget, "Comment")).to_be_focused()
    assert page.dialogs == []


def test_page_likes_show_the_count_and_the_readers_own_like(stack, page, tmp_path):
    thread = new_thread("likes")
    stack.post(thread, "Nice post.", name="Ann")
    api(
        stack,
        "POST",
        "/api/v1/threads/like",
        json={"site": "demo", "thread": thread, "value": 1},
        headers={"X-Parley-Guest": "someone-else-0001"},
    )
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.locator(".like-text")).to_have_text("1 reader likes this.")
    like = widget.get_by_role("button", name="Like", exact=True)
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(widget.locator(".like-text")).to_have_text("2 readers like this.")
    expect(widget.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    shoot(page, tmp_path, "reader-likes.png")
    feed = widget.get_by_role("link", name="Atom feed")
    assert feed.get_attribute("href") == (
        f"{stack.parley}/api/v1/feeds/comments.atom?site=demo&thread=%2F{thread[1:]}"
    )
    page.reload()
    expect(widget.get_by_role("button", name="Liked")).to_have_attribute("aria-pressed", "true")
    # count.js shows page likes in article lists, as it shows comment counts.
    page.goto(
        stack.page(
            f"/list{thread}",
            f"""<!doctype html><html lang="en"><body>
<a href="/a">An article</a> <span data-parley-count="{thread}"></span>
<span data-parley-likes="{thread}"></span>
<script src="{stack.parley}/count.js" data-parley-site="demo" async></script></body></html>""",
        )
    )
    expect(page.locator("[data-parley-likes]")).to_have_text("2 likes")
    expect(page.locator("[data-parley-count]")).to_have_text("1 comment")


def test_a_closed_thread_shows_its_comments_and_no_form(stack, page, tmp_path):
    thread = new_thread("closed")
    stack.post(thread, "Said before closing.", name="Ann")
    close_thread(stack, thread)
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    expect(widget.locator("ol.thread > li.comment .body")).to_have_text("Said before closing.")
    expect(widget.get_by_text("Comments are closed.")).to_be_visible()
    expect(widget.get_by_role("button", name="Post Comment")).to_be_hidden()
    expect(widget.get_by_role("button", name="Reply to Ann")).to_have_count(0)
    shoot(page, tmp_path, "reader-closed.png")


def test_reader_features_in_japanese_and_dark_mode(stack, browser, tmp_path):
    thread = new_thread("ja-dark")
    stack.post(thread, "読みやすい記事でした。", name="佐藤")
    context = browser.new_context(color_scheme="dark", viewport={"width": 760, "height": 900})
    try:
        page = context.new_page()
        html = f"""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<style>:root {{ color-scheme: dark; }} body {{ background: #111418; color: #e6e8eb;
font-family: sans-serif; max-width: 46rem; margin: 2rem auto; }}</style></head><body>
<h1>記事</h1><div id="parley"></div>
<script src="{stack.parley}/embed.js" data-parley-site="demo" data-parley-thread="{thread}"
 async></script></body></html>"""
        page.goto(stack.page(f"/dark{thread}", html))
        widget = page.locator("#parley")
        expect(widget.get_by_role("combobox", name="並び順")).to_be_visible()
        expect(widget.get_by_role("button", name="報告")).to_be_visible()
        expect(widget.get_by_role("button", name="高評価 (0)")).to_be_visible()
        # Dark mode: the widget's text is light on the page's dark colours.
        color = widget.locator(".sort").evaluate("e => getComputedStyle(e).color")
        assert sum(int(v) for v in color[4:-1].split(",")) > 3 * 128, color
        shoot(page, tmp_path, "reader-dark-ja.png")
    finally:
        context.close()


def test_the_challenge_is_solved_while_typing_and_spent_by_the_post(stack, page):
    from service.models import ChallengeUse

    def set_challenge(mode: str) -> None:
        with stack.rt.session() as session:
            site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
            site.policy = {**(site.policy or {}), "challenge": mode}
            session.commit()

    def spent() -> int:
        with stack.rt.session() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(ChallengeUse))

    thread = new_thread("challenge")
    before = spent()
    set_challenge("always")
    try:
        page.goto(stack.article(thread))
        widget = page.locator("#parley")
        expect(widget.get_by_text("No comments yet")).to_be_visible()
        asked = []
        page.on("request", lambda r: asked.append(r.url) if "/api/v1/challenge" in r.url else None)
        post_as_guest(widget, "Proof of work, done while I typed.")
        expect(widget.locator("ol.thread > li.comment .body")).to_have_text(
            "Proof of work, done while I typed."
        )
        assert len(asked) == 1
        assert spent() == before + 1
        # A browser solves one quickly: time the widget's own solver on a fresh challenge.
        took = page.evaluate(
            """async (base) => {
                const c = await (await fetch(base + '/api/v1/challenge?site=demo')).json();
                const t0 = performance.now();
                for (let n = 0; n <= c.maxnumber; n++) {
                  const d = new Uint8Array(await crypto.subtle.digest('SHA-256',
                    new TextEncoder().encode(c.salt + n)));
                  const hex = Array.from(d, b => b.toString(16).padStart(2, '0')).join('');
                  if (hex === c.challenge) return {ms: performance.now() - t0, n};
                }
                return null;
            }""",
            stack.parley,
        )
        print(f"challenge solved in {took['ms']:.0f} ms after {took['n']} hashes")
        assert took is not None
    finally:
        set_challenge("off")


def test_an_edit_reaches_open_widgets_live(stack, page):
    import requests

    thread = new_thread("live-edit")
    created = requests.post(
        f"{stack.parley}/api/v1/comments",
        json={
            "site": "demo",
            "thread": thread,
            "body": "Before the edit.",
            "author": {"name": "Ada", "email": "ada@example.com"},
        },
        headers={"Origin": stack.host},
        timeout=10,
    ).json()
    cid, secret = created["comment"]["id"], created["secret"]
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    item = widget.locator(f"#parley-comment-{cid}")
    expect(item.locator(".body")).to_have_text("Before the edit.")
    expect(widget.locator(".live")).to_be_visible()
    edited = api(
        stack,
        "PATCH",
        f"/api/v1/comments/{cid}",
        json={"body": "After the edit."},
        headers={"X-Parley-Comment-Secret": secret},
    )
    assert edited.status_code == 200, edited.text
    expect(item.locator(".body")).to_have_text("After the edit.")
    expect(item.locator(".edited")).to_have_text("edited")


def test_an_edit_that_is_held_stays_awaiting_moderation_for_its_author(stack, page):
    def set_blocklist(words: list[str]) -> None:
        with stack.rt.session() as session:
            site = session.scalar(sa.select(Site).where(Site.slug == "demo"))
            site.policy = {**(site.policy or {}), "blocklist": words}
            session.commit()

    thread = new_thread("edit-held")
    page.goto(stack.article(thread))
    widget = page.locator("#parley")
    post_as_guest(widget, "A perfectly fine comment.")
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".body")).to_have_text("A perfectly fine comment.", timeout=20_000)
    cid = comment_id(item)
    set_blocklist(["zyzzyvaword"])
    try:
        item.get_by_role("button", name="Edit").click()
        item.get_by_role("textbox", name="Edit your comment").fill("Now with zyzzyvaword.")
        item.get_by_role("button", name="Save").click()
        expect(widget.get_by_role("status")).to_have_text("Your comment is awaiting moderation.")
        assert stack.status(cid) in ("held", "spam")
        page.reload()
        pending = widget.locator(f"#parley-pending-{cid}")
        expect(pending.locator(".text")).to_have_text("Now with zyzzyvaword.")
        expect(pending.locator(".note")).to_have_text("Your comment is awaiting moderation.")
    finally:
        set_blocklist([])
