"""The hostile-payload corpus: what a guest may type into every field Parley shows someone.

Each payload, if it ever ran, sets ``window.__pwned`` or opens a dialog (or both), so a test
asserts two things in the browser: no ``dialog`` event, and ``window.__pwned`` never set.
``ARMED`` and ``inert_problems`` are what those tests evaluate in the page.

Bodies, names, websites, thread keys and titles go through the API (they are accepted and
must be shown as text); ``REFUSED_THREAD_URLS`` must be refused (422 on ``url``);
``STORED_THREAD_URLS`` and ``STORED_WEBSITES`` are what an old row (written before the checks)
may hold, and must render as no link.
"""

from __future__ import annotations

# One marker for every payload: any of them running sets it.
RUN = "window.__pwned=1;alert(1)"

BODIES = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f'<svg onload="{RUN}"></svg>',
    f"<svg><script>{RUN}</script></svg>",
    f'<iframe src="javascript:{RUN}"></iframe>',
    f'<iframe srcdoc="<script>parent.{RUN}</script>"></iframe>',
    f'<details open ontoggle="{RUN}"><summary>x</summary></details>',
    f'<body onload="{RUN}">',
    f'<a href="javascript:{RUN}">raw link</a>',
    f'<a href="jav&#x09;ascript:{RUN}">tab entity</a>',
    f'<a href="&#106;&#97;vascript:{RUN}">decimal entities</a>',
    f"[plain](javascript:{RUN})",
    f"[case](JaVaScRiPt:{RUN})",
    f"[entity](&#106;avascript:{RUN})",
    f"[hex entity](java&#x73;cript:{RUN})",
    f"[tab](java\tscript:{RUN})",
    f"[angle](<javascript:{RUN}>)",
    f"[space]( javascript:{RUN})",
    "[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)",
    "[vb](vbscript:msgbox(1))",
    f"[ref link][evil]\n\n[evil]: javascript:{RUN}",
    f"<javascript:{RUN}>",
    f'![image](x" onerror="{RUN})',
    f'[quote](https://example.com/" onclick="{RUN})',
    f"</textarea><script>{RUN}</script>",
    f'</title></style></noscript><img src=x onerror="{RUN}">',
    f'<noscript><p title="</noscript><img src=x onerror={RUN}>">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={RUN}>",
    f'<form action="javascript:{RUN}"><button>go</button></form>',
    f'<object data="javascript:{RUN}"></object><embed src="javascript:{RUN}">',
    '<base href="javascript:/"><a href="/x">relative after base</a>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{RUN}">',
    f"<style>@import 'javascript:{RUN}';</style>",
    f"\u202e<script>{RUN}</script>",
    f"\uff1cscript\uff1e{RUN}\uff1c/script\uff1e",
    f"`<script>{RUN}</script>` in code and\n\n    <img src=x onerror={RUN}>",
    f"&lt;img src=x onerror={RUN}&gt; and &#60;script&#62;{RUN}&#60;/script&#62;",
]

NAMES = [
    f'<img src=x onerror="{RUN}">',
    f'"><script>{RUN}</script>',
    f"</textarea><svg onload={RUN}>",
    "Eve\r\nBcc: victim@example.com",
    f"\u202e<b onmouseover={RUN}>evE</b>",
]

# Accepted as websites (absolute http(s)): the quotes and brackets must stay in the URL.
WEBSITES = [
    f'https://example.com/"><svg onload="{RUN}">',
    f"https://example.com/#'onmouseover='{RUN}",
    f"https://example.com/?q=</a><script>{RUN}</script>",
]

TITLES = [
    f"</title><script>{RUN}</script>",
    "A title\r\nBcc: victim@example.com",
    f'<img src=x onerror="{RUN}">',
]

# Thread keys are shown in the dashboard (and in mail) as text.
THREAD_KEYS = [
    f"/posts/<svg onload={RUN}>",
    f'/posts/"><script>{RUN}</script>',
    "/posts/x\nApprove: http://evil.example/approve",
]


# Refused by the API (422, field "url") for a site whose only origin is ``site_origin``.
def refused_thread_urls(site_origin: str) -> list[str]:
    host = site_origin.split("://", 1)[1]
    return [
        f"javascript:{RUN}",
        f"JaVaScRiPt:{RUN}",
        f" javascript:{RUN}",
        f"java\tscript:{RUN}",
        f"java\nscript:{RUN}",
        f"\x01javascript:{RUN}",
        f"&#106;avascript:{RUN}",
        f"javascript://{host}/%0a{RUN}",
        "data:text/html,<script>window.__pwned=1</script>",
        "vbscript:msgbox(1)",
        "/posts/relative",
        "posts/relative",
        f"//{host}/protocol-relative",
        "https://evil.example/",
        f"{site_origin}@evil.example/",
        f"http://user:pass@{host}/",
        f"http://{host}.evil.example/",
        f"http://{host}:8080/other-port",
        f"https://{host}/other-scheme",
        f"ftp://{host}/",
        f"file:///{host}/etc/passwd",
        f"{site_origin}/\u2028/" + "x" * 2100,
    ]


# What an old row may hold; every one must render as no link (and never run).
STORED_THREAD_URLS = [
    f"javascript:{RUN}",
    f"JaVaScRiPt:{RUN}",
    f"  javascript:{RUN}",
    f"java\tscript:{RUN}",
    f"data:text/html,<script>{RUN}</script>",
    "vbscript:msgbox(1)",
    f'" onmouseover="{RUN}',
    f"/relative/'><script>{RUN}</script>",
]
STORED_WEBSITES = [f"javascript:{RUN}", f"data:text/html,<script>{RUN}</script>"]
STORED_BODY_HTML = f'<p>old row</p><img src=x onerror="{RUN}"><script>{RUN}</script>'

# Evaluated in the page: every element under ``root`` that could run or load something.
DANGEROUS = """(root) => {
    const found = [];
    for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'svg', 'object', 'embed', 'math', 'form', 'base', 'meta']
            .includes(tag)) found.push(tag);
        if (tag === 'img' && !el.classList.contains('avatar')) found.push('img');
        for (const attr of el.attributes) {
            if (attr.name.startsWith('on')) found.push(`${tag}[${attr.name}]`);
            if (/^[\\s\\x00-\\x1f]*(javascript|data|vbscript):/i.test(attr.value)) {
                found.push(`${tag}[${attr.name}=${attr.value}]`);
            }
        }
    }
    return found;
}"""


def watch_dialogs(context) -> list[str]:
    """Every dialog any page of ``context`` opens (dismissed), popups included."""
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_page(page):
        page.on("dialog", on_dialog)

    for page in context.pages:
        on_page(page)
    context.on("page", on_page)
    return dialogs


def elsewhere(context, *local_hosts: str) -> list[str]:
    """Answer every request for a host other than ``local_hosts`` with a harmless page (a
    clicked link lands somewhere without the network); returns the URLs so answered."""
    import re

    answered: list[str] = []
    pattern = re.compile(
        r"^https?://(?!(?:" + "|".join(re.escape(h) for h in local_hosts) + r")(?:[:/]|$))"
    )

    def fulfil(route):
        answered.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>elsewhere</p>")

    context.route(pattern, fulfil)
    return answered


def pwned(page) -> bool:
    return page.evaluate("window.__pwned") is not None


def insert_old_comment(
    rt,
    site_id: int,
    thread_key: str,
    *,
    thread_url: str | None = None,
    author_url: str | None = None,
    body_html: str = "<p>hello</p>",
    status: str = "held",
) -> int:
    """A comment row as one written before today's checks may look, straight into the
    database (no API in between); returns its id."""
    from service.models import Comment, Thread
    from service.similarity import simhash

    with rt.session() as session:
        thread = Thread(site_id=site_id, key=thread_key, title=None, url=thread_url)
        session.add(thread)
        session.flush()
        comment = Comment(
            thread_id=thread.id,
            site_id=site_id,
            author_name="Old Row",
            author_email="old@example.com",
            author_url=author_url,
            body_source="old row",
            body_html=body_html,
            simhash=simhash("old row"),
            status=status,
        )
        session.add(comment)
        session.commit()
        return comment.id
