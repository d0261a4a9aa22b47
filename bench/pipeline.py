"""In-process benchmark of the moderation pipeline: ``python -m bench.pipeline``.

Builds a throw-away SQLite database and an embedded Redis, submits ``--comments``
varied, ordinary comments through the real API (Flask test client; they queue
as RQ jobs) to a site with the default policy (every check on), each from its
own reader (name, email, address), then measures, in this one process:

- **checks**: every check the worker runs plus the decision, per comment, with
  the database session the worker uses (history checks query it); median and
  p99 in milliseconds over all comments (and the median CPU time of the
  thread, which a machine busy with other work inflates least), models loaded, each comment's text
  seen for the first time, while the per-process vocabulary caches (words and
  n-grams already cut and hashed, ``worker.text.features``) hold what earlier
  comments brought, as in a worker that has run for a while; the median again
  with those caches emptied before every comment (a fresh process, or a
  work-horse forked from a parent that only warmed up); and with the stateful
  checks off (``CheckContext(stateful=False)``, what ``parley eval`` runs): the
  text rules and the two models alone;
- **worker**: ``parley worker``'s worker (``worker.loop.BatchingWorker``; with
  ``--worker simple``, RQ's plain SimpleWorker that ``parley worker --simple``
  runs) draining the queued jobs (load row, run checks, store results,
  compare-and-set the status, announce), in comments per second for one process.

``--each-check`` adds the median of every check timed alone; ``--passes N`` runs
the warm pass N times and reports each pass's CPU median (on a shared box, compare
trees by these, run at the same time); ``--json`` ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.run import BENCH_SITE, comment, percentile
from service import caches, create_app
from service.cli import upgrade_database
from service.embedded import start_redis
from service.enqueue import SERIALIZER
from service.models import Comment, Site
from service.settings import Settings
from service.sites import create_site, policy_of
from worker import runtime as worker_runtime
from worker.checks.base import CheckContext
from worker.cli import SimpleCheckingWorker, warm_up
from worker.decision import decide
from worker.loop import BatchingWorker
from worker.pipeline import enabled_checks, facts_for, run_checks

ORIGIN = "http://bench.example.test"


def measure(
    n: int, directory: Path, each_check: bool = False, kind: str = "batch", passes: int = 1
) -> dict:
    redis_server = start_redis(directory / "redis", persist=False)
    database_url = f"sqlite:///{directory / 'bench.db'}"
    upgrade_database(database_url)
    settings = Settings.for_tests(
        database_url=database_url, redis_url=redis_server.url, web={"submit_rate_per_minute": 0}
    )
    app = create_app(settings)
    rt = app.extensions["parley"]
    worker_runtime.install(rt)
    try:
        with rt.session() as session:
            # The default policy: every check on, flood included.
            create_site(session, BENCH_SITE, "Bench", [ORIGIN], None)
            session.commit()
        client = app.test_client()
        ids = []
        for i in range(n):
            # Each from its own reader (name, email and address), as on a real site.
            response = client.post(
                "/api/v1/comments",
                json=comment(BENCH_SITE, f"/p/{i % 10}", i),
                environ_base={"REMOTE_ADDR": f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"},
            )
            ids.append(response.get_json()["comment"]["id"])
        warm_up()

        with rt.session() as session:
            comments = []
            for cid in ids:
                row = session.get(Comment, cid)
                site = session.get(Site, row.thread.site_id)
                comments.append((facts_for(row, site), policy_of(site)))
            # One pass after the other: emptying the caches must not leak into the warm pass.
            cpu_times: list[float] = []
            per_comment = time_pass(session, settings, comments, cpu=cpu_times)
            # More warm passes (--passes): each one's CPU median, for a box whose load varies.
            pass_cpu = [statistics.median(cpu_times)]
            for _ in range(passes - 1):
                more: list[float] = []
                time_pass(session, settings, comments, cpu=more)
                pass_cpu.append(statistics.median(more))
            cold = time_pass(session, settings, comments, cold_vocabulary=True)
            text_only = time_pass(session, settings, comments, stateful=False)
            per_check = time_each_check(session, settings, comments) if each_check else {}

        worker = _timed(BatchingWorker if kind == "batch" else SimpleCheckingWorker)(
            [rt.queue], connection=rt.redis, serializer=SERIALIZER
        )
        start, cpu = time.perf_counter(), time.process_time()
        worker.work(burst=True, with_scheduler=False, logging_level="WARNING")
        # Until the last job ended: RQ's teardown (a second's wait for its pubsub
        # thread) is not work.
        elapsed, cpu = worker.done_at - start, worker.done_cpu - cpu
        with rt.session() as session:
            decided = session.query(Comment).filter(Comment.status != "pending").count()
    finally:
        worker_runtime.install(None)
        rt.close()
        redis_server.stop()
    return {
        "comments": n,
        "checks_median_ms": round(statistics.median(per_comment), 3),
        "checks_p99_ms": round(percentile(per_comment, 99), 3),
        "checks_cpu_median_ms": round(statistics.median(cpu_times), 3),
        "checks_cpu_median_per_pass_ms": [round(t, 3) for t in pass_cpu],
        "checks_cold_vocabulary_median_ms": round(statistics.median(cold), 3),
        "text_checks_median_ms": round(statistics.median(text_only), 3),
        "worker": kind,
        "worker_comments_per_s": round(decided / elapsed, 1),
        # CPU of this process (the worker's and embedded Redis's is not counted): what a
        # noisy shared machine changes least.
        "worker_cpu_ms_per_comment": round(cpu * 1000 / max(decided, 1), 2),
        "decided": decided,
        "per_check_median_ms": per_check,
    }


def _timed(cls):
    class Timed(cls):
        done_at = done_cpu = 0.0

        def execute_job(self, job, queue):
            super().execute_job(job, queue)
            self.done_at, self.done_cpu = time.perf_counter(), time.process_time()

    return Timed


def time_pass(
    session, settings, comments, stateful: bool = True, cold_vocabulary: bool = False, cpu=None
) -> list[float]:
    """Milliseconds of checks + decision for each comment (wall clock); ``cpu``, a list,
    gets each one's CPU milliseconds of this thread (what a busy machine changes least)."""
    times = []
    for facts, policy in comments:
        ctx = CheckContext(session=session, policy=policy, settings=settings, stateful=stateful)
        caches.forget("texts")  # each comment's text is seen for the first time, as in the worker
        if cold_vocabulary:
            caches.forget("vocabulary")  # ... and no word or n-gram of it either,
            caches.forget("comments")  # nor any earlier comment's shingles
        start, started_cpu = time.perf_counter(), time.thread_time()
        decide(run_checks(facts, ctx), policy)
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.thread_time() - started_cpu) * 1000)
    return times


def time_each_check(session, settings, comments) -> dict[str, float]:
    """Median milliseconds of each check alone (a breakdown of ``time_pass``)."""
    times: dict[str, list[float]] = {}
    for facts, policy in comments:
        ctx = CheckContext(session=session, policy=policy, settings=settings)
        caches.forget("texts")
        for check in enabled_checks(policy):
            start = time.perf_counter()
            check(facts, ctx)
            times.setdefault(check.name, []).append((time.perf_counter() - start) * 1000)
    return {name: round(statistics.median(t), 3) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--each-check", action="store_true", help="also time every check alone (median ms)"
    )
    parser.add_argument(
        "--worker",
        choices=["batch", "simple"],
        default="batch",
        help="parley worker's batching worker, or --simple's plain SimpleWorker",
    )
    parser.add_argument(
        "--passes", type=int, default=1, help="warm passes, each one's CPU median reported"
    )
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="parley-bench-pipeline-"))
    try:
        result = measure(args.comments, directory, args.each_check, args.worker, args.passes)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(
        f"checks + decision per comment: median {result['checks_median_ms']} ms, "
        f"p99 {result['checks_p99_ms']} ms ({result['comments']} comments); "
        f"CPU median {result['checks_cpu_median_ms']} ms"
    )
    if args.passes > 1:
        print(f"  CPU median of each warm pass: {result['checks_cpu_median_per_pass_ms']} ms")
    print(
        f"  with empty vocabulary caches (a fresh process, or a forked work-horse): median "
        f"{result['checks_cold_vocabulary_median_ms']} ms"
    )
    print(
        f"  of which text checks alone (no database, as parley eval): median "
        f"{result['text_checks_median_ms']} ms"
    )
    print(
        f"worker (one process, {'parley worker' if args.worker == 'batch' else '--simple'}): "
        f"{result['worker_comments_per_s']} comments/s ({result['decided']} decided), "
        f"{result['worker_cpu_ms_per_comment']} ms of worker CPU per comment"
    )
    for name, ms in result["per_check_median_ms"].items():
        print(f"  {name:<18} {ms:6.3f} ms")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
