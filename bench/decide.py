"""Submit → decision at a steady rate: ``python -m bench.decide [--rate 100] [--postgres]``.

Starts ``parley run`` as the peers harness does (2 gunicorn processes of 64 threads, **one**
``parley worker``, the sweeper, embedded Redis; SQLite in a throw-away data dir, or
``--postgres``: a PostgreSQL started by the tests' own starter, ``tests/support/servers.py``),
creates the ``bench`` site with the flood check off, then sends comment k at t0 + k/RATE
whatever happened to the earlier ones (open loop), each from its own reader, ~300 characters
with a link, one thread per 100 comments. As soon as a POST answers 202 the client asks
``GET /api/v1/comments/{id}?wait=10&key=…`` until the status is no longer pending (at most
``--cap`` seconds in all). It reports, over every comment sent (one undecided at the cap counts
as infinitely late):

- **client-seen** submit → decision p50/p90/p99 (POST sent → a non-pending status read);
- **server-side** p50/p99 (the row's ``created_at`` → ``decided_at``);
- POST p50/p99, answers other than 202/200, waits refused (429/503), late sends;
- CPU per comment of the web (gunicorn), the worker, Redis and this client, from /proc, over the
  run (the figure that survives a shared box), and the load average.

The caps on waiting requests stay at their defaults unless ``--env`` sets them. Loopback only;
bounded: RATE × SECONDS comments, each waited for at most ``--cap`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import resource
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from bench.local_stack import BENCH_ORIGIN as ORIGIN
from bench.local_stack import bench_postgres, parley_run
from bench.processes import command_line, descendants
from bench.processes import cpu_seconds as process_cpu
from bench.run import _PARTS

SECRET = "bench-decide-secret-key-0123456789"
ROLES = {"web": "gunicorn", "worker": "cli_entry worker", "redis": "redis-server"}


def body(k: int) -> str:
    pick = random.Random(f"decide#{k}")
    words = " ".join(pick.choice(part) for part in _PARTS)
    return f"{words} Our notes: https://example.com/notes/{k}."


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    value = values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]
    return round(value, 1) if value != float("inf") else value


class Client:
    """One keep-alive connection per thread and purpose (POST, wait). gunicorn closes a
    connection idle for its keep-alive (2 s): one idle longer is replaced before use, and a
    request that meets a connection closed meanwhile is sent again once on a new one (the
    server never read it)."""

    IDLE_S = 1.5

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def _connection(self, purpose: str, fresh: bool) -> http.client.HTTPConnection:
        held = getattr(self.local, purpose, None)
        if held is not None and (fresh or time.monotonic() - held[1] > self.IDLE_S):
            held[0].close()
            held = None
        if held is None:
            held = (http.client.HTTPConnection("127.0.0.1", self.port, timeout=60), 0.0)
        setattr(self.local, purpose, held)
        return held[0]

    def request(self, purpose: str, method: str, path: str, payload: dict | None = None):
        data = json.dumps(payload).encode() if payload is not None else None
        headers = {"Origin": ORIGIN, "Content-Type": "application/json"} if data else {}
        for attempt in (0, 1):
            conn = self._connection(purpose, fresh=attempt == 1)
            try:
                conn.request(method, path, body=data, headers=headers)
                answer = conn.getresponse()
                result = answer.status, json.loads(answer.read() or b"{}")
                setattr(self.local, purpose, (conn, time.monotonic()))
                return result
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                conn.close()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def one(client: Client, k: int, t_send: float, cap: float, rec: dict) -> None:
    time.sleep(max(0.0, t_send - time.monotonic()))
    started = time.monotonic()
    rec["late_ms"] = (started - t_send) * 1000
    payload = {
        "site": "bench",
        "thread": f"/bench/decide-{k // 100}",
        "body": body(k),
        "author": {"name": f"Decider {k}", "email": f"decider{k}@example.com"},
    }
    try:
        status, data = client.request("post", "POST", "/api/v1/comments", payload)
        rec["post_ms"] = (time.monotonic() - started) * 1000
        rec["post_status"] = status
        if status != 202:
            return
        cid, key = data["comment"]["id"], data["key"]
        rec["id"] = cid
        while time.monotonic() < started + cap:
            status, data = client.request(
                "wait", "GET", f"/api/v1/comments/{cid}?wait=10&key={key}"
            )
            if status != 200:
                # Refused (429/503: the process has no thread left to lend to waiting): ask
                # again a second later, as a polite poller would.
                rec.setdefault("refused", []).append(status)
                time.sleep(1.0)
                continue
            if data["comment"]["status"] != "pending":
                rec["status"] = data["comment"]["status"]
                rec["decide_ms"] = (time.monotonic() - started) * 1000
                return
    except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
        rec["error"] = repr(error)[:200]


def role_cpu(root: int) -> dict[str, float]:
    pids = descendants(root)
    lines = {pid: command_line(pid) for pid in pids}
    out = {
        role: process_cpu([pid for pid, line in lines.items() if marker in line])
        for role, marker in ROLES.items()
    }
    me = resource.getrusage(resource.RUSAGE_SELF)
    out["client"] = me.ru_utime + me.ru_stime
    return out


def drive(port: int, rate: float, seconds: float, cap: float, threads: int) -> list[dict]:
    n = int(rate * seconds)
    client = Client(port)
    recs = [{"k": k} for k in range(n)]
    t0 = time.monotonic() + 0.5
    with ThreadPoolExecutor(threads) as pool:
        for k in range(n):
            pool.submit(one, client, k, t0 + k / rate, cap, recs[k])
    return recs


def server_side(database_url: str, ids: list[int]) -> list[float]:
    if not ids:
        return []
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT created_at, decided_at FROM comments WHERE id BETWEEN :a AND :b"
                    " AND decided_at IS NOT NULL"
                ),
                {"a": min(ids), "b": max(ids)},
            ).all()
    finally:
        engine.dispose()

    def at(value):
        from datetime import datetime

        return value if not isinstance(value, str) else datetime.fromisoformat(value)

    return [(at(d) - at(c)).total_seconds() * 1000 for c, d in rows]


def summarize(recs: list[dict], took: float, cpu: dict[str, float], server: list[float]) -> dict:
    n = len(recs)
    everyone = [r.get("decide_ms", float("inf")) for r in recs]
    statuses: dict[str, int] = {}
    for r in recs:
        s = r.get("status") or ("error" if "error" in r else f"post_{r.get('post_status')}")
        statuses[s] = statuses.get(s, 0) + 1
    decided = n - sum(1 for v in everyone if v == float("inf"))
    return {
        "sent": n,
        "took_s": round(took, 1),
        "decided": decided,
        "statuses": statuses,
        "client_p50_ms": pct(everyone, 50),
        "client_p90_ms": pct(everyone, 90),
        "client_p99_ms": pct(everyone, 99),
        "server_p50_ms": pct(server, 50),
        "server_p99_ms": pct(server, 99),
        "post_p50_ms": pct([r["post_ms"] for r in recs if "post_ms" in r], 50),
        "post_p99_ms": pct([r["post_ms"] for r in recs if "post_ms" in r], 99),
        "late_send_p99_ms": pct([r["late_ms"] for r in recs if "late_ms" in r], 99),
        "waits_refused": sum(len(r.get("refused", ())) for r in recs),
        "errors": sum(1 for r in recs if "error" in r),
        "first_error": next((r["error"] for r in recs if "error" in r), None),
        "cpu_ms_per_comment": {k: round(1000 * v / max(1, n), 2) for k, v in cpu.items()},
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def measure(args, directory: Path, database_url: str | None) -> list[dict]:
    with parley_run(
        directory, SECRET, web_workers=args.web_workers, workers=1,
        database_url=database_url, overrides=args.env,
    ) as parley:  # fmt: skip
        drive(parley.port, 20, 2, 30, 8)  # warm-up: imports, models, connections
        time.sleep(2)
        results = []
        for i in range(args.repeats):
            before = role_cpu(parley.process.pid)
            started = time.monotonic()
            recs = drive(parley.port, args.rate, args.seconds, args.cap, args.threads)
            took = time.monotonic() - started
            after = role_cpu(parley.process.pid)
            cpu = {k: after[k] - before[k] for k in after}
            server = server_side(parley.database_url, [r["id"] for r in recs if "id" in r])
            out = summarize(recs, took, cpu, server)
            out.update(run=i + 1, rate=args.rate, seconds=args.seconds)
            out["database"] = "postgresql" if args.postgres else "sqlite"
            print(json.dumps(out), flush=True)
            results.append(out)
            time.sleep(2)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="comments per second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cap", type=float, default=30, help="seconds one comment is waited for")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=128, help="client threads")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for parley run")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-decide-"))
    try:
        with contextlib.ExitStack() as stack:
            url = stack.enter_context(bench_postgres()) if args.postgres else None
            results = measure(args, directory, url)
        if len(results) > 1:
            keys = ("client_p50_ms", "client_p99_ms", "server_p50_ms", "server_p99_ms")
            median = {k: sorted(r[k] for r in results)[len(results) // 2] for k in keys}
            print(json.dumps({"median_of_runs": median}))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
