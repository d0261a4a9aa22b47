"""Turn check results into a status. Pure: no I/O, easy to test.

- A confident "spam" check files the comment as spam, but a learned model
  alone only holds it: the models learned from other sites' spam (YouTube
  comments, where nearly every link is spam), and a reader's comment filed as
  spam is never seen by a person. Another spam signal at the hold level
  (a rule, a duplicate, this site's moderators' labels, Akismet) corroborates it.
- Any check over the hold threshold holds it for a person.
- A trusted author (the "trust" check scores 0) is held only when a check is
  strongly negative; a site may hold every first-time guest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.policy import Policy
from service.status import Status
from worker.checks.base import CheckResult

# Checks whose verdict needs a second opinion before a comment is filed as spam.
LEARNED_ELSEWHERE = frozenset({"spam_model"})


@dataclass(frozen=True)
class Decision:
    status: Status
    reason: str


def _explain(results: list[CheckResult]) -> str:
    worst = max(results, key=lambda r: r.score)
    others = len(results) - 1
    return f"{worst.check}: {worst.reason}" + (f" (+{others} more)" if others else "")


def decide(results: Iterable[CheckResult], policy: Policy | None = None) -> Decision:
    policy = policy or Policy()
    results = list(results)
    # Each result is held to the site's thresholds or its check's own (Policy.thresholds_for).
    limits = {r.check: policy.thresholds_for(r.check) for r in results}
    suspicious = [r for r in results if r.kind != "trust"]
    trust = next((r for r in results if r.kind == "trust"), None)
    trusted = trust is not None and trust.score <= 0.0

    spam = [r for r in suspicious if r.kind == "spam" and r.score >= limits[r.check].spam]
    corroborated = any(
        r.kind == "spam" and r.check not in LEARNED_ELSEWHERE and r.score >= limits[r.check].hold
        for r in suspicious
    )
    if not corroborated and not policy.learned_spam_alone_files_spam:
        spam = []  # still held below: the model's score is over the hold threshold
    if spam and not (trusted and all(r.score < limits[r.check].trusted_hold for r in spam)):
        return Decision(Status.SPAM, _explain(spam))

    hold_at = "trusted_hold" if trusted else "hold"
    held = [r for r in suspicious if r.score >= getattr(limits[r.check], hold_at)]
    if held:
        return Decision(Status.HELD, _explain(held))

    if policy.premoderate:
        return Decision(Status.HELD, "site holds every comment for review")
    if policy.hold_first_time_guests and trust is not None and trust.score >= 1.0:
        return Decision(Status.HELD, f"site holds first-time authors ({trust.reason})")
    if trusted:
        return Decision(Status.PUBLISHED, f"trusted author: {trust.reason}")
    return Decision(Status.PUBLISHED, "no check objected")
