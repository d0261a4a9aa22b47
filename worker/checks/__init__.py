"""The registry of checks the pipeline runs, in order.

Each family module declares its checks with ``@check`` (``worker.checks.base``);
they run in the order declared, so the families are imported here in the
order they run: the cheap text rules first, the network last. A site switches
a check off through its policy (``checks: {name: {"enabled": false}}``); see
``worker.pipeline``.
"""

from worker.checks.base import REGISTRY, Check, CheckContext, CheckResult, CommentFacts

# Importing a family declares its checks: this order is the order they run in
# (and a reason names the first of equally bad results), so it is not sorted.
# isort: off
from worker.checks import text_rules  # noqa: E402, F401
from worker.checks import abuse  # noqa: E402, F401
from worker.checks import links  # noqa: E402, F401
from worker.checks import contact  # noqa: E402, F401
from worker.checks import learned  # noqa: E402, F401
from worker.checks import labels  # noqa: E402, F401
from worker.checks import history  # noqa: E402, F401
from worker.checks import banned  # noqa: E402, F401
from worker.checks import akismet  # noqa: E402, F401
from worker.checks import external  # noqa: E402, F401
# isort: on


def all_checks() -> list[Check]:
    """Every check the worker knows, in the order they run."""
    return list(REGISTRY.values())


__all__ = ["Check", "CheckContext", "CheckResult", "CommentFacts", "all_checks"]
