"""decide(): how check results become a status (pure, no I/O)."""

from __future__ import annotations

from service.policy import Policy
from service.status import Status
from worker.checks.base import CheckResult
from worker.decision import decide

STRANGER = CheckResult("trust", 1.0, "first comment from this author", "1", kind="trust")


def model(score: float) -> CheckResult:
    return CheckResult("spam_model", score, "spam words", "1", kind="spam")


def test_the_learned_model_alone_holds_rather_than_files_as_spam():
    decision = decide([STRANGER, model(0.99)])
    assert decision.status == Status.HELD
    assert decision.reason.startswith("spam_model")


def test_a_rule_at_hold_level_corroborates_the_model():
    promo = CheckResult("self_promotion", 0.6, "subscribe to my channel", "1", kind="spam")
    assert decide([STRANGER, model(0.99), promo]).status == Status.SPAM
    weak = CheckResult("self_promotion", 0.3, "faint", "1", kind="spam")
    assert decide([STRANGER, model(0.99), weak]).status == Status.HELD


def test_a_site_may_let_the_model_file_spam_on_its_own():
    policy = Policy.of({"learned_spam_alone_files_spam": True})
    assert decide([STRANGER, model(0.99)], policy).status == Status.SPAM


def test_a_confident_rule_files_spam_without_the_model():
    honeypot = CheckResult("honeypot", 1.0, "hidden field filled", "1", kind="spam")
    assert decide([STRANGER, model(0.1), honeypot]).status == Status.SPAM


def test_abuse_and_policy_hold_but_never_file_as_spam():
    abuse = CheckResult("toxicity_model", 0.99, "abusive", "1", kind="abuse")
    assert decide([STRANGER, abuse]).status == Status.HELD


def test_a_site_sets_one_checks_thresholds_without_touching_the_others():
    abuse = CheckResult("toxicity_model", 0.7, "abusive", "1", kind="abuse")
    links = CheckResult("link_count", 0.7, "4 links", "1", kind="spam")
    lenient = Policy.of({"checks": {"toxicity_model": {"hold": 0.8}}})
    assert decide([STRANGER, abuse], lenient).status == Status.PUBLISHED
    assert decide([STRANGER, abuse]).status == Status.HELD
    # The site's own thresholds still hold every other check.
    assert decide([STRANGER, abuse, links], lenient).status == Status.HELD
    strict = Policy.of({"checks": {"link_count": {"spam": 0.6}}})
    assert decide([STRANGER, links], strict).status == Status.SPAM
    assert decide([STRANGER, links]).status == Status.HELD
    assert (
        decide([STRANGER, abuse], Policy.of({"thresholds": {"hold": 0.75}})).status
        == Status.PUBLISHED
    )
