"""The checks' shortcuts answer as the long way did: the regex prefilter
(worker.text.prefilter) never skips a pattern that could match, and a domain looked up in a
set matches as the scan over it did."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest

from worker.checks import abuse
from worker.checks.abuse import threat_patterns
from worker.checks.links import PITCH_SIGNS
from worker.checks.text_rules import fold
from worker.text.cues import SPAM_CUES
from worker.text.links import (
    PROMOTION_PLATFORMS,
    REFERENCE_DOMAINS,
    URL_SHORTENERS,
    domain_matches,
)
from worker.text.prefilter import may_match, needles

DEVSET = Path(__file__).parent / "devset"


def _rule_patterns() -> list[re.Pattern[str]]:
    """Every pattern the checks ask ``may_match`` about."""
    return [
        *(p for _, _, p in threat_patterns()),
        *(p for _, p, _ in PITCH_SIGNS),
        *(g for _, _, g in PITCH_SIGNS),
        *(c.gate for c in SPAM_CUES),
        abuse._GO_BACK,
        abuse._SENT_BACK,
        abuse._SCORN,
    ]


def _devset_texts() -> list[str]:
    texts = []
    for path in sorted(DEVSET.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            texts += [row["text"] for row in csv.DictReader(fh)]
    return texts


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"kill\s+yourself", {"yourself"}),  # either run would do: the longer rejects more
        (r"\b(?:hate|despise) you\b", {"hate you", "despise you"}),
        (r"(?:go|just) (?:die|rot)", {"go die", "go rot", "just die", "just rot"}),
        (r"colou?r", {"color", "colour"}),
        (r"(?:ab)+c", {"ab"}),
        (r"x|yz", {"x", "yz"}),
        (r"[sz]ell", {"sell", "zell"}),
        (r"checks|check", {"check"}),  # "checks" holds "check": one scan does for both
        (r"(?:kill)?\s+you", {"you"}),
        (r"(?i:kill) you|x", {" you", "x"}),  # the case-insensitive part is left out
        (r"(a)\1", {"a"}),
    ],
)
def test_needles_are_the_literals_every_match_holds(pattern, expected):
    assert set(needles(re.compile(pattern)) or ()) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+",  # nothing literal
        r"kill|\d+",  # one branch without a literal: the whole may match without "kill"
        r"(?i)kill",  # case-insensitive: "KILL" matches, "kill" is not in it
        r"",
    ],
)
def test_what_cannot_be_shown_always_runs(pattern):
    compiled = re.compile(pattern)
    assert needles(compiled) is None
    for text in ("KILL you", "x", "aa", " you", "123", ""):
        if compiled.search(text):
            assert may_match(compiled, text), (pattern, text)


def test_every_match_of_every_rule_pattern_holds_one_of_its_needles():
    # The checks' own patterns over every hand-written comment, as typed, lower-cased and
    # folded as the rules read them: a skipped search could never have matched.
    patterns = _rule_patterns()
    texts = _devset_texts()
    variants = [v for t in texts for v in (t, t.lower(), fold(t))]
    matched = 0
    for pattern in patterns:
        found = needles(pattern)
        for text in variants:
            for m in pattern.finditer(text):
                matched += 1
                assert may_match(pattern, text), (pattern.pattern[:80], text)
                if found is not None:
                    assert any(n in m.group(0) for n in found), (pattern.pattern[:80], m.group(0))
    assert matched > 200  # the comparison saw real matches, not only misses


def test_random_strings_built_from_the_needles_never_fool_the_prefilter():
    # Texts stitched from the patterns' own literals and noise match often, and in
    # unusual places: whatever matches must pass the prefilter.
    pick = random.Random(7)
    patterns = _rule_patterns()
    pieces = [n for p in patterns for n in (needles(p) or ())] + [" ", ".", "you ", "a "]
    hits = 0
    for pattern in patterns:
        for _ in range(60):
            text = "".join(pick.choice(pieces) for _ in range(pick.randint(1, 12)))
            if pattern.search(text):
                hits += 1
                assert may_match(pattern, text), (pattern.pattern[:80], text)
            if not may_match(pattern, text):
                assert pattern.search(text) is None
    assert hits > 0


def test_a_rule_added_the_ordinary_way_gets_its_prefilter():
    # A new threat pattern built and compiled as the others are (matched on folded text):
    # its needles come from its own source, nothing to register.
    pattern = re.compile(abuse._phrase("i|we", "~", "feed", "you", "to the sharks"))
    said, other = fold("We will feed you to the sharks."), fold("we fed the cat")
    assert needles(pattern)
    assert pattern.search(said) and may_match(pattern, said)
    assert not may_match(pattern, other)


def test_domain_lookup_in_a_set_answers_as_the_scan_did():
    # worker.text.links.domain_matches looks a domain and its parents up in a set; the
    # same question asked of a list is the plain scan: both must agree, odd names too.
    pick = random.Random(3)
    lists = [REFERENCE_DOMAINS, URL_SHORTENERS, PROMOTION_PLATFORMS, {"", ".com", "a..b", "x.y."}]
    labels = ["a", "b", "com", "org", "", "wikipedia", "github", "bit", "ly", "www", "en", "y"]
    pool = sorted(d for names in lists for d in names)
    agreed = 0
    for _ in range(20_000):
        head = ".".join(pick.choice(labels) for _ in range(pick.randint(0, 3)))
        domain = f"{head}.{pick.choice(pool)}" if pick.random() < 0.5 else head
        for names in lists:
            expected = domain_matches(domain, sorted(names))  # a list: the scan
            assert domain_matches(domain, frozenset(names)) == expected, (domain, names)
            agreed += expected
    assert agreed > 1000
