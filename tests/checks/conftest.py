"""Fixtures of the check tests: the hand-written dev sets and one way to judge a comment."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from service.policy import Policy
from worker.checks.base import CheckContext, CommentFacts
from worker.decision import decide
from worker.pipeline import run_checks

DEVSET = Path(__file__).parent / "devset"
SITE_ORIGIN = "https://blog.example.org"


@pytest.fixture(scope="session")
def spam_devset() -> list[dict[str, str]]:
    """tests/checks/devset/spam.csv: hand-written blog comments (text, label, kind).

    Written to find failure classes; nothing is trained or tuned on it.
    """
    with (DEVSET / "spam.csv").open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def judge():
    """Run a comment through the real pipeline and decision, without a database.

    Answers ``(decision, {check name: result})``; ``off`` switches checks off
    through the site policy, as a site would.
    """

    def run(body: str, policy: dict | None = None, off: tuple[str, ...] = (), **facts):
        stored = dict(policy or {})
        stored["checks"] = {name: {"enabled": False} for name in off} | stored.get("checks", {})
        ctx = CheckContext(policy=Policy.of(stored), stateful=False)
        facts.setdefault("site_origins", (SITE_ORIGIN,))
        results = run_checks(CommentFacts(body=body, **facts), ctx)
        return decide(results, ctx.policy), {r.check: r for r in results}

    return run
