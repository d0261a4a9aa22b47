"""SimHash is only a prefilter for the duplicate check: it must keep every near copy."""

from __future__ import annotations

import random

from service.similarity import hamming, jaccard, shingles, simhash
from worker.checks.history import _CLOSE_BITS

WORDS = (
    "river garden lamp winter budget engine violin harbour pepper ladder cotton signal "
    "meadow copper orbit saddle thunder velvet walnut canyon"
).split()


def sentence(rng: random.Random, n: int = 30) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def test_near_copies_stay_within_the_prefilter_and_strangers_mostly_do_not():
    rng = random.Random(7)
    near_distances, stranger_distances = [], []
    for _ in range(300):
        words = sentence(rng).split()
        copy = list(words)
        copy[rng.randrange(len(copy))] = "EDITED"  # one word changed: Jaccard ~0.85
        assert jaccard(shingles(" ".join(words)), shingles(" ".join(copy))) >= 0.8
        near_distances.append(hamming(simhash(" ".join(words)), simhash(" ".join(copy))))
        stranger_distances.append(hamming(simhash(" ".join(words)), simhash(sentence(rng))))
    assert max(near_distances) <= _CLOSE_BITS
    # Unrelated texts land around half the bits apart; few reach the exact comparison.
    assert sum(d <= _CLOSE_BITS for d in stranger_distances) < 0.05 * len(stranger_distances)


def test_simhash_fits_a_signed_bigint_and_ignores_case_and_punctuation():
    rng = random.Random(1)
    for _ in range(200):
        value = simhash(sentence(rng))
        assert -(2**63) <= value < 2**63
    assert simhash("Buy CHEAP watches, now!!") == simhash("buy cheap watches now")
    assert simhash("") == 0
