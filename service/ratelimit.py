"""Fixed-window rate limits in Redis. Fails open: Redis being down must not
stop readers from commenting (the spam checks still run)."""

from __future__ import annotations

import time

import redis

from service.errors import ApiError


def hit(conn: redis.Redis, bucket: str, limit: int, window_seconds: int = 60) -> None:
    if limit <= 0:
        return
    window = int(time.time() // window_seconds)
    key = f"parley:rate:{bucket}:{window}"
    try:
        pipe = conn.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, window_seconds + 1)
        count, _ = pipe.execute()
    except (redis.RedisError, OSError):
        return
    if count > limit:
        retry_after = window_seconds - int(time.time()) % window_seconds
        raise ApiError(
            "rate_limited",
            f"too many comments from you; try again in {retry_after} seconds",
            retry_after=retry_after,
        )
