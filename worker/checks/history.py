"""Checks that look at what came before: duplicates, floods, and trust.

They need the database (``ctx.session``); without one (``parley eval``, or a
site that switched them off) they answer a neutral result, never an error.

Their queries are built once, with bound parameters: building a SQLAlchemy
statement costs several times what running it on an indexed table does, and
these run for every comment.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import numpy as np
import sqlalchemy as sa

from service import caches
from service.models import Comment, utcnow
from service.prepared import Prepared
from service.similarity import jaccard, normalized, shingles, simhash
from service.status import Status
from worker.checks.base import CheckContext, CommentFacts, check

# SimHash bits within which two comments are compared exactly: Jaccard 0.8
# differs in ~10 bits (sd ~3), unrelated text in ~32, so 20 misses no copy
# and lets through about one stranger in 300.
_CLOSE_BITS = 20
_SIMILAR = 0.8
_MASK = 2**64 - 1
_NO_ID = 2**62  # "before" for a comment not stored yet (eval): everything came before

_P = sa.bindparam
_BEFORE = Comment.id < _P("before")
# The same author: identity if signed in, else the same email or IP. A None
# parameter matches nothing (NULL = NULL is not true), so one statement serves.
_BY_IDENTITY = Comment.identity_id == _P("identity")
_BY_GUEST = sa.or_(Comment.author_email == _P("email"), Comment.ip_hash == _P("ip"))
# Trust is earned by an identity or an email, never by sharing an IP.
_TRUSTED_BY_GUEST = Comment.author_email == _P("email")

_FLOOD = {
    signed_in: Prepared(
        sa.select(
            sa.func.count().filter(Comment.created_at >= _P("minute")), sa.func.count()
        ).where(author, Comment.created_at >= _P("hour"), _BEFORE)
    )
    for signed_in, author in ((True, _BY_IDENTITY), (False, _BY_GUEST))
}
_TRUST = {
    signed_in: Prepared(
        sa.select(
            sa.func.count().filter(Comment.status == Status.PUBLISHED),
            # OR, not IN: an IN list is re-rendered into the SQL on every execution.
            sa.func.count().filter(
                sa.or_(Comment.status == Status.SPAM, Comment.status == Status.REJECTED)
            ),
        ).where(author, _BEFORE)
    )
    for signed_in, author in ((True, _BY_IDENTITY), (False, _TRUSTED_BY_GUEST))
}
_BODIES = sa.select(Comment.id, Comment.body_source, Comment.thread_id).where(
    Comment.id.in_(_P("ids", expanding=True))
)


@cache
def _recent(lookback: int):
    """ "id:simhash,id:simhash,..." of the site's latest comments, as one string.

    Served by ix_comments_site_recent alone (a walk down one index, no table
    rows), and aggregated by the database: one row instead of a few hundred
    halves the time this check spends fetching.
    """
    latest = (
        sa.select(Comment.id, Comment.simhash)
        .where(
            Comment.site_id == _P("site"),
            _BEFORE,
            Comment.created_at >= _P("since"),
            Comment.status != Status.REJECTED,
        )
        .order_by(Comment.id.desc())
        .limit(lookback)
        .subquery()
    )
    pair = sa.cast(latest.c.id, sa.Text) + ":" + sa.cast(latest.c.simhash, sa.Text)
    return Prepared(sa.select(sa.func.aggregate_strings(pair, ",")))


caches.declare("statements.recent", _recent.cache_clear)


def _rows(ctx: CheckContext):
    # Plain rows through the session's connection (same transaction): the ORM's
    # result processing costs more than the query for a few hundred rows.
    return ctx.session.connection()


def _author(facts: CommentFacts) -> dict:
    return {
        "identity": facts.identity_id,
        "email": facts.author_email,
        "ip": facts.ip_hash,
        "before": facts.id if facts.id is not None else _NO_ID,
    }


# A comment's text never changes, and a recent comment is a candidate for many
# new ones: what this process learned of one (its thread and shingles) is kept,
# by database and id, so bodies are read from the database once. Emptied when full.
_KNOWN: dict[tuple[str, int], tuple[int, set[str]]] = {}
_KNOWN_SIZE = 5_000


def _remember(key: tuple[str, int], thread_id: int, grams: set[str]) -> None:
    if len(_KNOWN) >= _KNOWN_SIZE:
        _KNOWN.clear()
    _KNOWN[key] = (thread_id, grams)


caches.declare("comments.shingles", _KNOWN.clear)


def _close(recent: np.ndarray, mine: int) -> list[int]:
    """Ids of the (id, simhash) rows whose SimHash is within _CLOSE_BITS of ``mine``."""
    distance = np.bitwise_count(recent[:, 1].view(np.uint64) ^ np.uint64(mine & _MASK))
    return recent[distance <= _CLOSE_BITS, 0].tolist()


@check("duplicate", kind="spam", version="2")
def duplicate(facts: CommentFacts, ctx: CheckContext):
    """The same (or nearly the same) text posted again recently, anywhere on the site.

    Spam campaigns paste one message into many threads; people rarely do.
    """
    if ctx.session is None or not ctx.stateful:
        return 0.0, "not checked (no history)"
    if len(normalized(facts.body)) < 20:
        # "Thanks!" and "+1" are legitimately repeated.
        return 0.0, "too short to compare"
    window = timedelta(hours=ctx.policy.duplicate_window_hours)
    pairs = _recent(ctx.policy.duplicate_lookback).scalar(
        _rows(ctx),
        {"site": facts.site_id, "before": _author(facts)["before"], "since": utcnow() - window},
    )
    # Rows of (id, simhash); numpy reads the numbers in one pass (a third of int() each).
    flat = pairs.replace(":", ",") if pairs else ""
    recent = np.fromstring(flat, dtype=np.int64, sep=",").reshape(-1, 2)
    mine_hash = facts.simhash if facts.simhash is not None else simhash(facts.body)
    close = _close(recent, mine_hash)
    best, best_id, threads = 0.0, None, set()
    if close:
        database = str(ctx.session.get_bind().url)
        mine = shingles(facts.body)
        if facts.id is not None:
            _remember((database, facts.id), facts.thread_id, mine)
        unknown = [cid for cid in close if (database, cid) not in _KNOWN]
        if unknown:
            for other_id, body, thread_id in _rows(ctx).execute(_BODIES, {"ids": unknown}):
                _remember((database, other_id), thread_id, shingles(body))
        for other_id in close:
            thread_id, grams = _KNOWN.get((database, other_id), (None, set()))
            similarity = jaccard(mine, grams)
            if similarity >= _SIMILAR:
                threads.add(thread_id)
            if similarity > best:
                best, best_id = similarity, other_id
    if best < _SIMILAR:
        why = f"no similar recent comment among {len(recent)} (closest {best:.0%})"
        return 0.0, why
    spread = len(threads | {facts.thread_id})
    # Copies across several threads look like a campaign; one repeat may be a double post.
    score = min(1.0, 0.55 + 0.15 * (spread - 1) + 0.2 * (best >= 0.98))
    why = f"{best:.0%} similar to comment #{best_id}; seen in {spread} thread(s) recently"
    return round(score, 3), why


@check("flood", kind="policy", version="1")
def flood(facts: CommentFacts, ctx: CheckContext):
    """Many comments from one author (identity, email or IP) in a short time."""
    if ctx.session is None or not ctx.stateful:
        return 0.0, "not checked (no history)"
    if not (facts.identity_id or facts.author_email or facts.ip_hash):
        return 0.0, "no author to count"
    per_minute = ctx.policy.flood_per_minute
    per_hour = ctx.policy.flood_per_hour
    now = utcnow()
    params = {
        **_author(facts),
        "minute": now - timedelta(minutes=1),
        "hour": now - timedelta(hours=1),
    }
    minute, hour = _FLOOD[facts.identity_id is not None].one(_rows(ctx), params)
    counts = f"{minute} comments in the last minute, {hour} in the last hour"
    if minute >= per_minute or hour >= per_hour:
        # Strongly negative on purpose: a trusted author who floods is held too.
        why = f"{counts} (limits {per_minute}/min, {per_hour}/h)"
        return 0.95, why
    return 0.0, counts


@check("trust", kind="trust", version="1")
def trust(facts: CommentFacts, ctx: CheckContext):
    """How well we know the author. Score 0 = trusted, 1 = never seen.

    WordPress's "comment author must have a previously approved comment": an
    author with enough published comments is published unless another check
    is strongly negative (see decision.py).
    """
    if ctx.session is None or not ctx.stateful:
        return 1.0, "first-time author (no history)"
    if not (facts.identity_id or facts.author_email):
        return 1.0, "anonymous author"
    approved, bad = _TRUST[facts.identity_id is not None].one(_rows(ctx), _author(facts))
    needed = ctx.policy.trusted_after
    if bad:
        return 1.0, f"{bad} earlier comment(s) rejected or spam"
    if approved >= needed:
        return 0.0, f"{approved} previously published comments"
    if approved:
        why = f"{approved} previously published comment(s), trusted after {needed}"
        return round(1 - approved / needed, 3), why
    return 1.0, "first comment from this author"
