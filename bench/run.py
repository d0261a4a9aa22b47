"""End-to-end benchmarks against a running stack on 127.0.0.1.

    make bench                      # starts its own stack (parley run) on free ports
    python -m bench.run --url URL   # an already running stack; create the site first:
        parley sites create bench --origin URL --policy '{"checks": {"flood": {"enabled": false}}}'

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
import random
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


# The bench site: every check on except flood, because all bench traffic comes
# from one loopback address and would (rightly) be held as a flood.
BENCH_SITE = "bench"
BENCH_POLICY = {"checks": {"flood": {"enabled": False}}}

_PARTS = [
    [
        "I liked",
        "I disagree with",
        "Thanks for",
        "Interesting take on",
        "I was surprised by",
        "My team argued about",
        "I keep coming back to",
        "Well argued:",
        "Not sure about",
        "Loved",
    ],
    [
        "the part on caching",
        "the section about testing",
        "your point on hiring",
        "the migration story",
        "the note on latency",
        "the remark about on-call",
        "the budget figures",
        "the paragraph on naming",
        "the code review advice",
        "the ending",
    ],
    [
        "and will try it next week.",
        "though our setup differs a lot.",
        "it matches what we saw.",
        "could you share more numbers?",
        "we learned the same the hard way.",
        "my manager will want to read this.",
        "it reminded me of an old project.",
        "it is rarely said so clearly.",
        "I would add a word on monitoring.",
        "please write a follow-up.",
    ],
    [
        "Our shop runs Postgres on two boxes.",
        "We are a team of five.",
        "I work mostly on mobile apps.",
        "We moved to queues last spring.",
        "Our pager rotation is weekly.",
        "I teach this to juniors.",
        "We still run a monolith.",
        "Most of our users are in Asia.",
        "We deploy twice a day.",
        "Our budget is tiny.",
    ],
    [
        "Cheers.",
        "Keep it up!",
        "Greetings from Lyon.",
        "Bookmarked.",
        "More of this, please.",
        "See you at the meetup.",
        "Sharing with my colleagues.",
        "Good luck with the book.",
        "Happy Friday.",
        "Thanks again.",
    ],
    [
        "Also, the diagrams helped.",
        "The title undersells it.",
        "Typo in the third heading.",
        "The footnotes were gold.",
        "I read it twice.",
        "The examples felt real.",
        "Some links are dead though.",
        "The intro drags a little.",
        "The charts are lovely.",
        "I printed it out.",
    ],
    [
        "My cat approves.",
        "Coffee in hand.",
        "Reading from the train.",
        "Late-night reading here.",
        "First time commenting.",
        "Long-time reader.",
        "Came here from the newsletter.",
        "A friend sent me this.",
        "Found this via search.",
        "On my lunch break.",
    ],
    [
        "Question: which tools?",
        "Question: how long did it take?",
        "Question: any regrets?",
        "Question: what would you skip?",
        "Question: does it scale?",
        "Question: cost?",
        "Question: team size?",
        "Question: what broke first?",
        "Question: would you do it again?",
        "Question: any books to read?",
    ],
]


def comment(site: str, thread: str, i: int) -> dict:
    # Varied, ordinary text: near-identical bodies would (rightly) be held as duplicates.
    pick = random.Random(f"{thread}#{i}")
    body = " ".join(pick.choice(part) for part in _PARTS)
    return {
        "site": site,
        "thread": thread,
        "body": body,
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


def settle(session: requests.Session, base: str, created: dict, limit: float = 120) -> str:
    """The comment's status once the worker decided (waiting out a backlog), bounded."""
    deadline = time.monotonic() + limit
    cid, key = created["comment"]["id"], created["key"]
    while True:
        status = session.get(
            f"{base}/api/v1/comments/{cid}", params={"wait": 10, "key": key}, timeout=30
        ).json()
        if status["comment"]["status"] != "pending" or time.monotonic() > deadline:
            return status["comment"]["status"]


def run_once(base: str, site: str, run: int, n: int, concurrency: int) -> dict:
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=concurrency * 2))

    def submit(i):
        r = session.post(
            f"{base}/api/v1/comments", json=comment(site, f"/bench/submit-{run}", i), timeout=30
        )
        assert r.status_code == 202, r.text

    submit_rps, submit_lat = timed_load(submit, n, concurrency)

    # A thread of 50 published comments to read. The checks may hold the odd
    # ordinary comment, so post until 50 are published (bounded).
    thread = f"/bench/read-{run}"
    published, i = 0, 0
    while published < 50 and i < 80:
        created = session.post(f"{base}/api/v1/comments", json=comment(site, thread, i)).json()
        published += settle(session, base, created) == "published"
        i += 1
    page = session.get(f"{base}/api/v1/comments", params={"site": site, "thread": thread}).json()
    assert page["total"] == 50, page["total"]

    def read(_):
        r = session.get(
            f"{base}/api/v1/comments", params={"site": site, "thread": thread}, timeout=30
        )
        assert r.status_code == 200

    read_rps, read_lat = timed_load(read, n, concurrency)

    decide_lat = []
    for i in range(min(n, 40)):
        started = time.perf_counter()
        created = session.post(
            f"{base}/api/v1/comments", json=comment(site, f"/bench/decide-{run}", 1000 + i)
        ).json()
        cid, key = created["comment"]["id"], created["key"]
        status = session.get(
            f"{base}/api/v1/comments/{cid}", params={"wait": 10, "key": key}, timeout=30
        ).json()["comment"]["status"]
        assert status != "pending"
        decide_lat.append(time.perf_counter() - started)

    return {
        "submit_rps": submit_rps,
        "submit_p50_ms": percentile(submit_lat, 50) * 1000,
        "submit_p99_ms": percentile(submit_lat, 99) * 1000,
        "read50_rps": read_rps,
        "read50_p50_ms": percentile(read_lat, 50) * 1000,
        "read50_p99_ms": percentile(read_lat, 99) * 1000,
        "decide_p50_ms": percentile(decide_lat, 50) * 1000,
        "decide_p99_ms": percentile(decide_lat, 99) * 1000,
    }


def create_bench_site(env: dict, base: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "worker.cli_entry",
            "sites",
            "create",
            BENCH_SITE,
            "--origin",
            base,
            "--policy",
            json.dumps(BENCH_POLICY),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_stack(workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="parley-bench-")
    env = {
        **os.environ,
        "PARLEY_PORT": str(port),
        "PARLEY_DATA_DIR": data,
        "PARLEY_SUBMIT_RATE": "0",
        "PARLEY_DEMO_PORT": str(free_port()),
        "PARLEY_SECRET_KEY": os.environ.get("PARLEY_SECRET_KEY", os.urandom(24).hex()),
    }
    env.pop("PARLEY_DATABASE_URL", None) if "PARLEY_BENCH_KEEP_DB" not in env else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "worker.cli_entry", "run", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/readyz", timeout=1).status_code == 200:
                create_bench_site(env, base)
                return proc, base
        except requests.RequestException:
            pass
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    raise SystemExit("the stack did not become ready within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running stack (default: start one)")
    parser.add_argument(
        "--site",
        default=BENCH_SITE,
        help="site to post to; with --url create it first (see bench/README.md)",
    )
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--workers", type=int, default=1, help="worker processes of a started stack"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object as the last line"
    )
    args = parser.parse_args()

    proc = None
    base = args.url
    if base is None:
        proc, base = start_stack(args.workers)
    try:
        runs = [
            run_once(base.rstrip("/"), args.site, i, args.requests, args.concurrency)
            for i in range(args.repeats)
        ]
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(30)
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    m = medians
    print(
        f"Parley end-to-end, {args.repeats} runs x {args.requests} requests, "
        f"concurrency {args.concurrency}"
    )
    for label, prefix, rps in (
        ("submit", "submit", "submit_rps"),
        ("read (50)", "read50", "read50_rps"),
        ("decide", "decide", None),
    ):
        throughput = f"{m[rps]:8.1f} req/s" if rps else " " * 14
        print(
            f"  {label:<11} {throughput}   p50 {m[prefix + '_p50_ms']:7.1f} ms   "
            f"p99 {m[prefix + '_p99_ms']:7.1f} ms"
        )
    print(f"  ratio read/submit throughput: {medians['read50_rps'] / medians['submit_rps']:.2f}")
    if args.json:
        print(json.dumps({k: round(v, 2) for k, v in medians.items()}))


if __name__ == "__main__":
    main()
