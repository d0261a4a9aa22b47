"""Memory of a running Parley, per process: ``python -m bench.memory``.

Starts ``parley run`` (embedded Redis, gunicorn web on Parley's config, one worker, the
sweeper, the demo page server) on a fresh SQLite data directory with the environment the
side-by-side harness (``../shared/peers/parley/bench.py``) gives it (2 web processes of 64
threads, no submit rate limit), warms it (comments posted and decided, approved, then a
thread and counts read from 32 connections at once), then reads every process's ``VmRSS``
(``/proc/PID/status``) and ``Pss`` (``/proc/PID/smaps_rollup``: shared pages divided among
the processes sharing them) and prints them per process and summed by role, the way the
harness sums them: ``web`` is the gunicorn master and its workers, ``worker`` the RQ worker
and anything it forked; the harness's headline is web + worker. As the harness does, a sampler
sums web + worker once a second while the stack is warmed and read, and the peak of those sums
is printed too (the harness's "peak RSS, web + worker").

``--source DIR`` measures another checkout with this interpreter (a ``git archive`` of another
commit: before and after in one session, on the same box).

    python -m bench.memory [--comments 30] [--reads 2000] [--connections 32] [--json]
    python -m bench.memory --source /tmp/main   # git archive main | tar -x -C /tmp/main
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.processes import children_by_parent, command_line, stop_group, wait_ready
from service.embedded import free_port

ORIGIN = "http://127.0.0.1:8080"
SITE = "bench"


def _read(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _kib(pid: int, name: str, key: str) -> int:
    for line in _read(f"/proc/{pid}/{name}").splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def role_of(cmd: str) -> str:
    """The harness's classification of ``parley run``'s children (procstat._parley_role)."""
    words = cmd.split()
    if "gunicorn" in cmd:
        return "web"
    if "redis-server" in cmd:
        return "redis"
    if "demo_server" in cmd:
        return "demo"
    if "sweep" in words:
        return "sweep"
    if "worker" in words:
        return "worker"
    return "other"


def processes(root: int) -> list[dict]:
    """Every process under ``parley run`` (pid ``root``), with its role, RSS and PSS in KiB."""
    kids = children_by_parent()
    out = [dict(role="run", pid=root, cmd=command_line(root))]
    for child in kids.get(root, []):
        role, todo = role_of(command_line(child)), [child]
        while todo:
            pid = todo.pop()
            todo.extend(kids.get(pid, []))
            out.append(dict(role=role, pid=pid, cmd=command_line(pid)))
    for p in out:
        p["rss_kib"] = _kib(p["pid"], "status", "VmRSS:")
        p["pss_kib"] = _kib(p["pid"], "smaps_rollup", "Pss:")
        p["hwm_kib"] = _kib(p["pid"], "status", "VmHWM:")
    return out


HEADLINE = ("web", "worker")


class PeakSampler:
    """Once a second, web + worker summed (RSS and PSS, KiB), as the harness's sampler does
    (``../shared/peers/parley/procstat.py sample``); ``peak`` is the largest of each."""

    def __init__(self, root: int, interval: float = 1.0):
        self.root, self.interval = root, interval
        self.peak = [0, 0]
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            procs = [p for p in processes(self.root) if p["role"] in HEADLINE]
            self.peak[0] = max(self.peak[0], sum(p["rss_kib"] for p in procs))
            self.peak[1] = max(self.peak[1], sum(p["pss_kib"] for p in procs))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


class Client:
    def __init__(self, port: int, token: str | None = None):
        self.port, self.token = port, token

    def call(self, method: str, path: str, body=None, auth: bool = False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Origin": ORIGIN}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if auth:
            headers["Authorization"] = "Bearer " + self.token
        try:
            conn.request(
                method, path, body=None if body is None else json.dumps(body), headers=headers
            )
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        if resp.status >= 400:
            raise SystemExit(f"{method} {path}: {resp.status} {data[:300]!r}")
        return json.loads(data) if data else None


def warm(client: Client, comments: int) -> dict:
    """Post ``comments`` comments (a realistic one each, as the harness's seed writes them),
    wait for each decision and approve what was not published."""
    ids = []
    for n in range(comments):
        body = {
            "site": SITE,
            "thread": "/bench/read" if n % 2 else "/bench/other",
            "title": "Bench thread",
            "body": (
                f"Comment number {n} on this article. I *really* liked the second section, "
                f"especially the part about **caching**; see also https://example.com/notes/{n} "
                "for a longer write-up. One question: does the same approach work when the "
                "data set no longer fits in memory? Thanks for taking the time to write this up."
            ),
            "author": {"name": f"Reader {n}", "email": f"reader{n}@example.com"},
        }
        ids.append(client.call("POST", "/api/v1/comments", body)["comment"]["id"])
    decided: dict[str, int] = {}
    for cid in ids:
        status = "pending"
        for _ in range(6):
            status = client.call("GET", f"/api/v1/comments/{cid}?wait=10")["comment"]["status"]
            if status != "pending":
                break
        decided[status] = decided.get(status, 0) + 1
        if status in ("held", "spam"):
            client.call("POST", f"/api/v1/moderation/comments/{cid}/approve", {}, auth=True)
    return decided


def read_concurrently(client: Client, reads: int, connections: int) -> None:
    """``reads`` thread reads and as many counts, from ``connections`` clients at once (the
    harness's read phase runs wrk at 32 connections: every web thread allocates)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(n: int) -> None:
        if n % 2:
            client.call("GET", f"/api/v1/comments?site={SITE}&thread=/bench/read")
        else:
            client.call("GET", f"/api/v1/counts?site={SITE}&thread=/bench/read&thread=/bench/other")

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, range(2 * reads)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=30)
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--web-workers", default="2")
    parser.add_argument("--web-threads", default="64")
    parser.add_argument("--json", action="store_true", help="print the processes as JSON")
    parser.add_argument(
        "--source", type=Path, default=None, help="the checkout to run (default: this one)"
    )
    args = parser.parse_args(argv)
    root = (args.source or Path(__file__).resolve().parents[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="parley-mem-") as tmp:
        port = free_port()
        demo_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
        env.update(
            PARLEY_PORT=str(port),
            PARLEY_DATA_DIR=tmp,
            PARLEY_SUBMIT_RATE="0",
            PARLEY_DEMO_PORT=str(demo_port),
            PARLEY_SECRET_KEY=secrets.token_hex(32),
            PARLEY_WEB_WORKERS=args.web_workers,
            PARLEY_WEB_THREADS=args.web_threads,
        )
        parley = [sys.executable, "-m", "worker.cli_entry"]
        log = open(Path(tmp) / "run.log", "wb")
        proc = subprocess.Popen(
            [*parley, "run", "--workers", "1"],
            env=env,
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_ready(f"http://127.0.0.1:{port}/readyz", proc)
            time.sleep(1.5)

            def cli(*words: str) -> str:
                done = subprocess.run(
                    [*parley, *words], env=env, cwd=root, capture_output=True, text=True, check=True
                )
                return done.stdout.strip()

            cli("sites", "create", SITE, "--origin", ORIGIN)
            token = cli("tokens", "create", "--site", SITE, "--role", "moderator").split()[-1]
            started = time.monotonic()
            with PeakSampler(proc.pid) as sampler:
                decided = warm(Client(port, token), args.comments)
                read_concurrently(Client(port, token), args.reads, args.connections)
                warm_s = time.monotonic() - started
                time.sleep(2)
            procs = processes(proc.pid)
        finally:
            stop_group(proc)
            log.close()
    peak = dict(rss_kib=sampler.peak[0], pss_kib=sampler.peak[1], samples=sampler.samples)
    if args.json:
        print(json.dumps(dict(decided=decided, processes=procs, peak=peak, source=str(root))))
        return
    print(
        f"{root}: warmed in {warm_s:.1f} s: {args.comments} comments ({decided}), "
        f"{args.reads} thread reads and {args.reads} counts from {args.connections} connections"
    )
    print(f"{'role':8} {'pid':>8} {'RSS MiB':>8} {'PSS MiB':>8} {'peak RSS':>9}  command")
    for p in procs:
        print(
            f"{p['role']:8} {p['pid']:>8} {p['rss_kib'] / 1024:8.1f} {p['pss_kib'] / 1024:8.1f} "
            f"{p['hwm_kib'] / 1024:9.1f}  {p['cmd'][:70]}"
        )
    sums: dict[str, list[int]] = {}
    for p in procs:
        s = sums.setdefault(p["role"], [0, 0])
        s[0] += p["rss_kib"]
        s[1] += p["pss_kib"]
    print("by role (MiB, RSS / PSS): " + "; ".join(
        f"{r} {v[0] / 1024:.0f} / {v[1] / 1024:.0f}" for r, v in sums.items()
    ))  # fmt: skip
    ww = [sum(sums.get(r, [0, 0])[i] for r in ("web", "worker")) / 1024 for i in (0, 1)]
    print(f"web + worker (the harness's headline): RSS {ww[0]:.0f} MiB, PSS {ww[1]:.0f} MiB")
    print(
        f"web + worker, peak of {peak['samples']} samples a second apart while warming and "
        f"reading: RSS {peak['rss_kib'] / 1024:.0f} MiB, PSS {peak['pss_kib'] / 1024:.0f} MiB"
    )
    stack = [sum(v[i] for r, v in sums.items() if r not in ("run", "demo")) / 1024 for i in (0, 1)]
    print(f"web + worker + sweeper + redis: RSS {stack[0]:.0f} MiB, PSS {stack[1]:.0f} MiB")


if __name__ == "__main__":
    main()
