"""``parley eval spam|toxicity``: score the worker's checks on a labeled CSV.

Each row is treated as a new guest comment from a first-time author: every
check the worker runs is run (``worker.pipeline.run_checks``) with the default
site policy and no database (``CheckContext(stateful=False)``, so duplicate,
flood and trust checks answer neutrally). The results of the task's kind
(``spam`` checks for spam, ``abuse`` checks for toxicity) plus the trust check
go through ``worker.decision.decide``; a row counts as flagged when the
decision is not ``published`` (held or spam: a reader would not see it). Its
score, for ROC AUC, is the highest score among those checks.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
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


def score_texts(
    texts: Sequence[str], task: str, settings: Any = None, policy: Policy | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, flagged) for each text, as the worker would judge a fresh guest."""
    policy = policy or Policy()
    ctx = CheckContext(session=None, policy=policy, settings=settings, stateful=False)
    kinds = TASK_KINDS[task] | {"trust"}
    scores = np.zeros(len(texts))
    flagged = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        results = [r for r in run_checks(CommentFacts(body=text), ctx) if r.kind in kinds]
        scores[i] = max((r.score for r in results if r.kind != "trust"), default=0.0)
        flagged[i] = decide(results, policy).status != Status.PUBLISHED
    return scores, flagged


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
def eval_command(
    task: str, input_path: Path, text_column: str, label_column: str, positive: str, as_json: bool
) -> None:
    texts, labels, _ = read_labeled_csv(input_path, text_column, label_column, positive.split(","))
    if not texts:
        raise click.UsageError(f"{input_path}: no rows")
    scores, flagged = score_texts(texts, task)
    metrics = binary_metrics(labels, scores, flagged)
    for key in METRIC_KEYS:
        click.echo(f"{key:>20}: {metrics[key]}")
    if as_json:
        click.echo(json.dumps({k: _plain(metrics[k]) for k in METRIC_KEYS}))


def _plain(value: float) -> float | None:
    """JSON has no NaN (ROC AUC of a one-class file): null instead."""
    return None if isinstance(value, float) and math.isnan(value) else value
