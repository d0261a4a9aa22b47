"""The signed render token: when, and for which thread, the widget's form was shown.

A bot that posts 300 ms after loading a page has not read it. The token is
signed so a client cannot claim its form was shown long ago, bound to the
thread so one page's token cannot vouch for comments elsewhere, and spent by
its first comment so one slow fetch cannot vouch for a burst (each accepted
comment answers with a fresh token for the reader's next one).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import redis
from itsdangerous import BadSignature, URLSafeTimedSerializer

_SALT = "parley.render-token"
MAX_AGE_SECONDS = 86_400
_SPENT_PREFIX = "parley:render-token:spent:"


def issue_render_token(secret_key: str, site_id: int, thread: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=_SALT).dumps(
        {"s": site_id, "k": thread, "t": int(time.time() * 1000)}
    )


@dataclass(frozen=True)
class RenderTiming:
    """What the token says: `verdict` is ok, missing, forged, other_thread or reused."""

    verdict: str
    elapsed_ms: int | None = None

    def signals(self) -> dict:
        return {"elapsed_ms": self.elapsed_ms, "render_token": self.verdict}


def read_render_token(
    secret_key: str, token: str | None, site_id: int, thread: str, conn: redis.Redis | None
) -> RenderTiming:
    """Check a submitted token and spend it.

    With Redis down the token cannot be spent: its timing still counts, since
    refusing or doubting every reader during an outage would be worse than one
    replay going unnoticed.
    """
    return _read(secret_key, token, site_id, thread, conn, spend=True)


def peek_render_token(
    secret_key: str, token: str | None, site_id: int, thread: str, conn: redis.Redis | None
) -> RenderTiming:
    """What ``read_render_token`` would say, without spending the token (the challenge's
    first look, service/comments/challenge.py, runs before the comment is stored)."""
    return _read(secret_key, token, site_id, thread, conn, spend=False)


def _read(
    secret_key: str,
    token: str | None,
    site_id: int,
    thread: str,
    conn: redis.Redis | None,
    *,
    spend: bool,
) -> RenderTiming:
    if not token:
        return RenderTiming("missing")
    try:
        data = URLSafeTimedSerializer(secret_key, salt=_SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return RenderTiming("forged")
    if not isinstance(data, dict) or data.get("s") != site_id:
        return RenderTiming("forged")
    if data.get("k") != thread:
        return RenderTiming("other_thread")
    elapsed = max(0, int(time.time() * 1000) - int(data.get("t", 0)))
    if conn is not None:
        key = _SPENT_PREFIX + hashlib.sha256(token.encode()).hexdigest()
        try:
            fresh = conn.set(key, 1, nx=True, ex=MAX_AGE_SECONDS) if spend else not conn.exists(key)
        except redis.RedisError:
            fresh = True
        if not fresh:
            return RenderTiming("reused")
    return RenderTiming("ok", elapsed)
