"""The registry of checks the pipeline runs, in order.

A site can switch a check off or tune it through its policy
(``policy["checks"][name]``); see ``worker.pipeline``.
"""

from worker.checks.base import CheckContext, CheckResult, CommentFacts
from worker.checks.history import HISTORY_CHECKS
from worker.checks.rules import RULE_CHECKS


def all_checks() -> list:
    """Every check the worker knows, built fresh so tests can't share state."""
    return [*RULE_CHECKS, *HISTORY_CHECKS]


__all__ = ["CheckContext", "CheckResult", "CommentFacts", "all_checks"]
