"""Markdown in, safe HTML out; and the small text helpers comments need."""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import cache

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


@cache
def _markdown():
    # Built on first use, with its library: the worker and the sweeper import this module for
    # its small helpers and never render (~3 MB a process with nh3).
    from markdown_it import MarkdownIt

    # Commonmark without raw HTML: a reader's "<script>" stays text. nh3 then
    # enforces the allow-list whatever markdown produced.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["strikethrough"])
    return md


def render_markdown(source: str) -> str:
    return clean_html(_markdown().render(source))


def clean_html(html: str) -> str:
    """``html`` reduced to the comment allow-list: what submitting stores, and what the
    dashboard applies again to stored HTML (an old row, or a bug, must not reach a moderator's
    page as markup)."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        # Links readers post are not endorsements; search engines should know.
        link_rel="nofollow ugc noopener noreferrer",
    ).strip()


# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str | None, limit: int = 200) -> str:
    """``text`` on one line, for a mail subject, header or list line: a name or thread key
    holding a newline must neither add a header nor forge a line of the mail."""
    text = " ".join(_BREAKS.sub(" ", text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def same_secret(expected: str, sent: object) -> bool:
    """Constant-time equality of a secret we issued and what a client sent back.

    Compared as bytes: ``hmac.compare_digest`` raises TypeError for a str holding non-ASCII
    characters, and a hostile header, form field or query parameter must be a plain refusal,
    not a 500."""
    if not expected or not isinstance(sent, str) or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode("utf-8", "surrogatepass"))


def normalize_email(email: str | None) -> str | None:
    """An address as bans and memberships compare it: trimmed, lower case, None when blank."""
    email = (email or "").strip().lower()
    return email or None
