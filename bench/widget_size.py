"""What a page that embeds the widget downloads, in gzipped bytes: ``python -m bench.widget_size``.

Measures the responses as Parley serves them (the app's own routes, through the test client,
with ``Accept-Encoding: gzip``): ``embed.js`` (the styles are inside it), one sign-in icon per
enabled provider (each built-in icon is listed; a page loads only its site's), and ``count.js``
for article lists. The JSON API responses are data, not code, and are not counted. The budget
from issue 4 is 25 kB (25,600 bytes) for the widget.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
from pathlib import Path

from service import create_app
from service.settings import Settings

BUDGET = 25 * 1024
ICONS = Path(__file__).resolve().parents[1] / "service" / "auth" / "static" / "icons"


def measure() -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.for_tests(
            database_url=f"sqlite:///{tmp}/size.db", redis_url="redis://127.0.0.1:1/0"
        )
        app = create_app(settings)
        client = app.test_client()
        paths = [
            "/embed.js",
            "/count.js",
            *(f"/auth/static/icons/{p.name}" for p in sorted(ICONS.glob("*.svg"))),
        ]
        sizes = {}
        for path in paths:
            response = client.get(path, headers={"Accept-Encoding": "gzip"})
            body = response.data
            if response.headers.get("Content-Encoding") != "gzip":
                # Static files are served as they are; a proxy or CDN gzips them in production.
                body = gzip.compress(body, compresslevel=9, mtime=0)
            sizes[path] = len(body)
            response.close()
        app.extensions["parley"].close()
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line as well")
    args = parser.parse_args(argv)
    sizes = measure()
    icons = {k: v for k, v in sizes.items() if k.startswith("/auth/")}
    widget = sizes["/embed.js"] + sum(icons.values())
    for path, size in sizes.items():
        print(f"{size:>7,} B  {path}")
    print(
        f"{widget:>7,} B  widget, at most: embed.js + all {len(icons)} icons (budget {BUDGET:,} B)"
    )
    print(f"{widget + sizes['/count.js']:>7,} B  the demo article: the widget and count.js")
    if args.json:
        print(json.dumps({"sizes": sizes, "widget_total": widget, "budget": BUDGET}))


if __name__ == "__main__":
    main()
