"""HTTP face of the widget: its scripts, the live-update stream and the demo article."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, request

from service.api import endpoint
from service.errors import ApiError
from service.models import Thread
from service.runtime import current_runtime
from service.security_headers import csp_nonce, use_policy
from service.sites import get_site
from service.sse import event_stream, open_stream
from service.widget import assets
from service.widget.demo import demo_policy, render_demo
from service.widget.hub import StreamSpec
from service.widget.live import ThreadEventsQuery, ThreadStream

bp = Blueprint("widget", __name__)

# The script URLs are not versioned (sites paste them once), so browsers and CDNs keep them
# briefly and then revalidate with the ETag: a fix reaches every site within minutes.
SCRIPT_MAX_AGE = 600


def _serve_script(name: str) -> Response:
    asset = assets.script(name)
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    response = Response(asset.gzipped if gzip_ok else asset.body)
    response.mimetype = "text/javascript"
    response.charset = "utf-8"
    if gzip_ok:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={SCRIPT_MAX_AGE}"
    # Any page may load the scripts; they carry no secrets and read no cookies.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(asset.etag + ("-gz" if gzip_ok else ""))
    return response.make_conditional(request)


@bp.get("/embed.js")
def embed_js():
    return _serve_script("embed.js")


@bp.get("/count.js")
def count_js():
    return _serve_script("count.js")


@endpoint(
    bp,
    "/api/v1/threads/events",
    "GET",
    summary="Server-Sent Events (text/event-stream): comments published in a thread from now on",
    query=ThreadEventsQuery,
    responses={200: None},
    errors=(404, 429),
)
def thread_events(query: ThreadEventsQuery):
    rt = current_runtime()
    with rt.session() as session:
        site_id = get_site(session, query.site).id
        known = session.scalar(
            sa.select(Thread.id).where(Thread.site_id == site_id, Thread.key == query.thread)
        )
    if known is None:
        # No comment yet, so nothing can arrive soon: hold no thread, and let the
        # browser come back in a minute (EventSource reconnects after ``retry``).
        return event_stream(iter([f"retry: {QUIET_THREAD_RETRY_MS}\n\n"]))
    adopt, give_back, after = open_stream(rt, query.after)
    config = rt.settings.widget
    if adopt is not None:
        # Served by the process's stream hub once this answer's headers are out: no thread
        # is held (service.gunicorn_worker, service.widget.hub).
        adopt(
            rt,
            StreamSpec(
                known, query.thread, after, config.sse_lifetime, config.sse_heartbeat, give_back
            ),
        )
        return event_stream(iter(()))
    stream = ThreadStream(
        rt, site_id, query.thread, after, config.sse_lifetime, config.sse_heartbeat
    )
    response = event_stream(stream.events())
    # The WSGI server closes the response however the stream ends (done, client gone).
    response.call_on_close(give_back)
    return response


# How long the browser waits before asking again about a thread with no comments.
QUIET_THREAD_RETRY_MS = 60_000


@bp.get("/demo")
def demo():
    rt = current_runtime()
    # A made-up blog has no place on a production comment server.
    if rt.settings.is_production:
        raise ApiError("not_found", "the demo is served in development only")
    html = render_demo(
        "keeping-doors-open",
        parley=rt.settings.web.base_url,
        other=rt.settings.widget.demo_origin + "/the-quiet-garden",
        lang=request.args.get("lang", "en"),
        theme=request.args.get("theme"),
        nonce=csp_nonce(),
    )
    captcha = rt.settings.captcha
    use_policy(**demo_policy(rt.settings.web.base_url, captcha.provider if captcha else None))
    return Response(html, mimetype="text/html")
