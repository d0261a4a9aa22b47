"""Idle live streams on one web process: ``python -m bench.streams [--streams 10000]``.

Starts one gunicorn web process with Parley's configuration (``service/gunicorn_conf.py``:
the gthread worker that hands event streams to the stream hub) on a throw-away SQLite
database and an embedded Redis, with a 50-comment thread. Then:

1. GET of the thread, one connection after the other (``--probes`` requests, each on a new
   connection): p50 / p99 with no stream open;
2. opens ``--streams`` idle streams on that thread (``GET /api/v1/threads/events``), each
   waiting for its ``: connected`` line;
3. the same GETs with every stream open, and the web process's RSS;
4. publishes one comment and times until every stream has its event (fan-out).

The per-client cap is raised for the run (every stream comes from 127.0.0.1).
Loopback only; bounded by --streams and --probes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests

from bench.local_stack import local_stack
from bench.processes import stop_group, wait_ready
from bench.run import BENCH_POLICY, BENCH_SITE, comment, percentile
from service.enqueue import SERIALIZER
from service.sites import create_site
from worker.loop import BatchingWorker

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://bench.example.test"
THREAD = "/bench/streams"
SECRET = "bench-streams-secret-key-0123456789"


def _seed(rt, app, n: int) -> None:
    with rt.session() as session:
        create_site(session, BENCH_SITE, "Bench", [ORIGIN], BENCH_POLICY)
        session.commit()
    client = app.test_client()
    for i in range(n):
        client.post("/api/v1/comments", json=comment(BENCH_SITE, THREAD, i))
    BatchingWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER).work(
        burst=True, with_scheduler=False, logging_level="WARNING"
    )


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def _probe(base: str, n: int) -> dict:
    times = []
    url = f"{base}/api/v1/comments?{urlencode({'site': BENCH_SITE, 'thread': THREAD})}"
    for _ in range(n):
        start = time.perf_counter()
        # A new connection each time: it has to be accepted while the streams are open.
        response = requests.get(url, headers={"Connection": "close"}, timeout=10)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(percentile(times, 99), 2),
    }


async def _open(port: int, count: int, batch: int = 200):
    query = urlencode({"site": BENCH_SITE, "thread": THREAD})
    head = (
        f"GET /api/v1/threads/events?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Origin: {ORIGIN}\r\nAccept: text/event-stream\r\n\r\n"
    ).encode()

    async def one():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(head)
        data = b""
        while b": connected" not in data:
            chunk = await asyncio.wait_for(reader.read(4096), 30)
            if not chunk:
                raise ConnectionError(data[:200])
            data += chunk
        return reader, writer

    streams = []
    for i in range(0, count, batch):
        streams += await asyncio.gather(*(one() for _ in range(min(batch, count - i))))
    return streams


async def _all_get(streams, marker: bytes, timeout: float) -> int:
    async def one(reader) -> bool:
        data = b""
        try:
            while marker not in data:
                chunk = await reader.read(65536)
                if not chunk:
                    return False
                data += chunk
        except (TimeoutError, ConnectionError):
            return False
        return True

    done = await asyncio.wait_for(asyncio.gather(*(one(r) for r, _ in streams)), timeout)
    return sum(done)


def measure(streams: int, probes: int, directory: Path) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stack = local_stack(
        directory,
        SECRET,
        PARLEY_WEB_WORKERS="1",
        PARLEY_MAX_WAITING_PER_CLIENT=str(streams + 100),
        PARLEY_MAX_STREAMS=str(streams + 100),
        PARLEY_SSE_LIFETIME="3600",
    )
    app, rt, port, env = stack.app, stack.rt, stack.port, stack.env
    web = None
    try:
        _seed(rt, app, 50)
        log = (directory / "web.log").open("w")
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
             "-c", "python:service.gunicorn_conf", "--access-logfile", "/dev/null",
             "service.wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_ready(f"{base}/healthz", web, 60)
        _probe(base, 20)  # warm
        pid = _worker_pid(web.pid)
        before = _probe(base, probes)
        rss_before = _rss_mib(pid)

        async def run() -> dict:
            start = time.perf_counter()
            opened = await _open(port, streams)
            open_s = time.perf_counter() - start
            await asyncio.sleep(2)
            loop = asyncio.get_running_loop()
            during = await loop.run_in_executor(None, _probe, base, probes)
            rss = _rss_mib(pid)
            client = app.test_client()
            created = client.post(
                "/api/v1/comments", json=comment(BENCH_SITE, THREAD, 10_000)
            ).get_json()
            marker = f"id: {created['comment']['id']}".encode()
            start = time.perf_counter()
            # In this (main) thread, as RQ wants; the streams' bytes wait in their sockets.
            BatchingWorker([rt.queue], connection=rt.redis, serializer=SERIALIZER).work(
                burst=True, with_scheduler=False, logging_level="WARNING"
            )
            got = await _all_get(opened, marker, 120)
            fan_out_s = time.perf_counter() - start
            for _, writer in opened:
                writer.close()
            return {
                "streams_open": len(opened),
                "open_seconds": round(open_s, 1),
                "get_with_streams": during,
                "web_rss_mib_with_streams": round(rss, 1),
                "streams_that_got_the_event": got,
                "publish_to_every_stream_s": round(fan_out_s, 2),
            }

        result = asyncio.run(run())
    finally:
        stop_group(web)
        stack.close()
    return {
        "streams": streams,
        "get_without_streams": before,
        "web_rss_mib_without_streams": round(rss_before, 1),
        **result,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=10_000)
    parser.add_argument("--probes", type=int, default=200)
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-streams-"))
    try:
        result = measure(args.streams, args.probes, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
