"""Pre-serialized public reads: thread pages and counts, kept in Redis until a thread changes.

A thread page (``GET /api/v1/comments``) and a thread's count are plain
functions of its published rows and of the site's policy. The first read
builds the JSON once (``reading.thread_page`` and ``reading.comment_out``, the
one serializer of a comment) and stores its bytes with a strong ETag; later
reads answer those bytes, or ``304 Not Modified``, without the database.

**Invalidation.** ``invalidate_threads`` runs after every commit that changes
what a thread shows: ``service.notifications.dispatch.announce_changes`` (the
worker's decisions, moderators' actions: the same events that wake the live
streams) calls it, and so must any other feature that changes a published
comment (votes, edits, deletes): ``invalidate_thread(rt, site_slug, key)``.
It bumps the thread's generation and drops its cached pages and count; it
also asks the CDN, if one is configured, to purge the thread's surrogate key
(``service.enqueue.enqueue_cdn_purge``).

**No stale write-back.** A reader that missed reads the thread's generation
in the same round trip, builds the page from the database, and stores it only
if the generation is still the one it saw (a Lua compare-and-set). A decision
that commits while the page is being built bumps the generation after its
commit, so the page built from the older rows is never stored.

Every cached entry also expires on its own (``TTL_SECONDS``): a bound on what
a lost invalidation (Redis down at the moment of a decision) or a changed site
policy (``max_depth``) can leave behind. Redis down: reads go to the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import weakref
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import redis

log = logging.getLogger(__name__)

TTL_SECONDS = 300
# Where invalidations are announced to every web process's warm reads
# (``service.comments.warm_reads``): the surrogate keys of the changed threads, space-separated.
READS_CHANNEL = "parley:reads:changed"
# Generations outlive every page built under them.
_GEN_TTL_SECONDS = 86_400

# KEYS: the thread's pages hash, its generation. ARGV: the page's variant.
# Answers {1, bytes} on a hit, {0, generation} on a miss.
_GET_PAGE = """
local page = redis.call('HGET', KEYS[1], ARGV[1])
if page then return {1, page} end
return {0, redis.call('GET', KEYS[2]) or '0'}
"""
# KEYS: pages hash, generation. ARGV: variant, bytes, the generation the reader saw, TTL in
# milliseconds (a thread closing sooner shortens the whole hash's life to its closing).
_PUT_PAGE = """
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ttl > tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
"""
# KEYS: the site's counts hash, its generations hash. ARGV: thread keys.
_GET_COUNTS = """
return {redis.call('HMGET', KEYS[1], unpack(ARGV)), redis.call('HMGET', KEYS[2], unpack(ARGV))}
"""
# KEYS: counts hash, generations hash. ARGV[1] TTL, then (thread, generation, count) triples.
_PUT_COUNTS = """
for i = 2, #ARGV, 3 do
  if (redis.call('HGET', KEYS[2], ARGV[i]) or '0') == ARGV[i + 1] then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  end
end
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 1
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def surrogate_key(site_slug: str, thread_key: str) -> str:
    """The CDN tag of everything a thread shows (its pages and any counts that name it)."""
    return f"parley-thread-{site_slug}-{_digest(thread_key)[:24]}"


def site_surrogate_key(site_slug: str) -> str:
    return f"parley-site-{site_slug}"


def _page_keys(site_slug: str, thread_key: str) -> list[str]:
    thread = _digest(thread_key)
    return [f"parley:page:{site_slug}:{thread}", f"parley:page-gen:{site_slug}:{thread}"]


def _count_keys(site_slug: str) -> list[str]:
    return [f"parley:tallies:{site_slug}", f"parley:counts-gen:{site_slug}"]


def public_cache_control(web, left: int | None = None) -> str:
    """The ``Cache-Control`` of a public read (``web``: ``settings.web``); ``left``: seconds
    until the page changes by itself (a thread closing by age), which bounds every lifetime."""
    max_age, stale, cdn = web.read_max_age, web.read_stale_seconds, web.cdn_max_age
    if left is not None:
        max_age = min(max_age, left)
        stale = min(stale, left - max_age)
        cdn = min(cdn, left) if cdn else 0
    directives = ["public", f"max-age={max_age}", f"stale-while-revalidate={stale}"]
    if cdn or (left is not None and web.cdn_max_age):
        directives.append(f"s-maxage={cdn}")
    return ", ".join(directives)


# The start of a thread page: its (JSON-escaped) key, then when it closes.
_CLOSES_AT = re.compile(rb'\{"thread":"(?:[^"\\]|\\.)*","closes_at":"([^"]{10,40})"')


def closes_at_in(body: bytes) -> datetime | None:
    """A thread page's ``closes_at``, read from its first bytes (it comes right after the
    thread key), so a cached page needs no parsing to be answered correctly."""
    found = _CLOSES_AT.match(body)
    if found is None:
        return None
    try:
        moment = datetime.fromisoformat(found.group(1).decode().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


_SCRIPTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# What keeps answers of its own in this process (service.comments.warm_reads): each has
# ``drop(surrogate_keys)``, called by every invalidation here.
_INFORMED: weakref.WeakSet = weakref.WeakSet()


def keep_informed(layer) -> None:
    _INFORMED.add(layer)


def _script(conn: redis.Redis, text: str):
    """The registered script on this client (its SHA computed once, not per request)."""
    scripts = _SCRIPTS.setdefault(conn, {})
    if text not in scripts:
        scripts[text] = conn.register_script(text)
    return scripts[text]


def cached_page(
    conn: redis.Redis,
    site_slug: str,
    thread_key: str,
    variant: str,
    build: Callable[[], bytes],
    lifetime: Callable[[], float | None] | None = None,
) -> tuple[str, bytes]:
    """The page's (strong ETag, JSON bytes): from the cache, or built by ``build()`` and
    stored. The ETag is computed once, when the page is built. ``lifetime()``, asked after
    ``build()``, may bound how many seconds the thread's pages are kept (a thread that
    closes by age: its pages must not outlive the moment)."""
    keys = _page_keys(site_slug, thread_key)
    try:
        hit, value = _script(conn, _GET_PAGE)(keys=keys, args=[variant])
    except (redis.RedisError, OSError):
        body = build()
        return etag_of(body), body
    if int(hit) == 1:
        etag, _, body = bytes(value).partition(b" ")
        return etag.decode(), body
    body = build()
    etag = etag_of(body)
    bound = lifetime() if lifetime else None
    ttl_ms = (
        TTL_SECONDS * 1000 if bound is None else max(1, min(TTL_SECONDS * 1000, int(bound * 1000)))
    )
    try:
        _script(conn, _PUT_PAGE)(
            keys=keys,
            args=[variant, etag.encode() + b" " + body, _text(value), ttl_ms],
        )
    except (redis.RedisError, OSError):
        pass
    return etag, body


def cached_counts(
    conn: redis.Redis,
    site_slug: str,
    thread_keys: list[str],
    count: Callable[[list[str]], dict[str, tuple[int, int]]],
) -> dict[str, tuple[int, int]]:
    """Each thread's (published comments, likes): from the cache, the missing ones by
    ``count(keys)``. Both change only with events that invalidate the thread (a decision,
    a moderator's action, a like), so one entry holds both."""
    keys = _count_keys(site_slug)
    try:
        counts, generations = _script(conn, _GET_COUNTS)(keys=keys, args=thread_keys)
    except (redis.RedisError, OSError):
        return count(thread_keys)
    result = {}
    for key, value in zip(thread_keys, counts, strict=True):
        comments, _, likes = _text(value).partition(" ") if value is not None else ("", "", "")
        if comments.isdigit() and likes.isdigit():
            result[key] = (int(comments), int(likes))
    missing = [k for k in thread_keys if k not in result]
    if not missing:
        return result
    fresh = count(missing)
    result.update(fresh)
    seen = dict(zip(thread_keys, generations, strict=True))
    args: list = [TTL_SECONDS]
    for key in missing:
        generation = _text(seen[key] if seen[key] is not None else "0")
        args += [key, generation, "{} {}".format(*fresh[key])]
    try:
        _script(conn, _PUT_COUNTS)(keys=keys, args=args)
    except (redis.RedisError, OSError):
        pass
    return result


def invalidate_threads(conn: redis.Redis, threads: Iterable[tuple[str, str]]) -> None:
    """Drop the cached pages and counts of (site slug, thread key) pairs, after a commit.

    Logged, never raised: the entries expire on their own within ``TTL_SECONDS``.
    """
    threads = list(dict.fromkeys(threads))
    if not threads:
        return
    tags = [surrogate_key(site_slug, thread_key) for site_slug, thread_key in threads]
    try:
        pipe = conn.pipeline(transaction=False)
        for site_slug, thread_key in threads:
            pages, generation = _page_keys(site_slug, thread_key)
            pipe.incr(generation)
            pipe.expire(generation, _GEN_TTL_SECONDS)
            pipe.delete(pages)
            counts, generations = _count_keys(site_slug)
            pipe.hincrby(generations, thread_key, 1)
            pipe.expire(generations, _GEN_TTL_SECONDS)
            pipe.hdel(counts, thread_key)
        # After the deletes: a process that hears it and reads Redis again reads the new state.
        pipe.publish(READS_CHANNEL, " ".join(tags))
        pipe.execute()
    except (redis.RedisError, OSError) as error:
        log.warning("could not invalidate %d cached thread(s): %s", len(threads), error)
    finally:
        # This process's warm answers go at once (the others' when the message reaches them,
        # or when their subscription notices Redis is gone).
        for layer in list(_INFORMED):
            layer.drop(tags)


def variant_of(params: dict) -> str:
    """The part of a page's cache key that its query parameters (after, limit, sort...) make."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)
