"""MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes, as scikit-learn's ``murmurhash3_32``.

The learned checks hash n-grams with it (``worker.text.features``); training uses
scikit-learn's ``HashingVectorizer``, which calls scikit-learn's own copy. Scoring takes the
same hash from ``mmh3`` (a small C extension) so the worker never imports scikit-learn
(~65 MB of a process's memory, SciPy with it). A test holds the two equal on many strings.
"""

from __future__ import annotations

from mmh3 import hash as _mmh3_hash


def murmurhash3_32(key: str, seed: int = 0) -> int:
    """The signed 32-bit hash (scikit-learn's ``positive=False``)."""
    return _mmh3_hash(key, seed, True)
