"""The registry of checks the pipeline runs, in order.

A site can switch a check off or tune it through its policy
(``policy["checks"][name]``); see ``worker.pipeline``.
"""

from worker.checks.akismet import akismet
from worker.checks.banned import banned_author
from worker.checks.base import CheckContext, CheckResult, CommentFacts
from worker.checks.history import HISTORY_CHECKS
from worker.checks.labels import moderator_labels
from worker.checks.learned import learned_checks
from worker.checks.text_rules import TEXT_RULE_CHECKS


def all_checks() -> list:
    """Every check the worker knows, built fresh so tests can't share state."""
    return [
        *TEXT_RULE_CHECKS,
        *learned_checks(),
        moderator_labels,
        *HISTORY_CHECKS,
        banned_author,
        akismet,
    ]


__all__ = ["CheckContext", "CheckResult", "CommentFacts", "all_checks"]
