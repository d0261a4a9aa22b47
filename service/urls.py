"""The one check for every URL Parley stores from a client or puts in a page, mail or payload.

URLs are parsed with pydantic-core's ``Url`` (the WHATWG parser browsers use, from Rust's
``url`` crate), so what we judge is what a browser would follow: it drops the tabs and
newlines of ``java\\tscript:``, lower-cases ``JavaScript:``, folds full-width host letters and
percent-encodes quotes and angle brackets. A string that is not a URL by that standard is no
link at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic_core import PydanticCustomError, Url

WEB_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_url(value: object, schemes: Iterable[str] = WEB_SCHEMES) -> Url | None:
    """``value`` as an absolute URL with one of ``schemes`` and no user:password@, else None."""
    if not isinstance(value, str) or not value or len(value) > 2048:
        return None
    try:
        url = Url(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None
    if url.scheme not in tuple(schemes):
        return None
    if url.scheme in _DEFAULT_PORTS and not url.host:
        return None
    # A link that reads "https://blog.example.com@evil.example/" goes to evil.example.
    if url.username or url.password:
        return None
    return url


def safe_url(value: object, schemes: Iterable[str] = WEB_SCHEMES) -> str | None:
    """The URL as a browser would follow it, if it is an absolute http(s) (or ``schemes``)
    URL; None for javascript:, data:, vbscript:, relative and malformed ones. Whatever is
    rendered as a link (pages, mail, webhook payloads) goes through here."""
    url = parse_url(value, schemes)
    return str(url) if url is not None else None


def origin_key(url: Url) -> tuple[str, str, int]:
    """(scheme, host, port) with the scheme's default port filled in."""
    return url.scheme, url.host or "", url.port or _DEFAULT_PORTS.get(url.scheme, 0)


def on_origins(url: Url, origins: Iterable[str]) -> bool:
    """Whether ``url`` is on one of ``origins`` ("https://blog.example.com", any case, default
    port or not)."""
    wanted = origin_key(url)
    for origin in origins:
        parsed = parse_url(origin)
        if parsed is not None and origin_key(parsed) == wanted:
            return True
    return False
