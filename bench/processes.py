"""The processes a benchmark starts: waiting until one answers, stopping its whole group."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import requests


def wait_ready(
    url: str, process: subprocess.Popen | None = None, timeout: float = 120
) -> requests.Response:
    """Poll ``url`` until it answers 200; exit the benchmark if ``process`` dies first or the
    time runs out (a bench that measured a server that never started would report nothing
    useful)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            answer = requests.get(url, timeout=2)
            if answer.status_code == 200:
                return answer
        except requests.RequestException:
            pass
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the server for {url} exited while starting")
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer 200 in {timeout:.0f} s")
        time.sleep(0.3)


def stop_group(process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 30):
    """Stop a process started with ``start_new_session=True`` and everything it forked:
    ``sig``, then SIGKILL if the group is still there after ``wait`` seconds."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, sig)
    try:
        process.wait(wait)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
