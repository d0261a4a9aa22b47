"""Every decision the text checks make, to a file: ``python -m bench.decisions_snapshot OUT``.

A speed change to the checks must not change what they decide. This runs the
whole pipeline (``worker.pipeline.run_checks`` + ``worker.decision.decide``, as
``parley eval`` does: default policy, no database) over every development set in
``tests/checks/devset/`` and a few thousand rows of ``../shared/data`` (the
YouTube and SMS spam collections, Davidson, OLID), each row twice: as ``parley
eval`` sees it (markdown source only) and as the worker does (the rendered plain
text too, the site's origin, an author's website on every third row). Each line
holds the row, the status, the decision's reason and every check's score (6 places) and reason, so
two snapshots compare with ``diff``: take one before the change, one after.

Runs with ``PYTHONHASHSEED=0`` (it restarts itself so) for scores that repeat to the last
digit. Reads ``../shared/data`` (bench time only); ``--limit`` caps the rows per file.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from service.policy import Policy
from service.text import plain_text, render_markdown
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks

ROOT = Path(__file__).resolve().parent.parent
DEVSETS = ROOT / "tests" / "checks" / "devset"
DATA = ROOT.parent / "shared" / "data"


def _csv_column(path: Path, column: str, limit: int) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row, _ in zip(csv.DictReader(handle), range(limit), strict=False)]


def texts(limit: int) -> Iterator[tuple[str, str]]:
    """(source, text) for every row measured."""
    for path in sorted(DEVSETS.glob("*.csv")):
        for text in _csv_column(path, "text", 10**9):
            yield path.name, text
    for path in sorted((DATA / "spam").glob("Youtube*.csv")):
        for text in _csv_column(path, "CONTENT", limit):
            yield path.name, text
    sms = DATA / "spam" / "SMSSpamCollection.tsv"
    with sms.open(encoding="utf-8") as handle:
        for line, _ in zip(handle, range(limit), strict=False):
            yield sms.name, line.rstrip("\n").split("\t", 1)[1]
    toxicity = DATA / "toxicity"
    for name, column in (
        ("davidson_hate_offensive.csv", "tweet"),
        ("olid_test.csv", "tweet"),
        ("olid_train.csv", "tweet"),
    ):
        for text in _csv_column(toxicity / name, column, limit):
            yield name, text


def snapshot(limit: int, out) -> int:
    policy = Policy()
    ctx = CheckContext(session=None, policy=policy, settings=None, stateful=False)
    n = 0
    for i, (source, text) in enumerate(texts(limit)):
        served = CommentFacts(
            body=text,
            text=plain_text(render_markdown(text)),
            site_origins=("https://blog.example.org",),
            author_name=f"Reader {i}",
            author_url="https://reader.example.net/about" if i % 3 == 0 else None,
        )
        for variant, facts in (("eval", CommentFacts(body=text)), ("served", served)):
            results = run_checks(facts, ctx)
            decision = decide(results, policy)
            checks = " | ".join(f"{r.check}={r.score:.6f} {r.kind} {r.reason!r}" for r in results)
            out.write(
                f"{source}:{i}:{variant}\t{decision.status.value}\t{decision.reason!r}\t{checks}\n"
            )
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="file to write ('-' for standard output)")
    parser.add_argument("--limit", type=int, default=1500, help="rows per ../shared/data file")
    args = parser.parse_args()
    if os.environ.get("PYTHONHASHSEED") != "0":
        # A model sums a text's n-gram weights in set order, which string hashing
        # randomises per process: the last digit of a score would differ run to run.
        os.execve(
            sys.executable,
            [sys.executable, "-m", "bench.decisions_snapshot", *sys.argv[1:]],
            {**os.environ, "PYTHONHASHSEED": "0"},
        )
    if args.out == "-":
        n = snapshot(args.limit, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8") as out:
            n = snapshot(args.limit, out)
    print(f"{n} decisions written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
