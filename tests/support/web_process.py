"""The web tier as operators run it: gunicorn with ``service.gunicorn_conf`` (the stream hub's
worker class) on a free port of 127.0.0.1, in its own process group, stopped after the test."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.live_server import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def gunicorn(env: Mapping[str, str], log: Path) -> Iterator[str]:
    """Run ``gunicorn service.wsgi:app`` configured by ``env`` alone; yields its base URL."""
    port = free_port()
    with log.open("w") as out:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
             "-c", "python:service.gunicorn_conf", "service.wsgi:app"],
            cwd=ROOT, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:

            def up() -> bool:
                try:
                    return requests.get(f"{base}/healthz", timeout=5).status_code == 200
                except requests.RequestException:
                    return False

            assert wait_until(up, timeout=60), log.read_text()
            yield base
        finally:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(20)


def read_until(sock: socket.socket, marker: bytes, timeout: float = 30, data: bytes = b"") -> bytes:
    """``data`` and what arrives on ``sock`` after it, until ``marker`` is in it, the peer
    hangs up, or ``timeout`` seconds pass. Generous by default: waiting longer costs nothing
    when the marker comes, and a loaded CI box can be slow to send it."""
    deadline = time.monotonic() + timeout
    while marker not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data
