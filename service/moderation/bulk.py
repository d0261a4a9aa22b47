"""bulk_apply: one action on many comments, in one transaction, with a result per id.

A comment that cannot take the action (already moved by someone else, an
impossible transition, another site's comment, gone) is reported in its own
result and does not stop the others: clearing a spam wave must not fail
because one comment in it was approved a second ago. Nothing is written for
a failed id (the actions raise before they write), so the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from service.access import Actor
from service.errors import ApiError
from service.models import Ban, Comment
from service.moderation.actions import Outcome, apply_action
from service.moderation.bans import ban_author, ban_keys
from service.moderation.deletion import delete_comment
from service.status import MODERATOR_ACTIONS, Status

# "ban" bans each comment's author and files the comment as spam.
BULK_ACTIONS = (*MODERATOR_ACTIONS, "delete", "ban")
MAX_IDS = 500


@dataclass(frozen=True)
class ItemResult:
    id: int
    ok: bool
    from_status: str | None = None
    status: str | None = None
    changed: bool = False
    thread_id: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    ban_id: int | None = None


def act_on(
    session: Session,
    comment: Comment,
    action: str,
    actor: Actor,
    site_id: int,
    *,
    expires_in_days: int | None = None,
    reason: str | None = None,
    mark_spam: bool = True,
) -> tuple[Outcome, tuple[Ban, bool] | None]:
    """Apply one dashboard/API action to one comment; (outcome, (ban, created) for "ban")."""
    if action == "delete":
        return delete_comment(session, comment, actor, site_id), None
    if action == "ban":
        # Everything that can refuse does so before anything is written.
        ban_keys(comment)
        outcome = Outcome(comment.id, comment.status, comment.status, False)
        if mark_spam and comment.status != Status.SPAM:
            outcome = apply_action(session, comment, "spam", actor, site_id)
        ban = ban_author(
            session, comment, actor, site_id, expires_in_days=expires_in_days, reason=reason
        )
        return outcome, ban
    return apply_action(session, comment, action, actor, site_id), None


def bulk_apply(
    session: Session, ids: list[int], action: str, actor: Actor, **options
) -> list[ItemResult]:
    ids = list(dict.fromkeys(ids))  # once each, in the caller's order
    comments = {
        c.id: c
        for c in session.scalars(
            sa.select(Comment).options(joinedload(Comment.thread)).where(Comment.id.in_(ids))
        )
    }
    results = []
    for comment_id in ids:
        comment = comments.get(comment_id)
        if comment is None:
            results.append(
                ItemResult(
                    comment_id,
                    False,
                    error_code="not_found",
                    error_message=f"no comment {comment_id}",
                )
            )
            continue
        site_id = comment.thread.site_id
        if not actor.may_moderate(site_id):
            results.append(
                ItemResult(
                    comment_id,
                    False,
                    error_code="forbidden",
                    error_message="you are not a moderator of this comment's site",
                )
            )
            continue
        thread_id = comment.thread_id
        try:
            outcome, ban = act_on(session, comment, action, actor, site_id, **options)
        except ApiError as error:
            results.append(
                ItemResult(
                    comment_id,
                    False,
                    from_status=comment.status,
                    status=comment.status,
                    thread_id=thread_id,
                    error_code=error.code,
                    error_message=error.message,
                )
            )
            continue
        results.append(
            ItemResult(
                comment_id,
                True,
                outcome.from_status,
                outcome.to_status,
                outcome.changed,
                thread_id,
                ban_id=ban[0].id if ban else None,
            )
        )
    return results
