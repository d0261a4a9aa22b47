"""Comment statuses and who may move a comment from where to where."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    HELD = "held"
    SPAM = "spam"
    REJECTED = "rejected"


# The worker decides once, from pending.
WORKER_TRANSITIONS = {Status.PENDING: {Status.PUBLISHED, Status.HELD, Status.SPAM}}

# Moderator actions: the status they lead to and the statuses they may start from.
# Repeating an action on a comment already in its target status is a no-op (200),
# anything else outside this table is an impossible transition (409).
MODERATOR_ACTIONS: dict[str, tuple[Status, frozenset[Status]]] = {
    "approve": (
        Status.PUBLISHED,
        frozenset({Status.HELD, Status.SPAM, Status.REJECTED, Status.PENDING}),
    ),
    "reject": (
        Status.REJECTED,
        frozenset({Status.HELD, Status.PUBLISHED, Status.PENDING, Status.SPAM}),
    ),
    "spam": (
        Status.SPAM,
        frozenset({Status.HELD, Status.PUBLISHED, Status.PENDING, Status.REJECTED}),
    ),
    # "Not spam" puts a comment back in front of people: published.
    "ham": (Status.PUBLISHED, frozenset({Status.SPAM})),
}

ALL_STATUSES = tuple(s.value for s in Status)
