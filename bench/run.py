"""End-to-end benchmarks against a running stack on 127.0.0.1.

    make bench                      # starts its own stack (parley run) on free ports
    python -m bench.run --url URL --token TOKEN   # an already running stack

Reports, as medians over --repeats runs:
  submit:  POST /api/v1/comments throughput (req/s) and latency p50/p99
  read:    GET of a 50-comment thread, throughput (req/s) and p50/p99
  decide:  submit -> decision latency (POST, then GET ?wait=10), p50/p99
Traffic goes to loopback only and every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from service.embedded import free_port

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def comment(thread: str, i: int) -> dict:
    return {
        "site": "demo", "thread": thread,
        "body": f"Benchmark comment number {i}: thoughtful, on topic, and link-free.",
        "author": {"name": f"Reader {i}", "email": f"reader{i}@example.com"},
    }


def timed_load(fn, n: int, concurrency: int) -> tuple[float, list[float]]:
    def one(i):
        started = time.perf_counter()
        fn(i)
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = list(pool.map(one, range(n)))
    return n / (time.perf_counter() - started), latencies


def run_once(base: str, run: int, n: int, concurrency: int) -> dict:
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=concurrency * 2))

    def submit(i):
        r = session.post(f"{base}/api/v1/comments", json=comment(f"/bench/submit-{run}", i), timeout=30)
        assert r.status_code == 202, r.text

    submit_rps, submit_lat = timed_load(submit, n, concurrency)

    # A thread of 50 published comments to read.
    thread = f"/bench/read-{run}"
    ids = [session.post(f"{base}/api/v1/comments", json=comment(thread, i)).json()["comment"]["id"]
           for i in range(50)]
    for cid in ids:
        session.get(f"{base}/api/v1/comments/{cid}?wait=10", timeout=30)
    page = session.get(f"{base}/api/v1/comments", params={"site": "demo", "thread": thread}).json()
    assert page["total"] == 50, page["total"]

    def read(_):
        r = session.get(f"{base}/api/v1/comments", params={"site": "demo", "thread": thread}, timeout=30)
        assert r.status_code == 200

    read_rps, read_lat = timed_load(read, n, concurrency)

    decide_lat = []
    for i in range(min(n, 40)):
        started = time.perf_counter()
        cid = session.post(f"{base}/api/v1/comments", json=comment(f"/bench/decide-{run}", i)).json()["comment"]["id"]
        status = session.get(f"{base}/api/v1/comments/{cid}?wait=10", timeout=30).json()["comment"]["status"]
        assert status != "pending"
        decide_lat.append(time.perf_counter() - started)

    return {
        "submit_rps": submit_rps, "submit_p50_ms": percentile(submit_lat, 50) * 1000,
        "submit_p99_ms": percentile(submit_lat, 99) * 1000,
        "read50_rps": read_rps, "read50_p50_ms": percentile(read_lat, 50) * 1000,
        "read50_p99_ms": percentile(read_lat, 99) * 1000,
        "decide_p50_ms": percentile(decide_lat, 50) * 1000,
        "decide_p99_ms": percentile(decide_lat, 99) * 1000,
    }


def start_stack(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="parley-bench-")
    env = {**os.environ, "PARLEY_PORT": str(port), "PARLEY_DATA_DIR": data,
           "PARLEY_SUBMIT_RATE": "0", "PARLEY_DEMO_PORT": str(free_port())}
    env.pop("PARLEY_DATABASE_URL", None) if "PARLEY_BENCH_KEEP_DB" not in env else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "worker.cli_entry", "run", "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                return proc, base
        except requests.RequestException:
            pass
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    raise SystemExit("the stack did not become ready within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running stack (default: start one)")
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="worker processes of a started stack")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    proc = None
    base = args.url
    if base is None:
        proc, base = start_stack(args.workers)
    try:
        runs = [run_once(base.rstrip("/"), i, args.requests, args.concurrency) for i in range(args.repeats)]
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(30)
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"Parley end-to-end, {args.repeats} runs x {args.requests} requests, concurrency {args.concurrency}")
    print(f"  submit      {medians['submit_rps']:8.1f} req/s   p50 {medians['submit_p50_ms']:7.1f} ms   p99 {medians['submit_p99_ms']:7.1f} ms")
    print(f"  read (50)   {medians['read50_rps']:8.1f} req/s   p50 {medians['read50_p50_ms']:7.1f} ms   p99 {medians['read50_p99_ms']:7.1f} ms")
    print(f"  decide                      p50 {medians['decide_p50_ms']:7.1f} ms   p99 {medians['decide_p99_ms']:7.1f} ms")
    print(f"  ratio read/submit throughput: {medians['read50_rps'] / medians['submit_rps']:.2f}")
    if args.json:
        print(json.dumps({k: round(v, 2) for k, v in medians.items()}))


if __name__ == "__main__":
    main()
