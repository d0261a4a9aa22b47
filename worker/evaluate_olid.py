"""OLID test figures of the abuse checks: ``python -m worker.evaluate_olid``.

Judges every tweet of ``toxicity/olid_test.csv`` (the official OffensEval 2019
test set, never trained on) as ``parley eval toxicity`` does: the whole
pipeline, a new guest's comment, flagged when not published. Each tweet is
first given back the form its writer typed (``worker.train.normalise_olid``:
the export's doubled quotes undone, the ``URL`` placeholder dropped where a
link would be cut), as the model was trained.

Prints, for the whole pipeline and for the toxicity model alone at its hold
point: macro-F1 of subtask A (offensive or not; flagged counts as offensive),
the recall of targeted insults and threats (``TIN``) and the share flagged of
untargeted swearing (``UNT``) and of inoffensive tweets (``NOT``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import numpy as np

from worker.checks.learned import get_model
from worker.evaluate import judge_texts
from worker.text.model_text import model_text
from worker.train import OLID_TEST_FILE, data_option, load_olid


def figures(kinds: np.ndarray, flagged: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import f1_score

    offensive = kinds != "NOT"
    return {
        "macro_f1_subtask_a": round(float(f1_score(offensive, flagged, average="macro")), 4),
        "tin_recall": round(float(flagged[kinds == "TIN"].mean()), 4),
        "unt_flagged": round(float(flagged[kinds == "UNT"].mean()), 4),
        "not_flagged": round(float(flagged[kinds == "NOT"].mean()), 4),
        "n": int(len(kinds)),
    }


def olid_test(data_dir: Path) -> dict[str, dict]:
    data, kinds = load_olid(data_dir, OLID_TEST_FILE)
    flagged = np.array([v.flagged for v in judge_texts(data.texts, "toxicity")])
    model = get_model("toxicity")
    alone = model.probabilities([model_text(t) for t in data.texts]) >= model.hold_prob
    return {"pipeline": figures(kinds, flagged), "toxicity_model_alone": figures(kinds, alone)}


@click.command()
@data_option
@click.option("--json", "as_json", is_flag=True)
def main(data_dir: Path, as_json: bool) -> None:
    result = olid_test(data_dir)
    for what, m in result.items():
        click.echo(f"{what:>22}: " + "  ".join(f"{k}={v}" for k, v in m.items()))
    if as_json:
        click.echo(json.dumps(result))


if __name__ == "__main__":
    main()
