"""Scoring a comment needs neither scikit-learn nor SciPy, and scores as training does.

The worker hashes n-grams with mmh3's murmurhash3_32 and tokenises with the word
vectorizer's pattern (``worker.text.murmur``, ``worker.text.features``), and the moderator
labels' memory keeps its rows without SciPy (``worker.checks.labels.SparseRows``), so a
worker process stays ~90 MB smaller. These tests hold the copies equal to scikit-learn's
and SciPy's, and the one-comment scores equal to the batch path's on the dev sets.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32 as sklearn_murmur

from service import caches
from tests.support.processes import modules_imported_by
from worker.artifact_reader import ArtifactUnreadable, read_joblib_xz
from worker.checks import learned
from worker.checks.labels import SparseRows
from worker.text.model_text import model_text
from worker.text.murmur import murmurhash3_32

DEVSET = Path(__file__).parent / "devset"
ROOT = Path(__file__).resolve().parents[2]


def test_murmur_equals_scikit_learn():
    rng = random.Random(17)
    alphabet = "abcxyz ABC019 -_'.,é中😀\t"
    strings = ["", " ", "a", "ab", "abc", "abcd", "abcde", " ab ", "中文", "😀😀"]
    strings += ["".join(rng.choices(alphabet, k=rng.randint(0, 14))) for _ in range(20_000)]
    for s in strings:
        for seed in (0, 1, 2**31 + 5):
            assert murmurhash3_32(s, seed=seed) == sklearn_murmur(s, seed=seed), (s, seed)


@pytest.mark.parametrize("name", ["spam", "toxicity"])
def test_word_terms_equal_the_vectorizers_analyzer(name):
    spec = learned.get_model(name).spec
    analyzer = spec._vectorizers[0].build_analyzer()
    for text in _devset_texts()[:200] + ["", "a", "a b", "x_y 12 ｆｕｌｌ"]:
        text = model_text(text, spec.spam_cues)
        assert spec.word_terms(text) == analyzer(text)


def _devset_texts() -> list[str]:
    texts = []
    for path in sorted(DEVSET.glob("*.csv")):
        with path.open(newline="") as f:
            texts += [row["text"] for row in csv.DictReader(f)]
    return texts


@pytest.mark.parametrize("name", ["spam", "toxicity"])
def test_one_comment_scores_equal_the_batch_path_on_the_dev_sets(name):
    caches.forget("texts")
    caches.forget("vocabulary")
    model = learned.get_model(name)
    texts = _devset_texts()
    batch = model.probabilities([model_text(t, model.spec.spam_cues) for t in texts])
    for text, expected in zip(texts, batch, strict=True):
        one = model.probability_of_row(*learned.comment_features(model.spec, text))
        assert abs(one - expected) < 1e-6, text
        assert abs(model.probability(model_text(text, model.spec.spam_cues)) - expected) < 1e-6


def test_sparse_rows_dot_equals_scipy():
    rng = np.random.default_rng(5)
    width = 4096
    rows = []
    for _ in range(120):
        idx = np.unique(rng.integers(0, width, size=int(rng.integers(0, 150))))
        rows.append((idx, rng.random(len(idx)).astype(np.float32)))
    memory = SparseRows.of(rows)
    matrix = sp.csr_matrix(
        (
            np.concatenate([v for _, v in rows]),
            np.concatenate([i for i, _ in rows]),
            np.cumsum([0] + [len(i) for i, _ in rows]),
        ),
        shape=(len(rows), width),
    )
    for size in (0, 1, 40, 400):
        idx = rng.permutation(np.unique(rng.integers(0, width, size=size)))
        vals = rng.random(len(idx)).astype(np.float32)
        x = sp.csr_matrix((vals, idx, [0, len(idx)]), shape=(1, width))
        expected = np.asarray((matrix @ x.T).todense()).ravel()
        assert np.allclose(memory.dot(idx, vals), expected, atol=1e-6)
    assert SparseRows.of([]).dot(np.array([3]), np.array([1.0], np.float32)).shape == (0,)


def test_a_warmed_worker_imports_neither_scikit_learn_nor_scipy_nor_joblib():
    modules = modules_imported_by("from worker.cli import warm_up\nwarm_up()\n")
    assert not {m.split(".")[0] for m in modules} & {"sklearn", "scipy", "joblib"}


@pytest.mark.parametrize("name", ["spam", "toxicity"])
def test_artifacts_read_without_joblib_equal_joblibs_reading(name):
    import joblib

    path = learned.artifact_path(name)
    mine, theirs = read_joblib_xz(path), joblib.load(path)
    assert mine.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, np.ndarray):
            assert mine[key].dtype == value.dtype and np.array_equal(mine[key], value), key
        else:
            assert mine[key] == value and type(mine[key]) is type(value), key


def test_an_artifact_naming_any_other_class_is_refused(tmp_path):
    import joblib

    path = tmp_path / "evil.joblib"
    joblib.dump({"format": 1, "payload": Path("/etc")}, path, compress=("xz", 6))
    with pytest.raises(ArtifactUnreadable, match="pathlib"):
        read_joblib_xz(path)
    plain = tmp_path / "plain.joblib"
    joblib.dump({"format": 1}, plain)
    with pytest.raises(ArtifactUnreadable):
        read_joblib_xz(plain)
