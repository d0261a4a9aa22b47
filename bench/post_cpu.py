"""CPU per submit and per status wait, in-process: ``python -m bench.post_cpu [--requests 400]``.

The figure that moves least on a shared box: the CPU time of this one process (``time.
process_time``) per request through the Flask test client, one request at a time, on a
throw-away SQLite database and embedded Redis (``bench.local_stack``), with the site ``bench``
(the flood check off). Measured, after 50 requests of warm-up each:

- ``post_new_thread``: ``POST /api/v1/comments``, each to a thread of its own (it creates it:
  what the side-by-side harness's POST phase does, 1,000 fresh threads a run);
- ``post_same_thread``: the same, all to one existing thread;
- ``status_wait``: ``GET /api/v1/comments/{id}?wait=10&key=…`` of a comment already decided
  (the author's wait once the worker decided: one status read, then the answer).

It includes the test client's own work (building the WSGI environ) and SQLite's commit, not
gunicorn's. ``--profile`` prints cProfile's top functions of each measurement. Loopback only,
bounded by ``--requests``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.local_stack import BENCH_ORIGIN, FLOOD_OFF, local_stack
from service.sites import create_site

SECRET = "bench-post-cpu-secret-key-0123456789"


def comment(i: int, thread: str) -> dict:
    return {
        "site": "bench",
        "thread": thread,
        "body": f"Benchmark comment {i} from a reader. A *short* paragraph with some **markdown**, "
        f"a link to https://example.com/article/{i} and enough words to look like a real "
        "reader replying to the article above. Thanks for writing it!",
        "author": {"name": f"Reader {i}", "email": f"reader{i}@example.com"},
        "title": "Bench thread",
    }


def timed(label: str, calls, profile: bool) -> float:
    prof = cProfile.Profile() if profile else None
    started = time.process_time()
    if prof:
        prof.enable()
    for call in calls:
        call()
    if prof:
        prof.disable()
        print(f"--- {label}")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    return round(1000 * (time.process_time() - started) / max(1, len(calls)), 2)


def measure(n: int, directory: Path, profile: bool) -> dict:
    stack = local_stack(directory, SECRET)
    try:
        rt, client = stack.rt, stack.app.test_client()
        with rt.session() as session:
            create_site(session, "bench", "Bench", [BENCH_ORIGIN], json.loads(FLOOD_OFF))
            session.commit()
        answers: list[dict] = []

        def post(i: int, thread: str):
            def call():
                response = client.post(
                    "/api/v1/comments",
                    json=comment(i, thread),
                    headers={"Origin": BENCH_ORIGIN},
                    environ_base={"REMOTE_ADDR": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"},
                )
                assert response.status_code == 202, response.get_data()
                answers.append(response.get_json())

            return call

        def wait(comment_id: int, key: str):
            def call():
                response = client.get(
                    f"/api/v1/comments/{comment_id}?wait=10&key={key}",
                    environ_base={"REMOTE_ADDR": "10.250.0.1"},
                )
                assert response.status_code == 200, response.get_data()

            return call

        out = {}
        for call in [post(100_000 + i, f"/warm/{i}") for i in range(50)]:
            call()
        new = [post(i, f"/bench/new-{i}") for i in range(n)]
        out["post_new_thread_cpu_ms"] = timed("post_new_thread", new, profile)
        same = [post(n + i, "/bench/same") for i in range(n)]
        out["post_same_thread_cpu_ms"] = timed("post_same_thread", same, profile)
        with rt.session() as session:
            session.execute(sa.text("UPDATE comments SET status = 'published'"))
            session.commit()
        waits = [wait(a["comment"]["id"], a["key"]) for a in answers[-n:]]
        for call in waits[:50]:
            call()
        out["status_wait_cpu_ms"] = timed("status_wait", waits, profile)
        return out
    finally:
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-post-cpu-"))
    try:
        print(json.dumps(measure(args.requests, directory, args.profile)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
