"""The web process: where it listens, how the public reaches it, how hard it may be pushed."""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader


@dataclass(frozen=True)
class WebSettings:
    port: int = 8000
    # Parley's public address, without a trailing slash.
    base_url: str = "http://127.0.0.1:8000"
    # Reverse proxies in front of the web process (X-Forwarded-For hops to trust).
    proxy_hops: int = 0
    # gunicorn: every open widget parks one thread on its live-update stream, so threads,
    # not processes, limit concurrent readers.
    workers: int = 2
    threads: int = 64
    # Rate limit per client IP on comment submission, per minute (0 = off).
    submit_rate_per_minute: int = 30
    # Longest ``?wait=`` a status request may block.
    max_wait_seconds: int = 10
    # Public reads (thread pages, counts): how long a browser may keep one without asking
    # again, and how long after that it may show it while it revalidates (Cache-Control).
    read_max_age: int = 10
    read_stale_seconds: int = 60
    # How long a shared cache (a CDN) may keep one (s-maxage); set it long only with
    # cdn_purge_url, which asks the CDN to drop a thread the moment it changes.
    cdn_max_age: int = 0
    cdn_purge_url: str = ""
    # How long a web process answers a repeated public read from its own memory before Flask
    # confirms it again (service.comments.warm_reads; changes drop it at once); 0 = off.
    warm_reads_seconds: int = 2


def parse_web(reader: EnvReader) -> WebSettings:
    integer = reader.integer
    port = integer("PARLEY_PORT", WebSettings.port, 1, 65535)
    return WebSettings(
        port=port,
        base_url=reader.text("PARLEY_BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        proxy_hops=integer("PARLEY_PROXY_HOPS", WebSettings.proxy_hops),
        workers=integer("PARLEY_WEB_WORKERS", WebSettings.workers, 1),
        threads=integer("PARLEY_WEB_THREADS", WebSettings.threads, 1),
        submit_rate_per_minute=integer("PARLEY_SUBMIT_RATE", WebSettings.submit_rate_per_minute),
        max_wait_seconds=integer("PARLEY_MAX_WAIT", WebSettings.max_wait_seconds, 0),
        read_max_age=integer("PARLEY_READ_MAX_AGE", WebSettings.read_max_age, 0, 86_400),
        read_stale_seconds=integer(
            "PARLEY_READ_STALE_SECONDS", WebSettings.read_stale_seconds, 0, 86_400
        ),
        cdn_max_age=integer("PARLEY_CDN_MAX_AGE", WebSettings.cdn_max_age, 0, 31_536_000),
        cdn_purge_url=reader.http_url("PARLEY_CDN_PURGE_URL"),
        warm_reads_seconds=integer(
            "PARLEY_WARM_READS_SECONDS", WebSettings.warm_reads_seconds, 0, 60
        ),
    )
