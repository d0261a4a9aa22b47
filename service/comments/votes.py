"""Votes on comments: one per reader, up (and down where the site allows), changeable.

A vote is the reader's current opinion, not an event: sending the same vote again changes
nothing (a replayed request cannot add a second vote), ``0`` takes it back. The tallies on the
comment are recounted from the votes in the same transaction, so they never drift. Guests on
one network may cast only a few votes on a comment (``GUEST_VOTES_PER_ADDRESS``): a new guest
token per vote does not make a crowd. Signed-in readers do not vote on their own comments.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.readers import Reader
from service.comments.reading import thread_changed
from service.errors import ApiError
from service.models import Comment, CommentVote
from service.policy import Policy
from service.status import Status

# A household or an office shares an address; more guests than this on one comment do not.
GUEST_VOTES_PER_ADDRESS = 5


@dataclass(frozen=True)
class VoteOutcome:
    votes: int
    score: int | None
    value: int


def cast_vote(
    session: Session, comment: Comment, reader: Reader, value: int, policy: Policy
) -> VoteOutcome:
    """Record the reader's vote and flush; the caller commits."""
    if comment.status != Status.PUBLISHED or comment.deleted_at is not None:
        raise ApiError("not_found", f"no comment {comment.id}")
    if value == -1 and not policy.down_votes:
        raise ApiError("validation_failed", "value: this site takes up votes only", field="value")
    if reader.identity is not None and reader.identity.id == comment.identity_id:
        raise ApiError("forbidden", "you cannot vote on your own comment")
    mine = (CommentVote.comment_id == comment.id, CommentVote.voter == reader.key)
    existing = session.scalar(sa.select(CommentVote).where(*mine))
    if value == 0:
        if existing is not None:
            session.delete(existing)
    elif existing is not None:
        existing.value = value
    else:
        if reader.identity is None and reader.ip_hash:
            same_address = session.scalar(
                sa.select(sa.func.count())
                .select_from(CommentVote)
                .where(CommentVote.comment_id == comment.id, CommentVote.ip_hash == reader.ip_hash)
            )
            if (same_address or 0) >= GUEST_VOTES_PER_ADDRESS:
                raise ApiError("forbidden", "too many votes on this comment from your network")
        try:
            with session.begin_nested():
                session.add(
                    CommentVote(
                        comment_id=comment.id, voter=reader.key, value=value, ip_hash=reader.ip_hash
                    )
                )
        except IntegrityError:
            # The same reader's other request won the race: theirs is the vote to update.
            session.execute(sa.update(CommentVote).where(*mine).values(value=value))
    session.flush()
    _recount(session, comment.id)
    thread_changed(session, comment.thread_id)
    session.refresh(comment)
    up, down = comment.votes_up, comment.votes_down
    return VoteOutcome(votes=up, score=up - down if policy.down_votes else None, value=value)


def _recount(session: Session, comment_id: int) -> None:
    def tally(v: int):
        return (
            sa.select(sa.func.count())
            .select_from(CommentVote)
            .where(CommentVote.comment_id == comment_id, CommentVote.value == v)
            .scalar_subquery()
        )

    session.execute(
        sa.update(Comment)
        .where(Comment.id == comment_id)
        .values(votes_up=tally(1), votes_down=tally(-1))
    )
