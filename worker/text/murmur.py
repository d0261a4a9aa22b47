"""MurmurHash3 (x86, 32-bit) of a string's UTF-8 bytes, as scikit-learn's ``murmurhash3_32``.

The learned checks hash n-grams with it (``worker.text.features``); training uses
scikit-learn's ``HashingVectorizer``, which calls the C one. Scoring a comment hashes only
the n-grams its per-process caches have not seen, so this plain-Python copy costs little
there and keeps scikit-learn (~65 MB of a process's memory) out of the worker. A test holds
it equal to scikit-learn's on many strings.
"""

from __future__ import annotations

import struct

_C1 = 0xCC9E2D51
_C2 = 0x1B873593
_M32 = 0xFFFFFFFF


def murmurhash3_32(key: str, seed: int = 0) -> int:
    """The signed 32-bit hash (``positive=False``), like scikit-learn's."""
    data = key.encode("utf-8")
    n = len(data)
    h = seed & _M32
    end = n - n % 4
    for (k,) in struct.iter_unpack("<I", data[:end]):
        k = (k * _C1) & _M32
        k = ((k << 15) | (k >> 17)) & _M32
        k = (k * _C2) & _M32
        h ^= k
        h = ((h << 13) | (h >> 19)) & _M32
        h = (h * 5 + 0xE6546B64) & _M32
    tail = n & 3
    if tail:
        k = int.from_bytes(data[end:], "little")
        k = (k * _C1) & _M32
        k = ((k << 15) | (k >> 17)) & _M32
        k = (k * _C2) & _M32
        h ^= k
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h - 0x100000000 if h & 0x80000000 else h
