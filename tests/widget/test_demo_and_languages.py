"""Languages, themes and the demo pages (which also make the README's screenshots).

``PARLEY_SCREENSHOTS=docs/screenshots`` makes the screenshot test write its pictures there;
otherwise they go to the test's temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.stack import new_thread

pytestmark = pytest.mark.browser

DEMO_THREAD = "/2014/09/keeping-doors-open"
SECOND_THREAD = "/2014/10/the-quiet-garden"


# From the "more articles" box above the widget to the widget's end, in page coordinates.
CLIP = """() => {
    const top = document.querySelector('aside.more').getBoundingClientRect().top + scrollY - 16;
    const bottom = document.getElementById('parley').getBoundingClientRect().bottom + scrollY + 16;
    return {x: 0, y: top, width: document.documentElement.clientWidth, height: bottom - top};
}"""


def surface(page) -> str:
    return page.evaluate(
        "getComputedStyle(document.getElementById('parley')).getPropertyValue('--parley-surface').trim()"
    )


def test_japanese_is_chosen_from_the_page_lang(stack, page):
    page.goto(stack.article(new_thread("ja"), lang="ja"))
    widget = page.locator("#parley")
    expect(widget.locator("h2")).to_have_text("コメント")
    expect(widget.get_by_role("button", name="コメントを送信")).to_be_visible()
    expect(widget.get_by_role("textbox", name="名前", exact=True)).to_be_visible()
    expect(widget.get_by_text("まだコメントはありません。")).to_be_visible()


def test_simplified_chinese_is_chosen_from_the_attribute(stack, page):
    page.goto(stack.article(new_thread("zh"), attrs='data-parley-lang="zh-CN"'))
    widget = page.locator("#parley")
    expect(widget.locator("h3")).to_have_text("发表评论")
    widget.get_by_role("button", name="发表评论").click()
    expect(widget.locator("#parley-body-error")).to_have_text("请填写评论内容。")


def test_dark_follows_the_system_unless_the_site_sets_a_theme(stack, browser):
    thread = new_thread("theme")
    dark = browser.new_context(color_scheme="dark")
    try:
        page = dark.new_page()
        page.goto(stack.article(thread))
        expect(page.locator("#parley h2")).to_have_text("Comments")
        assert surface(page) == "#1c1f24"
        page.goto(stack.article(thread, attrs='data-parley-theme="light"'))
        expect(page.locator("#parley h2")).to_have_text("Comments")
        assert surface(page) == "#ffffff"
    finally:
        dark.close()


def test_styles_are_isolated_from_the_host_page(stack, page):
    hostile_css = (
        "<style>* { color: rgb(255, 0, 0) !important; } textarea { display: none; }</style>"
    )
    page.goto(
        stack.page(
            "/styled",
            f"""<!doctype html><html lang="en"><head>{hostile_css}</head><body>
<div id="parley"></div><script src="{stack.parley}/embed.js" data-parley-site="demo"
data-parley-thread="{new_thread("styled")}" async></script></body></html>""",
        )
    )
    body = page.locator("#parley").get_by_role("textbox", name="Comment", exact=True)
    expect(body).to_be_visible()
    assert body.evaluate("el => getComputedStyle(el).color") != "rgb(255, 0, 0)"


def test_demo_on_parley_links_to_a_second_origin_where_the_widget_also_works(stack, page):
    page.goto(f"{stack.parley}/demo")
    expect(page.locator("h1")).to_have_text("Keeping doors open")
    expect(page.locator("#parley h3")).to_have_text("Leave a Reply")
    other = page.get_by_role("link", name="The quiet garden")
    assert other.get_attribute("href") == f"{stack.host}/the-quiet-garden"

    other.click()
    assert page.url.startswith(stack.host)
    widget = page.locator("#parley")
    widget.get_by_role("textbox", name="Comment", exact=True).fill("Posted across origins.")
    widget.get_by_role("textbox", name="Name", exact=True).fill("Visitor")
    widget.get_by_role("textbox", name="Email (never published)").fill("visitor@example.com")
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator("ol.thread > li.comment .body")).to_have_text("Posted across origins.")


def test_demo_screenshots_light_dark_and_japanese(stack, browser, tmp_path):
    out = Path(os.environ.get("PARLEY_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    first = stack.post(
        DEMO_THREAD,
        "We had the same door at our scout hut. Lift, then push — and **never** in a hurry.",
        name="Margaret Hale",
        url="https://example.org/",
    )
    stack.post(
        DEMO_THREAD,
        "Ha! Ours needed a shoulder. Lovely piece.",
        parent=first["id"],
        name="Tom Okafor",
    )
    stack.post(
        DEMO_THREAD,
        "扉の話、とても共感しました。コメント欄も集会所のようでありたいですね。",
        name="佐藤 花子",
    )
    shots = {
        "widget-light.png": ("light", "en"),
        "widget-dark.png": ("dark", "en"),
        "widget-ja.png": ("light", "ja"),
    }
    for name, (scheme, lang) in shots.items():
        context = browser.new_context(color_scheme=scheme, viewport={"width": 760, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{stack.parley}/demo?lang={lang}")
            widget = page.locator("#parley")
            expect(widget.locator("ol.thread li.comment")).to_have_count(3)
            expect(widget.locator(".live")).to_be_visible()
            page.screenshot(
                path=str(out / name),
                clip=page.evaluate(CLIP),
                full_page=True,
                animations="disabled",
            )
        finally:
            context.close()
        assert (out / name).stat().st_size > 10_000


def test_widget_works_under_a_strict_content_security_policy(stack, page):
    csp = (
        f"default-src 'none'; script-src {stack.parley}; connect-src {stack.parley}; "
        f"img-src {stack.parley} https:; style-src 'self'"
    )
    thread = new_thread("csp")
    stack.post(thread, "Readable under a strict policy.")
    page.goto(
        stack.page(
            "/strict-csp",
            f"""<!doctype html><html lang="en"><head>
<meta http-equiv="Content-Security-Policy" content="{csp}"></head><body>
<div id="parley"></div><script src="{stack.parley}/embed.js" data-parley-site="demo"
data-parley-thread="{thread}" async></script></body></html>""",
        )
    )
    widget = page.locator("#parley")
    expect(widget.locator(".body")).to_have_text("Readable under a strict policy.")
    # The styles applied although the page allows no inline styles.
    assert widget.locator(".respond").evaluate("el => getComputedStyle(el).borderRadius") == "12px"
