"""The widget's scripts as served: read from ``static/``, assembled, gzipped once, with an ETag.

There is no build step. ``embed.js`` is hand-written and readable; the only assembly is that
``widget.css`` is put into it as a string (the placeholder ``__PARLEY_CSS__``), so a page loads
the whole widget with one request and the styles land inside the widget's Shadow DOM without a
flash of unstyled content. Files are re-read when they change on disk, so editing them during
``make run`` needs no restart.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
CSS_PLACEHOLDER = '"__PARLEY_CSS__"'

# What each served script is made of, in order.
SCRIPTS: dict[str, tuple[str, ...]] = {
    "embed.js": ("embed.js", "widget.css"),
    "count.js": ("count.js",),
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str
    stamp: tuple[float, ...]


_cache: dict[str, Asset] = {}
_lock = threading.Lock()


def _stamp(parts: tuple[str, ...]) -> tuple[float, ...]:
    return tuple((STATIC / part).stat().st_mtime for part in parts)


def _assemble(name: str) -> bytes:
    parts = SCRIPTS[name]
    text = (STATIC / parts[0]).read_text(encoding="utf-8")
    if "widget.css" in parts:
        css = (STATIC / "widget.css").read_text(encoding="utf-8")
        if CSS_PLACEHOLDER not in text:
            raise RuntimeError(f"{parts[0]} has no {CSS_PLACEHOLDER} placeholder for the styles")
        # json.dumps makes a valid JS string literal; "</" is escaped so the script stays
        # safe even if someone inlines it into a page.
        text = text.replace(CSS_PLACEHOLDER, json.dumps(css).replace("</", "<\\/"), 1)
    return text.encode("utf-8")


def script(name: str) -> Asset:
    """The assembled script ``name`` (a key of ``SCRIPTS``), rebuilt when a source changes."""
    parts = SCRIPTS[name]
    stamp = _stamp(parts)
    asset = _cache.get(name)
    if asset is not None and asset.stamp == stamp:
        return asset
    with _lock:
        body = _assemble(name)
        asset = Asset(
            body=body,
            gzipped=gzip.compress(body, compresslevel=9, mtime=0),
            etag=hashlib.sha256(body).hexdigest()[:32],
            stamp=stamp,
        )
        _cache[name] = asset
    return asset
