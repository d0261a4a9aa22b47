"""Checks that look at what came before: duplicates, floods, and trust.

They need the database (``ctx.session``); without one (``parley eval``, or a
site that switched them off) they answer a neutral result, never an error.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import timedelta

import sqlalchemy as sa

from service.models import Comment, Thread, utcnow
from service.status import Status
from worker.checks.base import CheckContext, CheckResult, CommentFacts

_WORD = re.compile(r"\w+")


def normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def fingerprint(text: str) -> str:
    return hashlib.sha1(normalized(text).encode()).hexdigest()


def shingles(text: str, size: int = 3) -> set[str]:
    words = normalized(text).split()
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _author_filter(facts: CommentFacts):
    """The same author: identity if signed in, else the same email or IP."""
    if facts.identity_id is not None:
        return Comment.identity_id == facts.identity_id
    clauses = []
    if facts.author_email:
        clauses.append(Comment.author_email == facts.author_email)
    if facts.ip_hash:
        clauses.append(Comment.ip_hash == facts.ip_hash)
    return sa.or_(*clauses) if clauses else None


def _earlier(facts: CommentFacts):
    """Only what came before this comment counts (jobs may run out of order)."""
    return Comment.id < facts.id if facts.id is not None else sa.true()


def _neutral(name: str, kind: str, why: str) -> CheckResult:
    return CheckResult(name, 0.0, why, "1", kind=kind)


def duplicate(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    """The same (or nearly the same) text posted again recently, anywhere on the site.

    Spam campaigns paste one message into many threads; people rarely do.
    """
    name = "duplicate"
    if ctx.session is None or not ctx.stateful:
        return _neutral(name, "spam", "not checked (no history)")
    window = timedelta(hours=int(ctx.policy.get("duplicate_window_hours", 72)))
    recent = ctx.session.execute(
        sa.select(Comment.id, Comment.body_source, Comment.thread_id)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(
            Thread.site_id == facts.site_id,
            _earlier(facts),
            Comment.created_at >= utcnow() - window,
            Comment.status != Status.REJECTED,
        )
        .order_by(Comment.id.desc())
        .limit(int(ctx.policy.get("duplicate_lookback", 200)))
    ).all()
    mine = shingles(facts.body)
    if len(normalized(facts.body)) < 20:
        # "Thanks!" and "+1" are legitimately repeated.
        return _neutral(name, "spam", "too short to compare")
    best, best_id, threads = 0.0, None, set()
    for other_id, body, thread_id in recent:
        similarity = jaccard(mine, shingles(body))
        if similarity >= 0.8:
            threads.add(thread_id)
        if similarity > best:
            best, best_id = similarity, other_id
    if best < 0.8:
        return CheckResult(name, 0.0, f"no similar recent comment (closest {best:.0%})", "1")
    spread = len(threads | {facts.thread_id})
    # Copies across several threads look like a campaign; one repeat may be a double post.
    score = min(1.0, 0.55 + 0.15 * (spread - 1) + 0.2 * (best >= 0.98))
    return CheckResult(
        name, round(score, 3),
        f"{best:.0%} similar to comment #{best_id}; seen in {spread} thread(s) recently", "1",
    )


def flood(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    """Many comments from one author (identity, email or IP) in a short time."""
    name = "flood"
    if ctx.session is None or not ctx.stateful:
        return _neutral(name, "policy", "not checked (no history)")
    author = _author_filter(facts)
    if author is None:
        return _neutral(name, "policy", "no author to count")
    per_minute = int(ctx.policy.get("flood_per_minute", 5))
    per_hour = int(ctx.policy.get("flood_per_hour", 30))
    since_hour = utcnow() - timedelta(hours=1)
    since_minute = utcnow() - timedelta(minutes=1)
    minute, hour = ctx.session.execute(
        sa.select(
            sa.func.count().filter(Comment.created_at >= since_minute),
            sa.func.count(),
        ).where(author, Comment.created_at >= since_hour, _earlier(facts))
    ).one()
    if minute >= per_minute or hour >= per_hour:
        # Strongly negative on purpose: a trusted author who floods is held too.
        return CheckResult(
            name, 0.95, f"{minute} comments in the last minute, {hour} in the last hour "
            f"(limits {per_minute}/min, {per_hour}/h)", "1", kind="policy",
        )
    return CheckResult(name, 0.0, f"{minute} in the last minute, {hour} in the last hour", "1", kind="policy")


def trust(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    """How well we know the author. Score 0 = trusted, 1 = never seen.

    WordPress's "comment author must have a previously approved comment": an
    author with enough published comments is published unless another check
    is strongly negative (see decision.py).
    """
    name = "trust"
    if ctx.session is None or not ctx.stateful:
        return CheckResult(name, 1.0, "first-time author (no history)", "1", kind="trust")
    author = _author_filter(facts) if facts.identity_id else (
        Comment.author_email == facts.author_email if facts.author_email else None
    )
    if author is None:
        return CheckResult(name, 1.0, "anonymous author", "1", kind="trust")
    approved, bad = ctx.session.execute(
        sa.select(
            sa.func.count().filter(Comment.status == Status.PUBLISHED),
            sa.func.count().filter(Comment.status.in_([Status.SPAM, Status.REJECTED])),
        ).where(author, _earlier(facts))
    ).one()
    needed = int(ctx.policy.get("trusted_after", 3))
    if bad:
        return CheckResult(name, 1.0, f"{bad} earlier comment(s) rejected or spam", "1", kind="trust")
    if approved >= needed:
        return CheckResult(name, 0.0, f"{approved} previously published comments", "1", kind="trust")
    if approved:
        return CheckResult(name, round(1 - approved / needed, 3),
                           f"{approved} previously published comment(s), trusted after {needed}", "1", kind="trust")
    return CheckResult(name, 1.0, "first comment from this author", "1", kind="trust")


for _check in (duplicate, flood, trust):
    _check.name, _check.version = _check.__name__, "1"

HISTORY_CHECKS = [duplicate, flood, trust]
