"""Leave-one-video-out test of the spam checks: ``python -m worker.evaluate_lovo``.

For each of the four YouTube files: train the spam model on the other three
exactly as ``parley train spam`` does (operating points included, chosen on
those three only), then judge every comment of the held-out video with the
full set of checks, as ``parley eval spam`` does. Prints one line per video
and the mean; ``--json`` ends with one JSON line.

``--nested`` makes every choice without the held-out video too: for each
held-out video, each setting of the grid (``GRID``: C, the share of ham the
hold point may block, the SMS collection's weight) is tried by
leave-one-video-out on the other three videos only, through the whole
pipeline (the rules' decisions plus the model's hold point where the model
may hold on its own, ``learned.points_nowhere``); the setting with
the best mean F1 among those that block at most 1% of every inner video's
ham is trained on the three and judged on the fourth. It then makes the same
choice on all four videos: what ``SPAM_RECIPE`` in ``worker.train`` ships.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import click
import numpy as np

from service.policy import Policy
from worker.checks.learned import DEFAULT_MODEL_DIR, artifact_path, points_nowhere
from worker.evaluate import METRIC_KEYS, as_arrays, judge_texts
from worker.train import (
    SPAM_RECIPE,
    Dataset,
    Recipe,
    SpamData,
    binary_metrics,
    data_option,
    load_sms,
    load_youtube,
    save,
    threshold_for_fpr,
    train_spam,
)

# What the inner cross-validation chooses from.
GRID = {
    "C": (1.0, 2.0, 4.0),
    "hold_max_fpr": (0.005, 0.0075, 0.01),
    "extra_weight": (0.0, 0.05, 0.2),
}
MAX_HAM_BLOCKED = 0.01


def recipes(base: Recipe = SPAM_RECIPE) -> list[Recipe]:
    keys = list(GRID)
    return [
        replace(base, **dict(zip(keys, values, strict=True)))
        for values in itertools.product(*(GRID[k] for k in keys))
    ]


def rule_flags(data: Dataset) -> np.ndarray:
    """Which comments the checks other than the spam model hold or file (no model needed)."""
    policy = Policy(checks={n: {"enabled": False} for n in ("spam_model", "toxicity_model")})
    return np.array([v.flagged for v in judge_texts(data.texts, "spam", policy=policy)])


def model_may_hold(data: Dataset) -> np.ndarray:
    """Which comments the spam model may hold on its own (``learned.points_nowhere``)."""
    return np.array([not points_nowhere(t) for t in data.texts])


def inner_figures(
    prepared: SpamData,
    rules: np.ndarray,
    videos: list[str],
    grid: list[Recipe],
    may_hold: np.ndarray | None = None,
) -> dict[Recipe, dict[str, dict]]:
    """Each recipe's whole-pipeline figures per video, leave-one-video-out within ``videos``."""
    labels, groups = prepared.youtube.labels, prepared.groups
    if may_hold is None:
        may_hold = np.ones(len(labels), dtype=bool)
    # A model's scores depend on C and the SMS weight, not on the hold share.
    scores: dict[tuple, tuple[np.ndarray, dict[str, np.ndarray]]] = {}
    out = {}
    for recipe in grid:
        key = (recipe.C, recipe.extra_weight)
        if key not in scores:
            outer = prepared.leave_one_video_out(recipe, videos)
            inner = {
                v: prepared.leave_one_video_out(recipe, [u for u in videos if u != v])
                for v in videos
            }
            scores[key] = (outer, inner)
        outer, inner = scores[key]
        per_video = {}
        for v in videos:
            others = np.isin(groups, videos) & (groups != v)
            hold = threshold_for_fpr(inner[v][others], labels[others], recipe.hold_max_fpr)
            test = groups == v
            flagged = rules[test] | ((outer[test] >= hold) & may_hold[test])
            per_video[v] = binary_metrics(labels[test], flagged.astype(float), flagged)
        out[recipe] = per_video
    return out


def choose(figures: dict[Recipe, dict[str, dict]]) -> Recipe:
    """The best mean F1 among recipes blocking at most 1% of each video's ham (then least ham)."""

    def rank(recipe: Recipe):
        per_video = figures[recipe].values()
        within = all(m["false_positive_rate"] <= MAX_HAM_BLOCKED for m in per_video)
        f1 = round(float(np.mean([m["f1"] for m in per_video])), 4)
        ham = float(np.mean([m["false_positive_rate"] for m in per_video]))
        return (within, f1, -ham)

    return max(figures, key=rank)


def describe(recipe: Recipe) -> str:
    return f"C={recipe.C} hold_max_fpr={recipe.hold_max_fpr} sms_weight={recipe.extra_weight}"


def judge_video(
    data: Dataset,
    sms: Dataset | None,
    video: str,
    recipe: Recipe | None = None,
    explain: int = 0,
    log=click.echo,
) -> dict:
    """Train on the other videos (as ``parley train spam``), judge ``video`` with every check.

    ``explain``: log up to that many missed spam and blocked ham comments of
    ``video`` with the check that came nearest (or decided) and its reason.
    """
    groups = np.array(data.groups)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp)
        trained = train_spam(data.subset(groups != video), sms, lambda _msg: None, recipe)
        save(trained, trained.files, model_dir)
        # The other learned check runs too, as in the worker.
        shutil.copy(artifact_path("toxicity", DEFAULT_MODEL_DIR), model_dir)
        test = data.subset(groups == video)
        verdicts = judge_texts(test.texts, "spam", SimpleNamespace(model_dir=model_dir))
        scores, flagged = as_arrays(verdicts)
        if explain:
            log_misses(video, test, verdicts, explain, log)
        return binary_metrics(test.labels, scores, flagged)


def log_misses(video: str, test: Dataset, verdicts, limit: int, log) -> None:
    """The held-out video's missed spam and blocked ham, highest score first."""
    for label, flagged, what in ((1, False, "missed spam"), (0, True, "blocked ham")):
        rows = [
            (v, t)
            for v, t, y in zip(verdicts, test.texts, test.labels, strict=True)
            if y == label and v.flagged == flagged
        ]
        rows.sort(key=lambda r: -r[0].score)
        log(f"{video}: {len(rows)} {what}")
        for v, t in rows[:limit]:
            text = " ".join(t.split())[:160]
            log(f"  {v.score:.2f} {v.check}: {v.reason[:80]} | {text}")


def with_mean(folds: dict[str, dict]) -> dict[str, dict]:
    folds["mean"] = {
        k: round(float(np.mean([f[k] for f in folds.values()])), 4) for k in METRIC_KEYS
    }
    return folds


def leave_one_video_out(
    data_dir: Path, only: tuple[str, ...] = (), explain: int = 0
) -> dict[str, dict]:
    data = load_youtube(data_dir)
    sms = load_sms(data_dir) if SPAM_RECIPE.extra_weight > 0 else None
    return with_mean(
        {
            v: judge_video(data, sms, v, explain=explain)
            for v in sorted(set(data.groups))
            if wanted(v, only)
        }
    )


def wanted(video: str, only: tuple[str, ...]) -> bool:
    return not only or any(o.lower() in video.lower() for o in only)


def nested(
    data_dir: Path,
    log=click.echo,
    only: tuple[str, ...] = (),
    ships: bool = True,
    explain: int = 0,
) -> tuple[dict[str, dict], dict[str, str]]:
    """``only``: the held-out videos to run (all if empty); ``ships``: also choose on all four."""
    data, sms = load_youtube(data_dir), load_sms(data_dir)
    grid = recipes()
    prepared = SpamData(data, sms, SPAM_RECIPE)
    rules = rule_flags(data)
    may_hold = model_may_hold(data)
    videos = sorted(set(data.groups))
    folds, chosen = {}, {}
    for video in [v for v in videos if wanted(v, only)]:
        others = [v for v in videos if v != video]
        recipe = choose(inner_figures(prepared, rules, others, grid, may_hold))
        chosen[video] = describe(recipe)
        log(f"{video}: chose {chosen[video]} on the other three videos")
        folds[video] = judge_video(data, sms, video, recipe, explain, log)
    if ships:
        chosen["all four (ships)"] = describe(
            choose(inner_figures(prepared, rules, videos, grid, may_hold))
        )
    return (with_mean(folds) if folds else folds), chosen


@click.command()
@data_option
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--nested",
    "is_nested",
    is_flag=True,
    help="Choose C, the hold point and the SMS weight without the held-out video.",
)
@click.option(
    "--only",
    multiple=True,
    help="Run only these held-out videos (part of a name, e.g. Psy); "
    "several processes can share the work.",
)
@click.option(
    "--explain",
    default=0,
    show_default=True,
    help="Print up to N missed spam and blocked ham comments of each held-out video.",
)
@click.option(
    "--ships/--no-ships",
    default=True,
    help="With --nested: also make the choice on all four videos (what ships).",
)
def main(
    data_dir: Path,
    as_json: bool,
    is_nested: bool,
    only: tuple[str, ...],
    ships: bool,
    explain: int,
) -> None:
    if is_nested:
        folds, chosen = nested(data_dir, only=only, ships=ships, explain=explain)
        for what, recipe in chosen.items():
            click.echo(f"{what:>20}: {recipe}")
    else:
        folds = leave_one_video_out(data_dir, only, explain)
    for video, m in folds.items():
        click.echo(f"{video:>20}: " + "  ".join(f"{k}={m[k]}" for k in METRIC_KEYS))
    if as_json:
        click.echo(json.dumps(folds))


if __name__ == "__main__":
    main()
