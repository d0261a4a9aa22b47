"""HTTP face of comments. Thin: parse, authorize, call a use case, shape the reply."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import Blueprint, Response, jsonify, request

from service.api import endpoint
from service.auth.readers import reader_identity
from service.comments import cache, challenge, reading
from service.comments.closing import closes_at, is_closed, thread_of
from service.comments.edits import comment_secret
from service.comments.likes import like_counts, thread_likes
from service.comments.render_token import issue_render_token
from service.comments.schemas import (
    Captcha,
    CommentCreated,
    CommentIn,
    CommentStatusEnvelope,
    CommentStatusOnly,
    CommentStatusQuery,
    Counts,
    CountsQuery,
    RenderTokenOut,
    RenderTokenQuery,
    ThreadPage,
    ThreadQuery,
)
from service.comments.submit import (
    Submitter,
    check_submission,
    comment_row,
    insert_rows,
    prepare,
    site_and_thread,
)
from service.enqueue import enqueue_moderation, enqueue_moderations
from service.errors import ApiError
from service.metrics import metrics
from service.models import Comment, utcnow
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
        site, thread = site_and_thread(session, body.site, body.thread)
        check_origin(site, request.headers.get("Origin"), rt.settings.web.base_url)
        check_thread_url(body.url, site.allowed_origins or [], rt.settings.web.base_url)
        identity = reader_identity(session, rt.settings.secret_key, site)
        who = Submitter(request.remote_addr, request.headers.get("User-Agent"), identity)
        asked = challenge.check(rt, session, site, body, identity)
        # Checks, rendering and hashing first, reading only: writers queue for the database
        # only to insert and commit.
        checked = check_submission(rt, session, site, body, who, thread)
        row = comment_row(
            rt,
            site,
            body,
            who,
            checked,
            prepare(body),
            # Why a challenge was asked, for moderators reading the signals.
            {"challenge": asked} if asked else None,
        )
        if session.new or session.dirty or session.deleted:
            # A challenge solution was spent: it commits with the comment, or not at all.
            with rt.writing():
                (comment,) = insert_rows(session, [row])
                session.commit()
            enqueue_moderation(rt.queue, rt.settings, comment.id)
        else:
            # Its read transaction ends here (its connection back to the pool); the row is
            # committed with those of the other requests of the moment, in one transaction,
            # and their checks enqueued in one round trip (service.group_commit).
            session.commit()
            comment = rt.submits.store(rt, row, insert_rows, partial(_enqueue, rt))
        metrics().submitted.inc()
        out = reading.comment_out(comment, body.thread, public=False)
        key = reading.comment_key(rt.settings.secret_key, comment.id)
        # The token just spent vouched for this comment only; the reader's next one needs its own.
        token = issue_render_token(rt.settings.secret_key, site.id, body.thread)
    secret = comment_secret(rt.settings.secret_key, comment.id)
    created = CommentCreated(comment=out, key=key, secret=secret, render_token=token)
    return created.model_dump(mode="json"), 202


def _enqueue(rt, comments: list[Comment]) -> None:
    enqueue_moderations(rt.queue, rt.settings, [comment.id for comment in comments])


def check_thread_url(url: str | None, origins: list[str], own_origin: str) -> None:
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
    "A published comment is shown in full to anyone; an unpublished one in full (its real "
    "status, thread, parent, time) to its author (key=, or their reader token) and the site's "
    'moderators, and to anyone else only as {"id", "status"} with status "pending" or "held" '
    "(spam and rejected read held): no text, author, thread or reasons. 404: no such comment.",
    query=CommentStatusQuery,
    responses={200: CommentStatusEnvelope},
    errors=(404, 429),
)
def get_comment(comment_id: int, query: CommentStatusQuery):
    rt = current_runtime()
    wait = min(query.wait, rt.settings.web.max_wait_seconds)
    if wait > 0:
        # A status wait ends within PARLEY_MAX_WAIT and only while its comment is pending, so
        # one client (a site's own backend, a load test behind one address) may hold as many
        # as the process lends to waiting at all; the total cap still keeps half the threads
        # for the API. Live streams keep their per-client cap.
        give_back = rt.waiting.take(
            request.remote_addr or "", "status waits", per_client=rt.waiting.total
        )
        try:
            # Asks for the row first: an id that does not exist is a 404 at once, no wait.
            if reading.wait_for_decision(rt, comment_id, wait) is None:
                raise ApiError("not_found", f"no comment {comment_id}")
        finally:
            give_back()
    with rt.session() as session:
        found = reading.comment_with_thread_key(session, comment_id)
        if found is None:
            raise ApiError("not_found", f"no comment {comment_id}")
        comment, thread_key = found
        if reading.may_see_status(session, rt.settings.secret_key, comment, query.key):
            out = reading.comment_out(comment, thread_key)
        else:
            out = CommentStatusOnly(id=comment.id, status=reading.public_status(comment.status))
    return CommentStatusEnvelope(comment=out).model_dump(mode="json")


@endpoint(
    bp,
    "/comments",
    "GET",
    summary="A thread's published comments (sort=oldest|newest|top, replies under their "
    "parents, pinned first) with votes, pins, edits and tombstones, and the page's likes. "
    "Cacheable: a strong ETag (If-None-Match answers 304), Cache-Control public with "
    "stale-while-revalidate, and Surrogate-Key / Cache-Tag naming the thread for a CDN purge",
    query=ThreadQuery,
    responses={200: ThreadPage},
    errors=(404,),
)
def list_comments(query: ThreadQuery):
    rt = current_runtime()
    closing: list[datetime | None] = [None]

    def build() -> bytes:
        with rt.session() as session:
            site = get_site(session, query.site)
            policy = policy_of(site, strict=False)
            sort = query.sort or policy.default_sort
            comments, total, next_cursor = reading.thread_page(
                session,
                site.id,
                query.thread,
                query.after,
                query.limit,
                sort,
                down_votes=policy.down_votes,
            )
            thread = thread_of(session, site.id, query.thread)
            closing[0] = closes_at(thread, policy)
            page = ThreadPage(
                thread=query.thread,
                closes_at=closing[0],
                comments=comments,
                total=total,
                next_cursor=next_cursor,
                max_depth=policy.max_depth,
                sort=sort,
                down_votes=policy.down_votes,
                closed=thread is not None and is_closed(thread, policy),
                edit_window_minutes=max(0, policy.edit_window_minutes),
                challenge=policy.challenge,
                captcha=_captcha_out(rt.settings.captcha),
                likes=thread_likes(session, thread),
            )
        return page.model_dump_json().encode()

    # Every query parameter but the site and thread picks a variant of the thread's page.
    variant = cache.variant_of(query.model_dump(exclude={"site", "thread"}))

    def lifetime() -> float | None:
        return None if closing[0] is None else (closing[0] - utcnow()).total_seconds()

    etag, body = cache.cached_page(rt.redis, query.site, query.thread, variant, build, lifetime)
    closes = cache.closes_at_in(body)
    if closes is not None and closes <= utcnow():
        # Built before the thread closed by age (a policy changed since): answer the truth.
        body = build()
        etag, closes = cache.etag_of(body), None
    keys = [cache.surrogate_key(query.site, query.thread)]
    return _public_json(rt, body, keys, query.site, etag, closes)


def _captcha_out(config) -> Captcha | None:
    if config is None:
        return None
    return Captcha(provider=config.provider, site_key=config.site_key, script=config.script_url)


@endpoint(
    bp,
    "/counts",
    "GET",
    summary="Published comment counts and page likes for one or more threads (repeat "
    "thread=); cacheable as the thread listing is",
    query=CountsQuery,
    responses={200: Counts},
    errors=(404,),
)
def counts(query: CountsQuery):
    rt = current_runtime()
    keys = list(dict.fromkeys(query.thread))

    def count(missing: list[str]) -> dict[str, tuple[int, int]]:
        with rt.session() as session:
            site_id = get_site(session, query.site).id
            comments = reading.published_counts(session, site_id, missing)
            likes = like_counts(session, site_id, missing)
        return {k: (comments[k], likes[k]) for k in missing}

    # A warm answer is one Redis round trip: counts and likes are cached together, and an
    # unknown site is a 404 only on a miss (a cached site exists).
    result = cache.cached_counts(rt.redis, query.site, keys, count)
    body = Counts(
        counts={k: result[k][0] for k in keys}, likes={k: result[k][1] for k in keys}
    ).model_dump_json()
    return _public_json(
        rt, body.encode(), [cache.surrogate_key(query.site, k) for k in keys], query.site
    )


def _public_json(
    rt,
    body: bytes,
    surrogate_keys: list[str],
    site_slug: str,
    etag: str | None = None,
    closes: datetime | None = None,
) -> Response:
    """A public, cacheable JSON answer: strong ETag (304 on a match), Cache-Control, and the
    surrogate keys a CDN purges by (``service.comments.freshness``). A page that changes at
    ``closes`` (a thread closing by age, which no purge announces) is kept by browsers and
    CDNs, stale or not, no longer than that."""
    web = rt.settings.web
    response = Response(body, mimetype="application/json")
    response.set_etag(etag or cache.etag_of(body))
    left = None if closes is None else max(0, int((closes - utcnow()).total_seconds()))
    response.headers["Cache-Control"] = cache.public_cache_control(web, left)
    tags = " ".join([*surrogate_keys, cache.site_surrogate_key(site_slug)])
    response.headers["Surrogate-Key"] = tags  # Fastly's name
    response.headers["Cache-Tag"] = tags.replace(" ", ",")  # Cloudflare's
    return response.make_conditional(request)


@endpoint(
    bp,
    "/render-token",
    "GET",
    summary="A signed render token for the thread's comment form (the widget asks when the form "
    "gets focus); each one vouches for one comment",
    query=RenderTokenQuery,
    responses={200: RenderTokenOut},
    errors=(404,),
)
def render_token(query: RenderTokenQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        token = issue_render_token(rt.settings.secret_key, site.id, query.thread)
    response = jsonify(RenderTokenOut(render_token=token).model_dump(mode="json"))
    response.headers["Cache-Control"] = "no-store"
    return response
