"""Widget settings: the live-update stream's timing and the demo's second origin.

PARLEY_SSE_LIFETIME    seconds one event stream stays open before the browser reconnects (300)
PARLEY_SSE_HEARTBEAT   seconds between keep-alive comments on an idle stream (15)
PARLEY_MAX_WAITING     requests one web process lets wait at once (event streams and ?wait=);
                       0 = half its threads (PARLEY_WEB_THREADS)
PARLEY_MAX_WAITING_PER_CLIENT  of those, from one client address (8); the same cap holds
                       for live streams served by the stream hub (service/widget/hub.py)
PARLEY_MAX_STREAMS     live streams one web process holds in its stream hub (20000); they hold
                       no thread, so they do not count against PARLEY_MAX_WAITING
PARLEY_DEMO_PORT       port of the demo's second article, another origin (PARLEY_PORT + 1)
PARLEY_DEMO_ORIGIN     that article's origin as browsers see it (http://localhost:<port>)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from service.envvars import EnvReader


@dataclass(frozen=True)
class WidgetSettings:
    sse_lifetime: int = 300
    sse_heartbeat: int = 15
    demo_port: int = 8001
    demo_origin: str = "http://localhost:8001"
    max_waiting: int = 0  # 0: half the web process's threads
    max_waiting_per_client: int = 8
    max_streams: int = 20_000


def parse_widget(reader: EnvReader, port: int) -> WidgetSettings:
    """``port`` is the web process's: the demo's second origin is the next one."""
    integer = reader.integer
    lifetime = integer("PARLEY_SSE_LIFETIME", WidgetSettings.sse_lifetime, 1, 3600)
    heartbeat = integer("PARLEY_SSE_HEARTBEAT", WidgetSettings.sse_heartbeat, 1, 300)
    demo_port = integer("PARLEY_DEMO_PORT", port + 1, 1, 65535)
    # "localhost" rather than 127.0.0.1: another *site*, not only another port, so the demo
    # shows that the widget needs no third-party cookies.
    demo_origin = reader.text("PARLEY_DEMO_ORIGIN", f"http://localhost:{demo_port}").rstrip("/")
    parts = urlsplit(demo_origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
        reader.problems.append(
            f"PARLEY_DEMO_ORIGIN must be an origin like http://localhost:8001, not {demo_origin!r}"
        )
    return WidgetSettings(
        lifetime,
        heartbeat,
        demo_port,
        demo_origin,
        max_waiting=integer("PARLEY_MAX_WAITING", 0, 0, 100_000),
        max_waiting_per_client=integer(
            "PARLEY_MAX_WAITING_PER_CLIENT", WidgetSettings.max_waiting_per_client, 1, 100_000
        ),
        max_streams=integer("PARLEY_MAX_STREAMS", WidgetSettings.max_streams, 1, 1_000_000),
    )
