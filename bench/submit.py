"""Submits under wrk: ``python -m bench.submit [--seconds 10] [--postgres] [--decide 100]``.

Starts ``parley run`` as the peers harness does (2 gunicorn processes of 64 threads, one
``parley worker``, embedded Redis; SQLite in a throw-away data dir, or ``--postgres``: an
embedded PostgreSQL), creates the ``bench`` site with the flood check off, then runs
``wrk -t2 -c<N> -s bench/submit_post.lua`` (one new guest comment of ~300 characters per
request, over 1,000 threads) at each of ``--connections`` (1,32) after a warm-up, and reports
req/s, p50/p99, non-2xx and the web's CPU ms per POST (the gunicorn processes' utime+stime
over the run, from /proc, divided by the requests served).

``--decide RATE``: then submit→decision latency at a steady RATE comments/s for
``--decide-seconds``, with the peers harness's open-loop client
(``../shared/peers/parley/decide_latency.py``, run by a Python that has aiohttp:
``--tools-python``).

Needs ``wrk``. Loopback only; bounded by --seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.local_stack import bench_postgres, parley_run
from bench.processes import command_line, descendants
from bench.processes import cpu_seconds as process_cpu
from bench.wrk import run_wrk

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "submit_post.lua"
DECIDE = ROOT.parent / "shared" / "peers" / "parley" / "decide_latency.py"
SECRET = "bench-submit-secret-key-0123456789"


def cpu_seconds(root: int, marker: str) -> float:
    """utime+stime of the processes under ``root`` whose command line holds ``marker``."""
    return process_cpu([pid for pid in descendants(root) if marker in command_line(pid)])


def wrk(base: str, seconds: int, connections: int, run: str) -> dict:
    env = {**os.environ, "BENCH_SITE": "bench", "BENCH_RUN": run}
    out = run_wrk(base, seconds, connections, script=LUA, env=env)
    out["p50_ms"], out["p99_ms"] = round(out["p50_ms"], 1), round(out["p99_ms"], 1)
    return out


def measure(args, directory: Path) -> dict:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(bench_postgres()) if args.postgres else None
        parley = stack.enter_context(
            parley_run(
                directory,
                SECRET,
                web_workers=args.web_workers,
                workers=args.workers,
                database_url=url,
                overrides=args.env,
                # Every bench client is 127.0.0.1: the per-client cap on waiting requests
                # (?wait=) would refuse the decide client's waits.
                PARLEY_MAX_WAITING_PER_CLIENT="100000",
            )  # fmt: skip
        )
        base = f"http://127.0.0.1:{parley.port}"
        results: dict = {"database": "postgresql" if args.postgres else "sqlite"}
        for c in args.connections:
            wrk(base, 3, c, f"warm{c}")
            before = cpu_seconds(parley.process.pid, "gunicorn")
            out = wrk(base, args.seconds, c, f"c{c}-{time.time_ns()}")
            used = cpu_seconds(parley.process.pid, "gunicorn") - before
            out["web_cpu_ms_per_post"] = round(1000 * used / max(1, out["requests"]), 2)
            results[f"post_c{c}"] = out
            print(json.dumps({f"post_c{c}": out}), flush=True)
        if args.decide:
            time.sleep(args.quiet)  # let the worker drain the POST runs' backlog
            report = directory / "decide.json"
            subprocess.run(
                [args.tools_python, str(DECIDE), base, "bench", str(args.decide),
                 str(args.decide_seconds), str(report), "30"],
                check=True, capture_output=True, timeout=args.decide_seconds + 120,
            )  # fmt: skip
            data = json.loads(report.read_text())
            results["decide"] = {k: v for k, v in data.items() if not isinstance(v, list)}
            print(json.dumps({"decide": results["decide"]}), flush=True)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--connections", type=lambda s: [int(c) for c in s.split(",")], default=[1, 32]
    )
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--decide", type=float, default=0, help="comments/s; 0: skip")
    parser.add_argument("--decide-seconds", type=float, default=10)
    parser.add_argument("--quiet", type=float, default=20, help="seconds to drain before --decide")
    parser.add_argument("--tools-python", default="/tmp/perf/tools/bin/python")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for parley run")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-submit-"))
    try:
        print(json.dumps(measure(args, directory), indent=2))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
