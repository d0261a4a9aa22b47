"""Simple, explainable rules: link count, blocklist, length."""

from __future__ import annotations

import re

from worker.checks.base import CheckContext, CheckResult, CommentFacts

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def link_count(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    """Many links in one comment is the oldest spam signal there is."""
    limit = int(ctx.policy.get("max_links", 2))
    n = len(_URL.findall(facts.body))
    if n <= limit:
        return CheckResult("link_count", 0.0, f"{n} link(s), limit {limit}", "1")
    # Grows towards 1 with every link over the limit: 3 over is already 0.9.
    score = min(1.0, 0.6 + 0.1 * (n - limit))
    return CheckResult("link_count", score, f"{n} links, limit {limit}", "1")


def blocklist(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    words = [w.lower() for w in ctx.policy.get("blocklist", [])]
    haystack = f"{facts.body} {facts.author_name or ''} {facts.author_url or ''}".lower()
    hits = [w for w in words if w and w in haystack]
    if hits:
        return CheckResult(
            "blocklist", 1.0, f"contains blocked term(s): {', '.join(hits)}", "1", kind="policy"
        )
    return CheckResult("blocklist", 0.0, "no blocked terms", "1", kind="policy")


def length(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    n = len(facts.body.strip())
    if n < 2:
        return CheckResult("length", 0.7, f"only {n} character(s)", "1", kind="policy")
    return CheckResult("length", 0.0, f"{n} characters", "1", kind="policy")


link_count.name, link_count.version = "link_count", "1"
blocklist.name, blocklist.version = "blocklist", "1"
length.name, length.version = "length", "1"

RULE_CHECKS = [link_count, blocklist, length]
