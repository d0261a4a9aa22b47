"""Leave-one-video-out test of the spam checks: ``python -m worker.evaluate_lovo``.

For each of the four YouTube files: train the spam model on the other three
exactly as ``parley train spam`` does (operating points included, chosen on
those three only), then judge every comment of the held-out video with the
full set of checks, as ``parley eval spam`` does. Prints one line per video
and the mean; ``--json`` ends with one JSON line.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import click
import numpy as np

from worker.checks.learned import DEFAULT_MODEL_DIR, artifact_path
from worker.evaluate import METRIC_KEYS, score_texts
from worker.train import binary_metrics, data_option, load_youtube, save, train_spam


def leave_one_video_out(data_dir: Path) -> dict[str, dict]:
    data = load_youtube(data_dir)
    groups = np.array(data.groups)
    folds: dict[str, dict] = {}
    for video in sorted(set(data.groups)):
        with tempfile.TemporaryDirectory() as tmp:
            model_dir = Path(tmp)
            trained = train_spam(data.subset(groups != video), log=lambda _msg: None)
            save(trained, data.files, model_dir)
            # The other learned check runs too, as in the worker.
            shutil.copy(artifact_path("toxicity", DEFAULT_MODEL_DIR), model_dir)
            test = data.subset(groups == video)
            scores, flagged = score_texts(test.texts, "spam", SimpleNamespace(model_dir=model_dir))
            folds[video] = binary_metrics(test.labels, scores, flagged)
    folds["mean"] = {
        k: round(float(np.mean([f[k] for f in folds.values()])), 4) for k in METRIC_KEYS
    }
    return folds


@click.command()
@data_option
@click.option("--json", "as_json", is_flag=True)
def main(data_dir: Path, as_json: bool) -> None:
    folds = leave_one_video_out(data_dir)
    for video, m in folds.items():
        click.echo(f"{video:>20}: " + "  ".join(f"{k}={m[k]}" for k in METRIC_KEYS))
    if as_json:
        click.echo(json.dumps(folds))


if __name__ == "__main__":
    main()
