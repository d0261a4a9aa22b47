"""Hashed word + character n-grams of a model text (``FeatureSpec``).

scikit-learn's ``HashingVectorizer``, binary, each block l2-normalised.
``matrix()`` is the batch path used in training and evaluation; ``row()``
computes the same numbers for one text without scikit-learn's per-call
overhead (~1 ms per vectorizer call), from ``columns()`` (the hashed n-grams);
``extended()`` adds appended tokens to columns already computed, so the spam
model's text (the toxicity model's plus cue tokens) costs only its cues.
Words' character n-grams and terms' hashes are cached per process. A test
holds the paths equal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from service import caches
from worker.text.murmur import murmurhash3_32

if TYPE_CHECKING:
    import scipy.sparse as sp

# Scoring one comment (``row``, ``columns``, ``word_terms``) needs neither scikit-learn nor
# SciPy: the word tokenizer is this pattern, the hash scikit-learn's murmurhash3_32 as mmh3
# computes it (``worker.text.murmur``), so the worker serves without importing either (~90 MB).
# Only the batch path (``matrix``: training, evaluation) imports them.
_TOKEN_PATTERN = r"(?u)\b\w+\b"
_WORD_TOKEN = re.compile(_TOKEN_PATTERN).findall

# Bump when model_text or the analyzers change meaning: every model must then be
# retrained. Stored in each artifact and checked when it is loaded.
FEATURES_VERSION = "6"


@dataclass(frozen=True)
class FeatureSpec:
    """Hashed binary word + char_wb n-grams, each block l2-normalised.

    Columns ``[0, n_features)`` are word n-grams, ``[n_features, 2*n_features)``
    character n-grams (within word boundaries).
    """

    n_features: int = 2**20
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    char_weight: float = 1.0
    spam_cues: bool = False  # which model_text the spec reads (see model_text)
    version: str = FEATURES_VERSION

    def __post_init__(self) -> None:
        if self.n_features <= 0 or self.n_features & (self.n_features - 1):
            raise ValueError("n_features must be a power of two")

    @classmethod
    def from_dict(cls, d: dict) -> FeatureSpec:
        return cls(
            n_features=int(d["n_features"]),
            word_ngrams=tuple(d["word_ngrams"]),
            char_ngrams=tuple(d["char_ngrams"]),
            char_weight=float(d["char_weight"]),
            spam_cues=bool(d.get("spam_cues", False)),
            version=str(d["version"]),
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["word_ngrams"], d["char_ngrams"] = list(self.word_ngrams), list(self.char_ngrams)
        return d

    @property
    def width(self) -> int:
        return 2 * self.n_features

    @cached_property
    def _vectorizers(self):
        # Imported here: the web process never needs scikit-learn.
        from sklearn.feature_extraction.text import HashingVectorizer

        common = dict(
            n_features=self.n_features,
            alternate_sign=False,
            binary=True,
            norm="l2",
            lowercase=False,
            dtype=np.float32,
        )
        word = HashingVectorizer(
            analyzer="word", ngram_range=self.word_ngrams, token_pattern=_TOKEN_PATTERN, **common
        )
        char = HashingVectorizer(analyzer="char_wb", ngram_range=self.char_ngrams, **common)
        return word, char

    def matrix(self, model_texts: Sequence[str]) -> sp.csr_matrix:
        """Batch path (training, evaluation): a CSR matrix, one row per text."""
        import scipy.sparse as sp

        word, char = self._vectorizers
        texts = list(model_texts)
        xc = char.transform(texts)
        if self.char_weight != 1.0:
            xc = xc * np.float32(self.char_weight)
        return sp.hstack([word.transform(texts), xc], format="csr", dtype=np.float32)

    @cached_property
    def analysis(self) -> FeatureSpec:
        """This spec without what only weighs or selects the text: specs with the
        same ``analysis`` cut and hash a text into the same columns."""
        return replace(self, char_weight=1.0, spam_cues=False)

    def row(self, model_text_: str) -> tuple[np.ndarray, np.ndarray]:
        """Fast path for one text: (column indices, values), equal to ``matrix``'s row."""
        return self.row_of(self.columns(model_text_))

    def columns(self, model_text_: str) -> Columns:
        tokens = self._tokenize(model_text_)
        n = self.n_features
        char: set[int] = set()
        for word in set(model_text_.split()):
            char.update(_char_columns(word, self.char_ngrams, n))
        return Columns(
            frozenset(_term_hash(t) % n for t in _ngrams(tokens, *self.word_ngrams)),
            frozenset(char),
            _tail(tokens, self.word_ngrams[1]),
        )

    def extended(self, base: Columns, tokens: Sequence[str]) -> Columns:
        """Columns of ``base``'s text + " " + " ".join(tokens), for word-like tokens
        (how the spam model's text adds its cues), without analysing the text again."""
        if not tokens:
            return base
        n = self.n_features
        joined = [*base.tail, *tokens]
        # Every n-gram reaching into the tokens starts within the tail; those
        # wholly inside the tail are in ``base`` already.
        word = {_term_hash(t) % n for t in _ngrams(joined, *self.word_ngrams)}
        char = {c for token in tokens for c in _char_columns(token, self.char_ngrams, n)}
        return Columns(
            base.word | word,
            base.char | char,
            _tail(joined, self.word_ngrams[1]),
        )

    def row_of(self, columns: Columns) -> tuple[np.ndarray, np.ndarray]:
        w, c = columns.word, columns.char
        idx = np.fromiter(w | c, dtype=np.int64, count=len(w) + len(c))
        values = np.empty(len(idx), dtype=np.float32)
        if len(idx):
            # Blocks are disjoint, so the sets' union keeps every index once.
            is_word = idx < self.n_features
            values[is_word] = 1.0 / np.sqrt(len(w)) if w else 0.0
            values[~is_word] = self.char_weight / np.sqrt(len(c)) if c else 0.0
        return idx, values

    def _tokenize(self, model_text_: str) -> list[str]:
        # The word vectorizer's tokenizer (its token_pattern; lowercase=False, no accents
        # stripped): scoring one text needs neither scikit-learn nor its analyzers.
        return _WORD_TOKEN(model_text_)

    def word_terms(self, model_text_: str) -> list[str]:
        """Word n-grams of a text as the model sees them (for explanations): the word
        vectorizer's analyzer's terms, in its order."""
        return _ngrams(self._tokenize(model_text_), *self.word_ngrams)


@dataclass(frozen=True)
class Columns:
    """The hashed n-gram columns of one text, before weighting (``FeatureSpec.row_of``)."""

    word: frozenset[int]
    char: frozenset[int]  # offset by n_features: the character block
    tail: tuple[str, ...]  # the last word tokens, which n-grams of appended words start from


def _ngrams(tokens: Sequence[str], low: int, high: int) -> list[str]:
    """Word n-grams as scikit-learn's word analyzer makes them (as a set: features are binary)."""
    return [
        " ".join(tokens[i : i + k])
        for k in range(low, high + 1)
        for i in range(len(tokens) - k + 1)
    ]


def _tail(tokens: Sequence[str], longest: int) -> tuple[str, ...]:
    """The last ``longest - 1`` tokens: where an n-gram reaching past the text starts."""
    return tuple(tokens[max(0, len(tokens) - longest + 1) :])


# Per-process vocabulary caches. Comments share most of their words and
# n-grams, and the two models read the same words (the spam text only adds cue
# tokens), so a word's character n-grams are cut and hashed once, not once per
# model and comment: a dict lookup is ~10x cheaper than a call to
# murmurhash3_32. Each is emptied when full (~10-15 MB at most); the group
# "vocabulary" of ``service.caches`` empties them (benchmarks of a cold process).
_HASHES: dict[str, int] = {}
_HASH_CACHE_SIZE = 150_000
_CHAR_COLUMNS: dict[tuple[str, tuple[int, int], int], tuple[int, ...]] = {}
_CHAR_CACHE_SIZE = 50_000
caches.declare("vocabulary.term_hashes", _HASHES.clear)
caches.declare("vocabulary.char_columns", _CHAR_COLUMNS.clear)


def _term_hash(term: str) -> int:
    h = _HASHES.get(term)
    if h is None:
        if len(_HASHES) >= _HASH_CACHE_SIZE:
            _HASHES.clear()
        h = _HASHES[term] = abs(murmurhash3_32(term))
    return h


def _char_columns(word: str, ngrams: tuple[int, int], n_features: int) -> tuple[int, ...]:
    """Columns of one word's char_wb n-grams, in the character block ``[n, 2n)``.

    The same n-grams as scikit-learn's ``char_wb`` analyzer ("word" padded with
    one space each side; a padded word shorter than the smallest n is one
    n-gram), as a set: the features are binary, so repeats do not count.
    """
    key = (word, ngrams, n_features)
    columns = _CHAR_COLUMNS.get(key)
    if columns is None:
        padded = f" {word} "
        size = len(padded)
        low, high = ngrams
        grams = {
            padded[i : i + k] for k in range(low, min(high, size) + 1) for i in range(size - k + 1)
        }
        if not grams:
            grams = {padded}
        if len(_CHAR_COLUMNS) >= _CHAR_CACHE_SIZE:
            _CHAR_COLUMNS.clear()
        # Hashed directly, not through _term_hash: the word is what gets cached.
        columns = _CHAR_COLUMNS[key] = tuple(
            {abs(murmurhash3_32(g)) % n_features + n_features for g in grams}
        )
    return columns


def hash_index(term: str, n_features: int) -> int:
    """The column scikit-learn's FeatureHasher gives ``term`` (alternate_sign=False).

    FeatureHasher maps the one hash abs() cannot take, -2**31, to
    ``(2**31 - n_features) % n_features``; for a power-of-two ``n_features``
    (enforced by FeatureSpec) that equals Python's ``abs(h) % n_features``.
    """
    return _term_hash(term) % n_features
