"""``parley eval spam|toxicity``: score the worker's checks on a labeled CSV.

Each row is treated as a new guest comment from a first-time author: every
check the worker runs is run (``worker.pipeline.run_checks``) with the default
site policy and no database (``CheckContext(stateful=False)``, so duplicate,
flood and trust checks answer neutrally). The results of the task's kind
(``spam`` checks for spam, ``abuse`` checks for toxicity) plus the trust check
go through ``worker.decision.decide``; a row counts as flagged when the
decision is not ``published`` (held or spam: a reader would not see it). Its
score, for ROC AUC, is the highest score among those checks, and the check
that gave it is the one ``--explain`` names: the one that decided, or for a
published row the one that came nearest to holding it.

``--by COLUMN`` and ``--explain N`` print their tables before the metrics; the
last line stays exactly the metrics' JSON, so scripts reading it need no change.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np

from service.policy import Policy
from service.status import Status
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks
from worker.train import binary_metrics, read_labeled_csv

TASK_KINDS = {"spam": {"spam"}, "toxicity": {"abuse"}}
METRIC_KEYS = ("precision", "recall", "f1", "roc_auc", "false_positive_rate", "n")


@dataclass(frozen=True)
class Verdict:
    """How the worker would judge one text, and the check that had the last word."""

    score: float
    flagged: bool
    check: str
    reason: str


def judge_texts(
    texts: Sequence[str], task: str, settings: Any = None, policy: Policy | None = None
) -> list[Verdict]:
    """A ``Verdict`` for each text, as the worker would judge a fresh guest."""
    policy = policy or Policy()
    ctx = CheckContext(session=None, policy=policy, settings=settings, stateful=False)
    kinds = TASK_KINDS[task] | {"trust"}
    verdicts = []
    for text in texts:
        results = [r for r in run_checks(CommentFacts(body=text), ctx) if r.kind in kinds]
        suspicious = [r for r in results if r.kind != "trust"]
        top = max(suspicious, key=lambda r: r.score, default=None)
        verdicts.append(
            Verdict(
                score=top.score if top else 0.0,
                flagged=decide(results, policy).status != Status.PUBLISHED,
                check=top.check if top else "-",
                reason=top.reason if top else "no check ran",
            )
        )
    return verdicts


def score_texts(
    texts: Sequence[str], task: str, settings: Any = None, policy: Policy | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, flagged) for each text, as the worker would judge a fresh guest."""
    return as_arrays(judge_texts(texts, task, settings, policy))


def as_arrays(verdicts: Sequence[Verdict]) -> tuple[np.ndarray, np.ndarray]:
    """(scores, flagged), the shape ``binary_metrics`` takes."""
    scores = np.array([v.score for v in verdicts], dtype=float)
    return scores, np.array([v.flagged for v in verdicts], dtype=bool)


@click.command("eval", help="Measure the spam or toxicity checks on a labeled CSV file.")
@click.argument("task", type=click.Choice(sorted(TASK_KINDS)))
@click.option(
    "--input",
    "input_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--text-column", required=True)
@click.option("--label-column", required=True)
@click.option(
    "--positive",
    default="1",
    show_default=True,
    help="Comma-separated label values that count as positive.",
)
@click.option("--json", "as_json", is_flag=True, help="End with one JSON line of the metrics.")
@click.option("--by", "by_column", help="Also print the flagged rate per value of this column.")
@click.option(
    "--explain",
    type=click.IntRange(min=0),
    default=0,
    help="Also print the N worst misses each way, with the check and reason that decided.",
)
def eval_command(
    task: str,
    input_path: Path,
    text_column: str,
    label_column: str,
    positive: str,
    as_json: bool,
    by_column: str | None,
    explain: int,
) -> None:
    texts, labels, rows = read_labeled_csv(
        input_path, text_column, label_column, positive.split(",")
    )
    if not texts:
        raise click.UsageError(f"{input_path}: no rows")
    if by_column is not None and by_column not in rows[0]:
        raise click.UsageError(
            f"{input_path}: no column {by_column!r} for --by; has {list(rows[0])}"
        )
    verdicts = judge_texts(texts, task)
    scores, flagged = as_arrays(verdicts)
    if by_column is not None:
        echo_rates_by(by_column, [r[by_column] or "" for r in rows], labels, flagged)
    if explain:
        echo_worst_misses(texts, labels, verdicts, explain)
    metrics = binary_metrics(labels, scores, flagged)
    for key in METRIC_KEYS:
        click.echo(f"{key:>20}: {metrics[key]}")
    if as_json:
        click.echo(json.dumps({k: _plain(metrics[k]) for k in METRIC_KEYS}))


def echo_rates_by(
    column: str, values: Sequence[str], labels: np.ndarray, flagged: np.ndarray
) -> None:
    """One line per value of ``column``: rows, positives, and the share of them flagged."""
    rows, positives, hits = Counter(values), Counter(), Counter()
    for value, label, flag in zip(values, labels, flagged, strict=True):
        positives[value] += int(label)
        hits[value] += int(flag)
    shown = {value: value or "(empty)" for value in rows}
    width = max(len(column), *(len(v) for v in shown.values()))
    click.echo(f"{column:<{width}}  {'n':>6}  {'positive':>8}  {'flagged':>7}  {'rate':>6}")
    for value in sorted(rows):
        rate = hits[value] / rows[value]
        click.echo(
            f"{shown[value]:<{width}}  {rows[value]:>6}  {positives[value]:>8}"
            f"  {hits[value]:>7}  {rate:>6.1%}"
        )


def echo_worst_misses(
    texts: Sequence[str], labels: np.ndarray, verdicts: Sequence[Verdict], n: int
) -> None:
    """The ``n`` missed positives scored lowest and the ``n`` flagged negatives scored highest."""
    rows = list(zip(texts, labels, verdicts, strict=True))
    missed = sorted((r for r in rows if r[1] and not r[2].flagged), key=lambda r: r[2].score)
    wrongly = sorted((r for r in rows if not r[1] and r[2].flagged), key=lambda r: -r[2].score)
    for title, misses in (("false negatives", missed), ("false positives", wrongly)):
        click.echo(f"{title} ({len(misses)}; the {min(n, len(misses))} worst):")
        for text, _, verdict in misses[:n]:
            shown = " ".join(text.split())
            shown = shown if len(shown) <= 100 else shown[:99] + "…"
            click.echo(f"  {verdict.score:.3f}  {verdict.check}: {verdict.reason}")
            click.echo(f"         {shown!r}")


def _plain(value: float) -> float | None:
    """JSON has no NaN (ROC AUC of a one-class file): null instead."""
    return None if isinstance(value, float) and math.isnan(value) else value
