"""HTTP face of moderation."""

from __future__ import annotations

from flask import Blueprint

from service.api import endpoint
from service.errors import ApiError
from service.events import announce_decision
from service.models import Comment
from service.moderation.actions import apply_action
from service.moderation.access import require_moderator
from service.moderation.queue import list_queue
from service.moderation.schemas import ActionResult, QueuePage, QueueQuery
from service.runtime import current_runtime
from service.sites import get_site
from service.status import MODERATOR_ACTIONS

bp = Blueprint("moderation", __name__, url_prefix="/api/v1/moderation")


@endpoint(
    bp, "/comments", "GET",
    summary="The moderation queue, newest first, with every check's score and reason",
    query=QueueQuery, responses={200: QueuePage}, auth=True, errors=(401, 403, 404),
)
def queue(query: QueueQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        require_moderator(session, site.id)
        items, next_cursor = list_queue(session, site, query.status, query.cursor, query.limit)
    return QueuePage(comments=items, next_cursor=next_cursor).model_dump(mode="json")


@endpoint(
    bp, "/comments/<int:comment_id>/<action>", "POST",
    summary="approve, reject, spam or ham (not spam) one comment",
    responses={200: ActionResult}, auth=True, errors=(401, 403, 404, 409),
)
def act(comment_id: int, action: str):
    if action not in MODERATOR_ACTIONS:
        raise ApiError("not_found", f"unknown action {action!r}; use approve, reject, spam or ham")
    rt = current_runtime()
    with rt.session() as session:
        comment = session.get(Comment, comment_id)
        if comment is None:
            raise ApiError("not_found", f"no comment {comment_id}")
        site_id = comment.thread.site_id
        actor = require_moderator(session, site_id)
        outcome = apply_action(session, comment, action, actor, site_id)
        session.commit()
        if outcome.changed:
            announce_decision(rt.redis, comment.id, comment.thread_id, outcome.to_status)
    return ActionResult(
        id=outcome.comment_id,
        action=action,
        from_status=outcome.from_status,
        status=outcome.to_status,
        changed=outcome.changed,
    ).model_dump(mode="json")
