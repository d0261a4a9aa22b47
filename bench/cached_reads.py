"""Cached reads under wrk: ``python -m bench.cached_reads [--seconds 5] [--connections 32]``.

Starts Parley's web (gunicorn with ``service/gunicorn_conf.py``, ``PARLEY_WEB_WORKERS``
processes) on a throw-away SQLite database and an embedded Redis, seeds a 50-comment thread
and 20 count threads, then runs ``wrk -t2 -c<connections>`` in turn on:

- the hello-world ceiling: a Flask app answering ``{"hello": "world"}`` on the same gunicorn
  configuration (``bench/hello_world.py``, as the side-by-side harness's ceiling);
- the thread page (``GET /api/v1/comments``): a 200 with the whole page, from the cache;
- the same with ``If-None-Match`` set to its ETag: a 304 without a body;
- counts of the 20 threads (the harness's request: 20 ``thread=`` and an ``Origin``);
- with ``--also-without-warm``, the three again on a second gunicorn with
  ``PARLEY_WARM_READS_SECONDS=0`` (every read through Flask and Redis);
- ``--env NAME=VALUE`` sets a variable for every gunicorn (``PARLEY_ACCESS_LOG=off``).

Prints, for each, req/s, latency p50/p99, the web's CPU per request (user + system time of
the gunicorn processes over the run, divided by the requests: the robust figure on a shared
box) and its ratio to the hello-world's, all in one run. ``--connections 1`` measures c1.
Needs ``wrk``. Loopback only; bounded by --seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from bench.local_stack import local_stack
from bench.processes import cpu_seconds as process_cpu
from bench.processes import group_members, stop_group, wait_ready
from bench.run import BENCH_POLICY, BENCH_SITE, comment
from bench.wrk import run_wrk
from service.embedded import free_port
from service.enqueue import SERIALIZER
from service.sites import create_site
from worker.loop import BatchingWorker

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://bench.example.test"
THREAD = "/bench/cached-50"
SECRET = "bench-cached-reads-secret-key-0123"


def cpu_seconds(group: int) -> float:
    """User + system CPU of every live process in the process group ``group``."""
    return process_cpu(group_members(group))


def wrk(
    url: str, seconds: int, connections: int, headers: dict[str, str], group: int | None = None
) -> dict:
    before = cpu_seconds(group) if group else 0.0
    out = run_wrk(url, seconds, connections, headers)
    cpu = cpu_seconds(group) - before if group else 0.0
    total = out.pop("requests")
    out["cpu_ms_per_req"] = round(cpu * 1000 / total, 3) if total and group else None
    return out


def _gunicorn(env: dict, port: int, app: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
         "-c", "python:service.gunicorn_conf", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip


def measure(
    seconds: int,
    connections: int,
    workers: int,
    directory: Path,
    without_warm: bool = False,
    extra_env: dict[str, str] | None = None,
) -> dict:
    stack = local_stack(directory, SECRET, PARLEY_WEB_WORKERS=str(workers), **(extra_env or {}))
    app, rt, env = stack.app, stack.rt, stack.env
    running: list[subprocess.Popen] = []
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
        results: dict = {}
        hello_port = free_port()
        hello = _gunicorn({**env, "PYTHONPATH": str(ROOT)}, hello_port, "bench.hello_world:app")
        running.append(hello)
        hello_url = f"http://127.0.0.1:{hello_port}/"
        wait_ready(hello_url, hello, 60)
        wrk(hello_url, 2, connections, {})  # warm-up
        results["hello_world"] = wrk(hello_url, seconds, connections, {}, hello.pid)
        stop_group(running.pop())
        variants = [("", {})]
        if without_warm:
            variants.append(("_without_warm", {"PARLEY_WARM_READS_SECONDS": "0"}))
        for suffix, extra in variants:
            web_port = free_port()
            web = _gunicorn({**env, **extra, "PARLEY_PORT": str(web_port)}, web_port,
                            "service.wsgi:app")  # fmt: skip
            running.append(web)
            base = f"http://127.0.0.1:{web_port}"
            thread_url = (
                f"{base}/api/v1/comments?{urlencode({'site': BENCH_SITE, 'thread': THREAD})}"
            )
            counts_url = f"{base}/api/v1/counts?" + urlencode(
                [("site", BENCH_SITE)] + [("thread", f"/bench/c{i}") for i in range(20)]
            )
            page = wait_ready(thread_url, web, 60)
            etag = page.headers["ETag"]
            published = len(page.json()["comments"])
            origin = {"Origin": ORIGIN}
            for name, url, headers in (
                ("thread_200", thread_url, origin),
                ("thread_304", thread_url, {**origin, "If-None-Match": etag}),
                ("counts_200", counts_url, origin),
            ):
                wrk(url, 2, connections, headers)  # warm-up
                results[name + suffix] = wrk(url, seconds, connections, headers, web.pid)
            stop_group(running.pop())
    finally:
        for proc in running:
            stop_group(proc)
        stack.close()
    ceiling = results["hello_world"]
    for name, result in results.items():
        if name != "hello_world":
            result["of_hello_req_s"] = round(result["req_s"] / ceiling["req_s"], 2)
            if result["cpu_ms_per_req"] and ceiling["cpu_ms_per_req"]:
                result["x_hello_cpu"] = round(
                    result["cpu_ms_per_req"] / ceiling["cpu_ms_per_req"], 2
                )
    return {"published_in_thread": published, "connections": connections, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--also-without-warm",
        action="store_true",
        help="measure the reads again with PARLEY_WARM_READS_SECONDS=0 (through Flask)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable for every gunicorn started (PARLEY_ACCESS_LOG=off), repeatable",
    )
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.env)
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-cached-"))
    try:
        result = measure(
            args.seconds,
            args.connections,
            args.workers,
            directory,
            args.also_without_warm,
            extra_env,
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
