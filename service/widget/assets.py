"""The widget's scripts as served: joined from ``js/``, minified, gzipped once, with an ETag.

``embed.js`` is written as small ES modules in ``js/`` (``EMBED_MODULES``, in the order they
are joined); each may import only from modules before it. Joining needs no node and no bundler:
each module becomes a function whose result holds its exports, its ``import {…} from "./x.js"``
becomes a read of that result, and the whole runs inside one strict IIFE. Before the modules
comes ``SERVER``: ``widget.css`` and the server's own rules (the tags and attributes
service/text.py allows, the longest body the API accepts), so a page loads the whole widget
with one request and the widget cannot disagree with the server. ``count.js`` is one plain
script. Files are re-read when they change on disk, so editing them during ``make run`` needs
no restart.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

from service import caches
from service.comments.schemas import CommentIn
from service.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

HERE = Path(__file__).resolve().parent
JS = HERE / "js"
CSS = HERE / "static" / "widget.css"

# embed.js's modules in join order: a module imports only from those before it.
EMBED_MODULES: tuple[str, ...] = (
    "i18n.js",
    "page.js",
    "elements.js",
    "sanitizer.js",
    "storage.js",
    "avatar.js",
    "api.js",
    "challenge.js",
    "time.js",
    "widget.js",
    "form.js",
    "actions.js",
    "thread.js",
    "toolbar.js",
    "live.js",
    "signin.js",
    "sso.js",
    "posting.js",
    "main.js",
)

# The files each served script is made of.
SCRIPTS: dict[str, tuple[Path, ...]] = {
    "embed.js": (*(JS / name for name in EMBED_MODULES), CSS),
    "count.js": (JS / "count.js",),
}

EMBED_BANNER = "/*! Parley comments widget: embed.js, joined from service/widget/js/. */\n"

_IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w-]+\.js)";[ \t]*\n', re.M)
_EXPORT = re.compile(r"^export\s+((?:async\s+)?function\*?|const|class)\s+([A-Za-z_$][\w$]*)", re.M)
_MODULE_SYNTAX = re.compile(r"^(import|export)\b.*", re.M)


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str
    stamp: tuple[float, ...]


_cache: dict[str, Asset] = {}
_lock = threading.Lock()
caches.declare("widget.scripts", _cache.clear)


def server_values() -> dict[str, object]:
    """What the widget is told by the server: its styles and the rules the server enforces."""
    return {
        "css": rcssmin.cssmin(CSS.read_text(encoding="utf-8")),
        "tags": sorted(ALLOWED_TAGS),
        "attributes": {tag: sorted(names) for tag, names in sorted(ALLOWED_ATTRIBUTES.items())},
        "maxBody": _max_length(CommentIn, "body"),
    }


def _max_length(model: type, field: str) -> int:
    for rule in model.model_fields[field].metadata:
        if getattr(rule, "max_length", None) is not None:
            return rule.max_length
    raise RuntimeError(f"{model.__name__}.{field} declares no max_length")


def _binding(name: str) -> str:
    return "$" + name.removesuffix(".js").replace("-", "_")


def join_modules(modules: list[tuple[str, str]], values: dict[str, object]) -> str:
    """The modules ``(file name, source)`` as one script, refusing what the join cannot honour.

    An import of a module that comes later (or not at all), of a name that module does not
    export, and any other module syntax (``export default``, ``export let``, re-exports) raise
    ``ValueError``: the served script would otherwise fail in the browser, not here.
    """
    exported: dict[str, set[str]] = {}
    parts = [
        '(() => {\n"use strict";\n',
        # "</" escaped so the script stays safe even if someone inlines it into a page.
        "const SERVER = " + json.dumps(values, separators=(",", ":")).replace("</", "<\\/") + ";\n",
    ]
    for name, source in modules:

        def read_import(match: re.Match[str], name: str = name) -> str:
            wanted = [n.strip() for n in match.group(1).split(",") if n.strip()]
            origin = match.group(2)
            if origin not in exported:
                raise ValueError(f"{name} imports {origin}, which is not joined before it")
            pairs = []
            for item in wanted:
                imported, _, local = (p.strip() for p in item.partition(" as "))
                if imported not in exported[origin]:
                    raise ValueError(f"{name} imports {imported!r}, which {origin} does not export")
                pairs.append(f"{imported}: {local}" if local else imported)
            return f"const {{ {', '.join(pairs)} }} = {_binding(origin)};\n"

        body = _IMPORT.sub(read_import, source)
        names = [m.group(2) for m in _EXPORT.finditer(body)]
        body = _EXPORT.sub(lambda m: f"{m.group(1)} {m.group(2)}", body)
        leftover = _MODULE_SYNTAX.search(body)
        if leftover:
            raise ValueError(
                f"{name}: the join understands only named imports and exports, "
                f"not {leftover.group(0)!r}"
            )
        exported[name] = set(names)
        result = f"return {{ {', '.join(names)} }};\n" if names else ""
        head = f"const {_binding(name)} = " if names else ""
        parts.append(f"// {name}\n{head}(() => {{\n{body}{result}}})();\n")
    parts.append("})();\n")
    return "".join(parts)


def _stamp(paths: tuple[Path, ...]) -> tuple[float, ...]:
    return tuple(path.stat().st_mtime for path in paths)


def _assemble(name: str) -> bytes:
    if name == "embed.js":
        modules = [(m, (JS / m).read_text(encoding="utf-8")) for m in EMBED_MODULES]
        text = EMBED_BANNER + join_modules(modules, server_values())
    else:
        (path,) = SCRIPTS[name]
        text = path.read_text(encoding="utf-8")
    return rjsmin.jsmin(text, keep_bang_comments=True).encode("utf-8")


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
