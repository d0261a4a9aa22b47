"""Redis pub/sub channels that tell waiting requests a comment was decided.

Only a nudge: listeners always re-read the database, which stays the source
of truth, and fall back to polling it when Redis is unavailable.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Iterable

import redis

log = logging.getLogger(__name__)


def comment_channel(comment_id: int) -> str:
    return f"parley:comment:{comment_id}"


def thread_channel(thread_id: int) -> str:
    return f"parley:thread:{thread_id}"


# One channel for every site's moderation news that is not a status change (a reader's report
# below the hold threshold); status changes reach moderators through the thread channels. It is
# named under the thread channels' prefix so that the stream hub's one pattern subscription
# (``parley:thread:*``) carries it too; no thread has this id, so no reader listens to it.
MODERATION_CHANNEL = "parley:thread:moderation"


def announce_to_moderators(conn: redis.Redis, site_id: int, comment_id: int, event: str) -> None:
    """Tell the site's open moderation queues that ``comment_id`` has news (``event``)."""
    try:
        conn.publish(
            MODERATION_CHANNEL, json.dumps({"site": site_id, "id": comment_id, "event": event})
        )
    except (redis.RedisError, OSError) as error:
        log.warning("could not announce %s on comment %s: %s", event, comment_id, error)


def announce_decision(conn: redis.Redis, comment_id: int, thread_id: int, status: str) -> None:
    announce_decisions(conn, [(comment_id, thread_id, status)])


def announce_decisions(
    conn: redis.Redis,
    changes: Iterable[tuple[int, int, str]],
    *,
    threads_only: bool = False,
    gone: Collection[int] = (),
) -> None:
    """Publish every (comment id, thread id, status) in one round trip. ``threads_only``: on
    the thread channels alone, for a change the thread's readers see that is no decision (an
    author deleting a published comment), which nobody waiting on the comment should hear.
    ``gone``: the ids among them that were published before this change (a moderator removed
    them): their message says so, and the thread's streams tell readers to drop them. Only the
    compare-and-set that moved a comment knows that; a held comment never shown stays unsaid."""
    changes = list(changes)
    if not changes:
        return
    try:
        pipe = conn.pipeline(transaction=False)
        for comment_id, thread_id, status in changes:
            news: dict = {"id": comment_id, "status": status}
            if comment_id in gone:
                news["gone"] = True
            message = json.dumps(news)
            if not threads_only:
                pipe.publish(comment_channel(comment_id), message)
            pipe.publish(thread_channel(thread_id), message)
        pipe.execute()
    except (redis.RedisError, OSError) as error:
        log.warning("could not announce comments %s: %s", [c for c, _, _ in changes][:20], error)


def decision_of(data: bytes | str) -> tuple[int, bool] | None:
    """(comment id, whether it left the published page) of a thread channel's message."""
    try:
        news = json.loads(data)
        return int(news["id"]), news.get("gone") is True
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def subscribe(conn: redis.Redis, channel: str) -> redis.client.PubSub | None:
    """A subscription to ``channel``, or None when Redis is unavailable (listeners then poll)."""
    try:
        pubsub = conn.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(channel)
        return pubsub
    except (redis.RedisError, OSError):
        return None


def close_quietly(pubsub: redis.client.PubSub | None) -> None:
    """Close a subscription; a Redis already gone has nothing left to close."""
    if pubsub is None:
        return
    try:
        pubsub.close()
    except (redis.RedisError, OSError):
        pass
