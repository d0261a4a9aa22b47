"""HTTP face of what readers do besides commenting: vote, edit and delete their own, report,
like the page, preview; and the moderators' pins, thread closing and report dismissal."""

from __future__ import annotations

from flask import Blueprint, request

from service.access import current_actor, require_moderator, require_moderator_of
from service.api import endpoint
from service.comments import challenge, edits, likes, pins, reports, votes
from service.comments.closing import set_closed, thread_of
from service.comments.reader_schemas import (
    ChallengeOut,
    CloseIn,
    CloseOut,
    DeleteOut,
    DismissOut,
    EditIn,
    EditOut,
    EditOutItem,
    HistoryOut,
    LikeIn,
    LikeOut,
    PinIn,
    PinOut,
    PreviewIn,
    PreviewOut,
    ReportIn,
    ReportOut,
    VoteIn,
    VoteOut,
)
from service.comments.readers import current_reader
from service.comments.reading import comment_key, comment_out
from service.comments.submit import get_or_create_thread
from service.comments.views import check_thread_url
from service.errors import ApiError
from service.models import Comment, Site
from service.runtime import current_runtime
from service.schemas import SiteQuery
from service.sites import check_origin, get_site, policy_of
from service.text import render_markdown

bp = Blueprint("readers", __name__, url_prefix="/api/v1")


def _comment(session, comment_id: int) -> Comment:
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise ApiError("not_found", f"no comment {comment_id}")
    return comment


def _comment_from_its_page(rt, session, comment_id: int) -> tuple[Comment, Site]:
    """The comment a reader acts on, and its site, once the request is known to come from a
    page the site allows (the same origin check as posting)."""
    comment = _comment(session, comment_id)
    site = comment.thread.site
    check_origin(site, request.headers.get("Origin"), rt.settings.web.base_url)
    return comment, site


@endpoint(
    bp,
    "/comments/<int:comment_id>/vote",
    "POST",
    summary="Vote on a published comment: 1 up, -1 down (if the site allows), 0 takes it back. "
    "One vote per reader (signed-in: their identity; guests: X-Parley-Guest plus address); "
    "sending the same vote again changes nothing",
    body=VoteIn,
    responses={200: VoteOut},
    errors=(401, 403, 404),
)
def vote(comment_id: int, body: VoteIn):
    rt = current_runtime()
    with rt.session() as session:
        comment, site = _comment_from_its_page(rt, session, comment_id)
        reader = current_reader(session, rt, site)
        outcome = votes.cast_vote(
            session, comment, reader, body.value, policy_of(site, strict=False)
        )
        session.commit()
    return VoteOut(
        id=comment_id, value=body.value, votes=outcome.votes, score=outcome.score
    ).model_dump()


@endpoint(
    bp,
    "/comments/<int:comment_id>",
    "PATCH",
    summary="The author changes their comment within the site's edit window (reader token, or "
    "the comment's secret in X-Parley-Comment-Secret); it is checked again, like a new one",
    body=EditIn,
    responses={200: EditOut},
    errors=(401, 403, 404, 409),
)
def edit(comment_id: int, body: EditIn):
    rt = current_runtime()
    with rt.session() as session:
        comment, site = _comment_from_its_page(rt, session, comment_id)
        edits.authorize_author(session, rt, comment, policy_of(site, strict=False))
        comment = edits.edit_comment(rt, session, comment, body.body)
        session.commit()
        out = comment_out(comment, comment.thread.key, public=False)
    key = comment_key(rt.settings.secret_key, comment_id)
    return EditOut(comment=out, key=key).model_dump(mode="json")


@endpoint(
    bp,
    "/comments/<int:comment_id>",
    "DELETE",
    summary="The author deletes their comment within the site's edit window (reader token, or "
    "X-Parley-Comment-Secret); with published replies it stays as a tombstone",
    responses={200: DeleteOut},
    errors=(401, 403, 404, 409),
)
def delete_own(comment_id: int):
    rt = current_runtime()
    with rt.session() as session:
        comment, site = _comment_from_its_page(rt, session, comment_id)
        edits.authorize_author(session, rt, comment, policy_of(site, strict=False))
        done = edits.delete_own(rt, session, comment)
        session.commit()
    return DeleteOut(id=done.id, tombstone=done.tombstone).model_dump()


@endpoint(
    bp,
    "/comments/<int:comment_id>/report",
    "POST",
    summary="Flag a published comment (spam, abuse, off_topic, other; optional note). One "
    "report per reader; at the site's report_threshold the comment is held for moderators",
    body=ReportIn,
    responses={200: ReportOut},
    errors=(401, 403, 404),
)
def report(comment_id: int, body: ReportIn):
    rt = current_runtime()
    with rt.session() as session:
        comment, site = _comment_from_its_page(rt, session, comment_id)
        reader = current_reader(session, rt, site)
        outcome = reports.file_report(
            rt, session, comment, reader, body.reason, body.note, policy_of(site, strict=False)
        )
        session.commit()
    # Whether it was held is the moderators' business: the reporter learns only "thanks".
    return ReportOut(id=comment_id, duplicate=outcome.duplicate).model_dump()


@endpoint(
    bp,
    "/comments/<int:comment_id>/pin",
    "POST",
    summary="A moderator pins (or, with pinned=false, unpins) a published comment to the top "
    "of its thread",
    body=PinIn,
    responses={200: PinOut},
    auth=True,
    errors=(401, 403, 404, 409),
)
def pin(comment_id: int, body: PinIn):
    rt = current_runtime()
    with rt.session() as session:
        comment, actor = require_moderator_of(session, Comment, comment_id, "comment")
        changed = pins.set_pinned(session, comment, body.pinned, actor.label)
        session.commit()
    return PinOut(id=comment_id, pinned=body.pinned, changed=changed).model_dump()


@endpoint(
    bp,
    "/moderation/comments/<int:comment_id>/reports/dismiss",
    "POST",
    summary="A moderator dismisses a comment's open reports (approve it separately if held)",
    responses={200: DismissOut},
    auth=True,
    errors=(401, 403, 404),
)
def dismiss_reports(comment_id: int):
    rt = current_runtime()
    with rt.session() as session:
        comment, actor = require_moderator_of(session, Comment, comment_id, "comment")
        count = reports.dismiss_reports(session, comment, actor.label)
        session.commit()
    return DismissOut(id=comment_id, dismissed=count).model_dump()


@endpoint(
    bp,
    "/moderation/comments/<int:comment_id>/history",
    "GET",
    summary="A comment's earlier versions, before each of its author's edits",
    responses={200: HistoryOut},
    auth=True,
    errors=(401, 403, 404),
)
def edit_history(comment_id: int):
    rt = current_runtime()
    with rt.session() as session:
        comment, _actor = require_moderator_of(session, Comment, comment_id, "comment")
        items = [
            EditOutItem(
                body_source=e.body_source,
                body_html=e.body_html,
                status=e.status,
                replaced_at=e.created_at,
            )
            for e in edits.history(session, comment_id)
        ]
        out = HistoryOut(
            id=comment_id, edits=items, body_source=comment.body_source, edited_at=comment.edited_at
        )
    return out.model_dump(mode="json")


@endpoint(
    bp,
    "/threads/like",
    "POST",
    summary="Like the page a thread belongs to (value 1) or take the like back (0); one per reader",
    body=LikeIn,
    responses={200: LikeOut},
    errors=(401, 404),
)
def like(body: LikeIn):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, body.site, field="site")
        check_origin(site, request.headers.get("Origin"), rt.settings.web.base_url)
        check_thread_url(body.url, site.allowed_origins or [], rt.settings.web.base_url)
        reader = current_reader(session, rt, site)
        # A page may be liked before anyone comments on it.
        thread = get_or_create_thread(session, site, body.thread, body.title, body.url)
        likes.set_like(session, thread, reader, body.value)
        session.commit()
        out = LikeOut(
            thread=body.thread, value=body.value, likes=likes.thread_likes(session, thread)
        )
    return out.model_dump(mode="json")


@endpoint(
    bp,
    "/threads/close",
    "POST",
    summary="A moderator closes a thread to new comments (closed=false reopens it)",
    body=CloseIn,
    responses={200: CloseOut},
    auth=True,
    errors=(401, 403, 404),
)
def close(body: CloseIn):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)
        site = get_site(session, body.site, field="site")
        actor = require_moderator(session, site.id)
        thread = thread_of(session, site.id, body.thread)
        if thread is None:
            raise ApiError("not_found", f"no thread {body.thread!r} on site {site.slug!r}")
        changed = set_closed(session, thread, body.closed, actor.label)
        session.commit()
    return CloseOut(thread=body.thread, closed=body.closed, changed=changed).model_dump()


@endpoint(
    bp,
    "/preview",
    "POST",
    summary="The HTML a comment body would be stored as: the server's own Markdown renderer "
    "and sanitizer",
    body=PreviewIn,
    responses={200: PreviewOut},
)
def preview(body: PreviewIn):
    return PreviewOut(html=render_markdown(body.body)).model_dump()


@endpoint(
    bp,
    "/challenge",
    "GET",
    summary="A proof-of-work challenge (ALTCHA, SHA-256) for the site's comment form: find "
    "number with SHA-256(salt + number) == challenge, send the payload as client.challenge",
    query=SiteQuery,
    responses={200: ChallengeOut},
    errors=(404,),
)
def new_challenge(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        made = challenge.new_challenge(rt.settings.secret_key, site)
    return ChallengeOut(maxnumber=made.pop("maxNumber"), **made).model_dump()
