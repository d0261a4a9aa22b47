"""The live widget stack's handle (``Stack``) and the helpers widget tests share.

The ``stack`` fixture (tests/widget/conftest.py) builds it; tests share one database, so each
uses its own thread key from ``new_thread``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html import escape

import requests

from service.runtime import Runtime

# Timing and flood checks are for people typing; a browser driven by a script is faster than
# any person, so the "demo" site here judges comments only by their content.
FAST_POLICY = {"min_submit_ms": 0, "flood_per_minute": 10_000, "flood_per_hour": 100_000}
_threads = itertools.count(1)


@dataclass
class Stack:
    parley: str  # Parley's base URL
    host: str  # the other origin that embeds the widget
    rt: Runtime
    env: dict[str, str]  # what configured Parley (and its worker)
    pages: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, html: str) -> str:
        """Serve ``html`` at ``path`` on the host origin; returns its URL."""
        self.pages[path] = html
        return self.host + path

    def article(self, thread: str, *, site: str = "demo", lang: str = "en", attrs: str = "") -> str:
        """A host page embedding the widget for ``thread``; returns its URL."""
        html = f"""<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">
<title>Article {escape(thread)}</title></head><body>
<h1>An article</h1><p>Some text.</p>
<div id="parley"></div>
<script src="{self.parley}/embed.js" data-parley-site="{escape(site)}"
        data-parley-thread="{escape(thread)}" {attrs} async></script>
</body></html>"""
        return self.page(f"/article{thread}", html)

    def post(
        self,
        thread: str,
        body: str,
        *,
        site: str = "demo",
        parent: int | None = None,
        name: str = "Ada",
        email: str = "ada@example.com",
        url: str | None = None,
    ) -> dict:
        """Submit through the public API as the host page would, and wait for the decision."""
        author = {"name": name, "email": email, **({"url": url} if url else {})}
        payload = {"site": site, "thread": thread, "body": body, "author": author}
        if parent is not None:
            payload["parent"] = parent
        created = requests.post(
            f"{self.parley}/api/v1/comments",
            json=payload,
            headers={"Origin": self.host},
            timeout=10,
        )
        assert created.status_code == 202, created.text
        cid, key = created.json()["comment"]["id"], created.json()["key"]
        decided = requests.get(
            f"{self.parley}/api/v1/comments/{cid}", params={"wait": 20, "key": key}, timeout=30
        ).json()
        return decided["comment"]

    def status(self, comment_id: int) -> str:
        from service.models import Comment

        with self.rt.session() as session:
            return session.get(Comment, comment_id).status


def new_thread(name: str) -> str:
    """A thread key no other test uses (the database is shared)."""
    return f"/{name}-{next(_threads)}"


def comment_id(item) -> int:
    """The comment id of a rendered ``li`` (``parley-comment-7`` or ``parley-pending-7``)."""
    return int(item.get_attribute("id").rsplit("-", 1)[1])
