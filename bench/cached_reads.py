"""Cached reads under wrk: ``python -m bench.cached_reads [--seconds 5] [--connections 32]``.

Starts Parley's web (gunicorn with ``service/gunicorn_conf.py``, ``PARLEY_WEB_WORKERS``
processes) on a throw-away SQLite database and an embedded Redis, seeds a 50-comment thread
and 20 count threads, then runs ``wrk -t2 -c<connections>`` in turn on:

- the thread page (``GET /api/v1/comments``): a 200 with the whole page, from the cache;
- the same with ``If-None-Match`` set to its ETag: a 304 without a body;
- counts of the 20 threads.

Prints req/s and latency p50/p99 of each (one run each, after a warm-up). Needs ``wrk``.
Loopback only; bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.local_stack import local_stack
from bench.run import BENCH_POLICY, BENCH_SITE, comment
from service.enqueue import SERIALIZER
from service.sites import create_site
from worker.loop import BatchingWorker

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://bench.example.test"
THREAD = "/bench/cached-50"
SECRET = "bench-cached-reads-secret-key-0123"
_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    latency = {p: _ms(v, u) for p, v, u in _LATENCY.findall(out)}
    return {
        "req_s": float(_RATE.search(out).group(1)),
        "p50_ms": round(latency.get("50", float("nan")), 2),
        "p99_ms": round(latency.get("99", float("nan")), 2),
        "non_2xx_3xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx.*?(\d+)", out)) else 0,
    }


def measure(seconds: int, connections: int, workers: int, directory: Path) -> dict:
    stack = local_stack(
        directory,
        SECRET,
        PARLEY_WEB_WORKERS=str(workers),
    )
    app, rt, port, env = stack.app, stack.rt, stack.port, stack.env
    web = None
    try:
        with rt.session() as session:
            create_site(session, BENCH_SITE, "Bench", [ORIGIN], BENCH_POLICY)
            session.commit()
        client = app.test_client()
        for i in range(50):
            client.post("/api/v1/comments", json=comment(BENCH_SITE, THREAD, i))
        for i in range(60):
            client.post("/api/v1/comments", json=comment(BENCH_SITE, f"/bench/c{i % 20}", i))
        BatchingWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER).work(
            burst=True, with_scheduler=False, logging_level="WARNING"
        )
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
             "-c", "python:service.gunicorn_conf", "service.wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        thread_url = f"{base}/api/v1/comments?{urlencode({'site': BENCH_SITE, 'thread': THREAD})}"
        counts_url = f"{base}/api/v1/counts?" + urlencode(
            [("site", BENCH_SITE)] + [("thread", f"/bench/c{i}") for i in range(20)]
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                page = requests.get(thread_url, timeout=2)
                if page.status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.3)
        etag = page.headers["ETag"]
        published = len(page.json()["comments"])
        origin = {"Origin": ORIGIN}
        results = {}
        for name, url, headers in (
            ("thread_200", thread_url, origin),
            ("thread_304", thread_url, {**origin, "If-None-Match": etag}),
            ("counts_200", counts_url, origin),
        ):
            wrk(url, 2, connections, headers)  # warm-up
            results[name] = wrk(url, seconds, connections, headers)
    finally:
        if web is not None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(30)
        stack.close()
    return {"published_in_thread": published, "connections": connections, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-cached-"))
    try:
        result = measure(args.seconds, args.connections, args.workers, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
