"""Turn check results into a status. Pure: no I/O, easy to test."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from service.status import Status
from worker.checks.base import CheckResult

DEFAULT_THRESHOLDS = {"spam": 0.9, "hold": 0.5}


@dataclass(frozen=True)
class Decision:
    status: Status
    reason: str


def decide(results: Iterable[CheckResult], policy: Mapping[str, Any] | None = None) -> Decision:
    policy = policy or {}
    thresholds = {**DEFAULT_THRESHOLDS, **policy.get("thresholds", {})}
    results = list(results)
    suspicious = [r for r in results if r.kind != "trust"]

    spam = [r for r in suspicious if r.kind == "spam" and r.score >= thresholds["spam"]]
    if spam:
        worst = max(spam, key=lambda r: r.score)
        return Decision(Status.SPAM, f"{worst.check}: {worst.reason}")

    held = [r for r in suspicious if r.score >= thresholds["hold"]]
    if held:
        worst = max(held, key=lambda r: r.score)
        return Decision(Status.HELD, f"{worst.check}: {worst.reason}")

    if policy.get("premoderate"):
        return Decision(Status.HELD, "site holds every comment for review")
    return Decision(Status.PUBLISHED, "no check objected")
