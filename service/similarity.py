"""How alike two comments are: word 3-shingles, Jaccard, and a 64-bit SimHash.

The SimHash is stored with each comment when it is submitted, so the
duplicate check compares recent comments by popcount of two integers instead
of re-reading and re-shingling their bodies; only the few that come close are
compared exactly by Jaccard. Lives in ``service`` because submit computes it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WORD = re.compile(r"\w+")
_BITS = 64


def normalized(text: str) -> str:
    """Case, width and punctuation removed, so "FREE  iPhone!!" equals "free iphone"."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def shingles(text: str, size: int = 3) -> set[str]:
    words = normalized(text).split()
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def simhash(text: str) -> int:
    """Charikar's SimHash of the shingles, as a signed 64-bit integer (a BIGINT column).

    Texts with Jaccard similarity 0.8 differ in about 10 of 64 bits, unrelated
    texts in about 32.
    """
    grams = shingles(text)
    if not grams:
        return 0
    # Each shingle's 64-bit digest as a row of bits (most significant first); a bit of the
    # result is set where most rows have it. Pure Python: the web process imports no numpy.
    rows = [
        format(int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()), "064b")
        for g in grams
    ]
    columns = zip(*rows, strict=True)
    bits = "".join("1" if column.count("1") * 2 > len(rows) else "0" for column in columns)
    value = int(bits, 2)
    return value - (1 << _BITS) if value >= 1 << (_BITS - 1) else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << _BITS) - 1)).bit_count()
