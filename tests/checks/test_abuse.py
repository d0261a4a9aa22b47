"""The personal-attack and threat checks, on a hand-written development set.

``devset/abuse.csv`` was written by hand to find failure classes (its ``kind``
column); it is used only here, never to train or to set a threshold. Every
class has a test that fails if the class regresses, run through the real
pipeline and decision where the outcome is the abuse checks' to decide.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.policy import Policy
from service.status import Status
from worker.checks.abuse import personal_attack, threat
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks

DEVSET = Path(__file__).parent / "devset" / "abuse.csv"
ROWS = list(csv.DictReader(DEVSET.read_text(encoding="utf-8").splitlines(keepends=True)))
HOLD = Policy().thresholds.hold

# Civil kinds the whole pipeline must publish. Quoted abuse and respectful
# identity talk are checked for the abuse rules only: the learned
# toxicity_model still holds "He called me an idiot, which is not OK" and
# "Queer people are part of this community too" (it reads words, not
# reporting, and learned identity words from tweets that abuse them), which
# is that model's failure class (docs/checks.md), not one these rules may
# paper over. Untargeted swearing and criticism of things publish since the
# model holds only what is aimed at someone.
PUBLISHED_BY_THE_PIPELINE = {
    "violent_idiom",
    "self_deprecation",
    "negated_insult",
    "criticism_of_thing",
    "untargeted_swearing",
    "ordinary",
}


def rows(label: str, kinds: set[str] | None = None) -> list[dict]:
    found = [r for r in ROWS if r["label"] == label and (kinds is None or r["kind"] in kinds)]
    assert found, (label, kinds)
    return found


def ids(found: list[dict]) -> list[str]:
    return [f"{r['kind']}:{r['text'][:40]}" for r in found]


def ctx(policy: dict | None = None) -> CheckContext:
    return CheckContext(policy=Policy.of(policy), stateful=False)


def facts(text: str) -> CommentFacts:
    return CommentFacts(body=text, text=text)


def abuse_results(text: str, policy: dict | None = None):
    return [personal_attack(facts(text), ctx(policy)), threat(facts(text), ctx(policy))]


def pipeline(text: str):
    context = ctx()
    results = run_checks(facts(text), context)
    return results, decide(results, context.policy)


def test_the_devset_has_every_failure_class():
    kinds = {r["kind"] for r in ROWS}
    assert {
        "insult_at_you",
        "threat",
        "self_harm_incitement",
        "criticism_of_thing",
        "violent_idiom",
        "self_deprecation",
        "untargeted_swearing",
        "quoted_abuse",
        "respectful_identity_talk",
    } <= kinds
    assert {r["label"] for r in ROWS} == {"abusive", "civil"}


ABUSIVE = rows("abusive")


@pytest.mark.parametrize("row", ABUSIVE, ids=ids(ABUSIVE))
def test_abuse_aimed_at_people_is_held_by_the_abuse_checks(row):
    results, decision = pipeline(row["text"])
    assert decision.status == Status.HELD
    ours = [r for r in results if r.check in ("personal_attack", "threat")]
    worst = max(ours, key=lambda r: r.score)
    assert worst.score >= HOLD and worst.kind == "abuse", worst
    expected = "personal_attack" if row["kind"].startswith(("insult", "dehuman")) else "threat"
    assert worst.check == expected, worst


PUBLISHED = rows("civil", PUBLISHED_BY_THE_PIPELINE)


@pytest.mark.parametrize("row", PUBLISHED, ids=ids(PUBLISHED))
def test_idioms_self_deprecation_quotes_and_identity_talk_are_published(row):
    results, decision = pipeline(row["text"])
    assert decision.status == Status.PUBLISHED, decision.reason


CIVIL = rows("civil")


@pytest.mark.parametrize("row", CIVIL, ids=ids(CIVIL))
def test_no_civil_comment_is_held_by_the_abuse_checks(row):
    for result in abuse_results(row["text"]):
        assert result.score < HOLD, result


def test_the_reason_names_the_words_and_the_target():
    attack = personal_attack(facts("You are a clueless clown."), ctx())
    assert attack.reason == "personal attack: 'clueless clown' aimed at 'you'"
    named = personal_attack(facts("Dave is an idiot."), ctx())
    assert "'idiot'" in named.reason and "'Dave'" in named.reason
    warned = threat(facts("I hope you die."), ctx())
    assert warned.reason.startswith("threat: wishes death or harm")
    _, decision = pipeline("You are a clueless clown.")
    assert decision.reason.startswith("personal_attack: personal attack: 'clueless clown'")


def test_a_thing_is_not_a_person():
    for text in (
        "This API is garbage.",
        "Windows is shit.",
        "This is a clown show.",
        "It is a shit",
        "Are those real animals",
        "#GTFO reached two million views",
    ):
        assert personal_attack(facts(text), ctx()).score == 0.0
    assert personal_attack(facts("The author is garbage."), ctx()).score >= HOLD


def test_negation_quotation_and_self_reference():
    negated = personal_attack(facts("You are not an idiot."), ctx())
    assert 0 < negated.score < HOLD and "negated" in negated.reason
    for text in (
        "He called me an idiot, which is not OK.",
        'He wrote "you are an idiot" and left.',
        "> you are an idiot\nPlease keep it civil.",
        "I'm an idiot, I forgot the flag.",
        "Nobody here thinks you are stupid.",
    ):
        assert personal_attack(facts(text), ctx()).score < HOLD, text


@pytest.mark.parametrize(
    "text", ["k y s", "k1ll y0urself", "K I L L   yourself", "i h0pe u d1e", "kiiill yourself"]
)
def test_threats_are_read_through_spacing_and_leetspeak(text):
    assert threat(facts(text), ctx()).score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "This bug killed my weekend.",
        "I could kill for a coffee.",
        "Don't kill yourself over it.",
        "We should kill this feature flag.",
        "I will hurt my back carrying these servers.",
        "Please take care of yourself.",
    ],
)
def test_violent_idioms_are_not_threats(text):
    assert threat(facts(text), ctx()).score == 0.0


def test_pointing_at_someone_with_an_insult():
    pointed = personal_attack(facts("Please ban this cheating scum."), ctx())
    assert pointed.reason == "personal attack: 'scum' aimed at 'this cheating scum'"
    assert personal_attack(facts("What an idiot."), ctx()).score >= HOLD
    mine = personal_attack(facts("I'm one of those idiots who skips the docs."), ctx())
    assert mine.score < HOLD


def test_insults_are_read_through_leetspeak_and_plurals():
    assert personal_attack(facts("ur a 1d10t"), ctx()).score >= HOLD
    assert personal_attack(facts("you guys are m0rons"), ctx()).score >= HOLD


def test_a_site_adds_and_allows_terms():
    assert personal_attack(facts("you are a bozo"), ctx()).score == 0.0
    added = personal_attack(facts("you are a bozo"), ctx({"abuse_terms": ["bozo"]}))
    assert added.score >= HOLD and "'bozo'" in added.reason
    policy = {"abuse_allowed_terms": ["bitch"]}
    assert personal_attack(facts("you are a bitch"), ctx()).score >= HOLD
    assert personal_attack(facts("she is a bitch"), ctx(policy)).score == 0.0
    with pytest.raises(ValueError, match="abuse_term"):
        Policy.checked({"abuse_term": ["x"]})
