"""Markdown in, safe HTML out; and the small text helpers comments need."""

from __future__ import annotations

import hashlib
import hmac
import re

import nh3
from markdown_it import MarkdownIt

# Commonmark without raw HTML: a reader's "<script>" stays text. nh3 then
# enforces the allow-list whatever markdown produced.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["strikethrough"])

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_TAGS = re.compile(r"<[^>]+>")


def render_markdown(source: str) -> str:
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        # Links readers post are not endorsements; search engines should know.
        link_rel="nofollow ugc noopener noreferrer",
    ).strip()


def plain_text(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(_TAGS.sub(" ", html)).strip()


def hash_ip(ip: str | None, secret: str) -> str | None:
    """Keyed hash: lets us match repeat offenders without storing addresses."""
    if not ip:
        return None
    return hmac.new(secret.encode(), ip.encode(), hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str | None) -> str | None:
    """An address as bans and memberships compare it: trimmed, lower case, None when blank."""
    email = (email or "").strip().lower()
    return email or None
