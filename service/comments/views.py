"""HTTP face of comments. Thin: parse, authorize, call a use case, shape the reply."""

from __future__ import annotations

from flask import Blueprint, request

from service.api import endpoint
from service.auth.readers import reader_identity
from service.comments import reading
from service.comments.render_token import issue_render_token
from service.comments.schemas import (
    CommentCreated,
    CommentEnvelope,
    CommentIn,
    CommentStatusQuery,
    Counts,
    CountsQuery,
    ThreadPage,
    ThreadQuery,
)
from service.comments.submit import Submitter, submit_comment
from service.errors import ApiError
from service.metrics import metrics
from service.models import Comment
from service.runtime import current_runtime
from service.sites import check_origin, get_site, policy_of
from service.urls import on_origins, parse_url

bp = Blueprint("comments", __name__, url_prefix="/api/v1")


@endpoint(
    bp,
    "/comments",
    "POST",
    summary="Submit a comment; it is stored as pending and checked by the worker",
    body=CommentIn,
    responses={202: CommentCreated},
    errors=(401, 403, 413, 415, 429),
)
def create_comment(body: CommentIn):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, body.site, field="site")
        check_origin(site, request.headers.get("Origin"), rt.settings.web.base_url)
        _check_thread_url(body.url, site.allowed_origins or [], rt.settings.web.base_url)
        identity = reader_identity(session, rt.settings.secret_key, site)
        who = Submitter(request.remote_addr, request.headers.get("User-Agent"), identity)
        comment = submit_comment(rt, session, site, body, who)
        session.commit()
        metrics().submitted.inc()
        out = reading.comment_out(comment, body.thread, public=False)
        key = reading.comment_key(rt.settings.secret_key, comment.id)
        # The token just spent vouched for this comment only; the reader's next one needs its own.
        token = issue_render_token(rt.settings.secret_key, site.id, body.thread)
    return CommentCreated(comment=out, key=key, render_token=token).model_dump(mode="json"), 202


def _check_thread_url(url: str | None, origins: list[str], own_origin: str) -> None:
    """The thread's link must lead to the site's own pages (or Parley's, the demo's): the
    dashboard, reply mail and webhooks show it, so a guest must not aim it elsewhere."""
    parsed = parse_url(url) if url is not None else None
    if url is not None and (parsed is None or not on_origins(parsed, [*origins, own_origin])):
        raise ApiError(
            "validation_failed", "url: must be a page on one of the site's origins", field="url"
        )


@endpoint(
    bp,
    "/comments/<int:comment_id>",
    "GET",
    summary="A comment's status; with wait=S, block up to S seconds for the worker's decision. "
    "An unpublished comment is shown only to its author (key=, or their reader token) and the "
    "site's moderators; others get 404.",
    query=CommentStatusQuery,
    responses={200: CommentEnvelope},
    errors=(404, 429),
)
def get_comment(comment_id: int, query: CommentStatusQuery):
    rt = current_runtime()
    # Asked before any wait: nobody else may even time an unpublished comment's decision.
    _visible_comment(rt, comment_id, query.key)
    wait = min(query.wait, rt.settings.web.max_wait_seconds)
    if wait > 0:
        give_back = rt.waiting.take(request.remote_addr or "", "status waits")
        try:
            reading.wait_for_decision(rt, comment_id, wait)
        finally:
            give_back()
    with rt.session() as session:
        comment = _visible_comment(rt, comment_id, query.key, session)
        out = reading.comment_out(comment, comment.thread.key)
    return CommentEnvelope(comment=out).model_dump(mode="json")


def _visible_comment(rt, comment_id: int, key: str | None, session=None) -> Comment:
    if session is None:
        with rt.session() as own:
            return _visible_comment(rt, comment_id, key, own)
    comment = session.get(Comment, comment_id)
    if comment is None or not reading.may_see_status(session, rt.settings.secret_key, comment, key):
        raise ApiError("not_found", f"no comment {comment_id}")
    return comment


@endpoint(
    bp,
    "/comments",
    "GET",
    summary="A thread's published comments, oldest first, with parent ids",
    query=ThreadQuery,
    responses={200: ThreadPage},
    errors=(404,),
)
def list_comments(query: ThreadQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        comments, total, next_cursor = reading.thread_page(
            session, site.id, query.thread, query.after, query.limit
        )
        token = issue_render_token(rt.settings.secret_key, site.id, query.thread)
        max_depth = policy_of(site, strict=False).max_depth
    page = ThreadPage(
        thread=query.thread,
        comments=comments,
        total=total,
        next_cursor=next_cursor,
        render_token=token,
        max_depth=max_depth,
    )
    return page.model_dump(mode="json")


@endpoint(
    bp,
    "/counts",
    "GET",
    summary="Published comment counts for one or more threads (repeat thread=)",
    query=CountsQuery,
    responses={200: Counts},
    errors=(404,),
)
def counts(query: CountsQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        result = reading.published_counts(session, site.id, query.thread)
    return Counts(counts=result).model_dump(mode="json")
