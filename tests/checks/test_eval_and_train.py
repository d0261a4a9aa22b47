"""``parley eval`` and ``parley train``: the command contracts."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import joblib
import numpy as np
from click.testing import CliRunner

from worker.cli import cli
from worker.train import SMS_FILE, YOUTUBE_FILES

# The labeled data lives beside the project (../shared/data); PARLEY_SHARED_DATA points elsewhere.
SHARED_DATA = Path(
    os.environ.get("PARLEY_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
)
KEYS = {"precision", "recall", "f1", "roc_auc", "false_positive_rate", "n"}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def parley_eval(task: str, data: Path, text: str, label: str, *extra: str):
    args = ["eval", task, "--input", str(data), "--text-column", text, "--label-column", label]
    return CliRunner().invoke(cli, [*args, *extra])


def test_eval_spam_prints_metrics_and_ends_with_one_json_line(tmp_path):
    data = write_csv(
        tmp_path / "yt.csv",
        ["COMMENT_ID", "AUTHOR", "DATE", "CONTENT", "CLASS"],
        [
            ["a", "x", "", "Check out my channel!! subscribe http://bit.ly/abc\ufeff", "1"],
            ["b", "y", "", "free gift cards at giftz dot com click now", "1"],
            ["c", "z", "2015-01-01", "This song never gets old\ufeff", "0"],
            ["d", "w", "2015-01-01", "Love the chorus &amp; the video <br />", "0"],
        ],
    )
    result = parley_eval("spam", data, "CONTENT", "CLASS", "--json")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    metrics = json.loads(lines[-1])
    assert set(metrics) == KEYS
    assert metrics["n"] == 4 and metrics["false_positive_rate"] == 0.0 and metrics["recall"] == 1.0
    assert any(line.strip().startswith("roc_auc") for line in lines[:-1])


def test_eval_toxicity_with_several_positive_labels(tmp_path):
    data = write_csv(
        tmp_path / "t.csv",
        ["", "count", "class", "tweet"],
        [
            ["1", "3", "0", "shut up you stupid bitch nobody likes you"],
            ["2", "3", "1", "this is fucking trash, you idiot"],
            ["3", "3", "2", "Looking forward to the game tonight with the family"],
        ],
    )
    result = parley_eval("toxicity", data, "tweet", "class", "--positive", "0,1", "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output.strip().splitlines()[-1])
    assert metrics["n"] == 3 and metrics["recall"] == 1.0 and metrics["false_positive_rate"] == 0.0


def test_eval_with_a_wrong_column_is_a_usage_error(tmp_path):
    data = write_csv(tmp_path / "x.csv", ["text", "label"], [["hi", "0"]])
    result = parley_eval("spam", data, "CONTENT", "CLASS")
    assert result.exit_code == 2 and "needs columns" in result.output


def blog_csv(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "blog.csv",
        ["text", "label", "kind"],
        [
            ["shut up you stupid bitch nobody likes you", "1", "insult"],
            ["Thanks, this saved me an afternoon.", "1", "insult"],  # labeled abuse: a miss
            ["Looking forward to the game tonight with the family", "0", "civil"],
            ["you are a fucking idiot and a disgrace", "0", "civil"],  # labeled civil: flagged
            ["Great write-up, the second chart is clear.", "0", ""],
        ],
    )


def test_eval_by_prints_the_flagged_rate_per_value_before_the_json_line(tmp_path):
    result = parley_eval("toxicity", blog_csv(tmp_path), "text", "label", "--by", "kind", "--json")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert set(json.loads(lines[-1])) == KEYS  # the contract: still exactly the metrics
    table = {line.split()[0]: line.split()[1:] for line in lines[:-1] if line.strip()}
    assert table["kind"] == ["n", "positive", "flagged", "rate"]
    assert table["insult"] == ["2", "2", "1", "50.0%"]
    assert table["civil"] == ["2", "0", "1", "50.0%"]
    assert table["(empty)"] == ["1", "0", "0", "0.0%"]


def test_eval_by_an_unknown_column_is_a_usage_error(tmp_path):
    result = parley_eval("toxicity", blog_csv(tmp_path), "text", "label", "--by", "topic")
    assert result.exit_code == 2 and "'topic'" in result.output


def test_eval_explain_names_the_worst_misses_each_way_with_check_and_reason(tmp_path):
    result = parley_eval(
        "toxicity", blog_csv(tmp_path), "text", "label", "--explain", "1", "--json"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert set(json.loads(lines[-1])) == KEYS
    fn = lines.index(next(line for line in lines if line.startswith("false negatives (1;")))
    fp = lines.index(next(line for line in lines if line.startswith("false positives (1;")))
    # Each miss: its score, the check that decided (or came nearest) and its reason, then the text.
    assert "Thanks, this saved me an afternoon." in lines[fn + 2]
    assert "you are a fucking idiot and a disgrace" in lines[fp + 2]
    for line in (lines[fn + 1], lines[fp + 1]):
        score, check_and_reason = line.split(maxsplit=1)
        assert 0.0 <= float(score) <= 1.0 and ": " in check_and_reason
    assert float(lines[fn + 1].split()[0]) < 0.5 <= float(lines[fp + 1].split()[0])


def test_train_is_reproducible_and_writes_metadata(tmp_path):
    # A small slice of the real data keeps the test quick.
    (tmp_path / "spam").mkdir()
    for name in YOUTUBE_FILES:
        with open(SHARED_DATA / name, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        write_csv(tmp_path / name, rows[0], rows[1:61] + rows[-60:])
    sms = (SHARED_DATA / SMS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / SMS_FILE).write_text("".join(sms[:300]), encoding="utf-8")
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = CliRunner().invoke(
            cli, ["train", "spam", "--data", str(tmp_path), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        outputs.append(out)
    first, second = (joblib.load(out / "spam.joblib") for out in outputs)
    assert np.array_equal(first["indices"], second["indices"])
    assert np.array_equal(first["weights"], second["weights"])
    meta = json.loads((outputs[0] / "spam.json").read_text())
    assert set(meta["metrics"]["leave_one_video_out_model_only"]) == {
        Path(n).stem for n in YOUTUBE_FILES
    }
    # The SMS collection is extra spam data at the weight nested cross-validation chose.
    assert meta["data"].keys() == {Path(n).name for n in (*YOUTUBE_FILES, SMS_FILE)}
    assert meta["classifier"]["extra_weight"] > 0
