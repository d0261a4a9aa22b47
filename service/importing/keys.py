"""Thread keys as the widget makes them: the path of the page's URL.

The widget's default thread is ``location.pathname``; an import must land on the same key or
it "succeeds" and shows nothing. So: ``--map-url`` prefixes first (domain moves, ``/blog/`` →
``/posts/``), then the URL's path, without its query string, fragment and a trailing
``index.html``. One exception: a site with plain permalinks (``/?p=4``) would fold every post
into ``/``, so when the path is just ``/`` the query stays and the owner sees it in the
``--dry-run`` listing (such pages set ``data-parley-thread``).
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def parse_map(values: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """``OLD=NEW`` pairs, longest OLD first so the most specific prefix wins."""
    pairs = []
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old:
            raise ValueError(f"--map-url wants OLD=NEW, got {value!r}")
        pairs.append((old, new))
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def map_url(url: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        if url.startswith(old):
            return new + url[len(old) :]
    return url


def thread_key(url: str | None, pairs: list[tuple[str, str]] | None = None) -> str | None:
    """The thread key for a post's link (or a bare path), or None if there is none."""
    if not url or not url.strip():
        return None
    url = map_url(url.strip(), pairs or [])
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    # Percent-encoded paths are stored as the browser's location.pathname shows them.
    if "%" in path:
        path = _normalize_percent(path)
    if path.endswith("/index.html") or path == "index.html":
        path = path[: -len("index.html")]
    if path == "/" and parts.query:
        path = f"/?{parts.query}"
    return path[:512]


def _normalize_percent(path: str) -> str:
    # location.pathname keeps escapes as they came, but upper-cases none: decoding and
    # re-encoding only the characters a browser would escape gives the same string for the
    # common cases (non-ASCII slugs exported decoded or encoded).
    from urllib.parse import quote

    return quote(unquote(path), safe="/:@!$&'()*+,;=-._~")
