"""The "newest" and "top" orders of a thread, replies kept under their parents.

"top" ranks top-level comments by the lower bound of the Wilson score interval (95%) of their
up votes among all their votes: the proportion of readers who liked a comment, discounted by
how few have voted. One early vote is weak evidence (1 up of 1 ranks at 0.21, below 4 of 5 at
0.38 and 10 of 12 at 0.55), so a comment does not stay on top just because it was first to be
seen and voted on. With down votes off every vote is up and the bound grows with their count.
Ties (no votes) go to the newer comment. Pinned comments come before either order.

Replies follow their parent in conversation order (oldest first at each level), so a page
never splits a conversation from its start; pages are counted in top-level comments.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from service.models import Comment

Z = 1.96  # 95% confidence


def wilson_lower_bound(up: int, down: int, z: float = Z) -> float:
    n = up + down
    if n <= 0:
        return 0.0
    p = up / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)
    return (centre - spread) / (1 + z * z / n)


def _rank_key(sort: str):
    if sort == "newest":
        return lambda c: (not c.pinned, -c.id)
    return lambda c: (not c.pinned, -wilson_lower_bound(c.votes_up or 0, c.votes_down or 0), -c.id)


def page(
    rows: Sequence[Comment], sort: str, after: int, limit: int
) -> tuple[list[Comment], int | None]:
    """``rows`` the thread's shown comments by id; the page of top-level comments from offset
    ``after`` with their replies, and the next offset (None at the end)."""
    ids = {c.id for c in rows}
    children: dict[int, list[Comment]] = {}
    roots = []
    for c in rows:
        if c.parent_id is not None and c.parent_id in ids:
            children.setdefault(c.parent_id, []).append(c)
        else:
            roots.append(c)
    roots.sort(key=_rank_key(sort))
    chosen = roots[after : after + limit]
    out: list[Comment] = []
    for root in chosen:
        stack = [root]
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(reversed(children.get(c.id, [])))
    more = after + limit < len(roots)
    return out, (after + limit if more else None)
