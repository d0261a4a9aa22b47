"""Atom feeds of a thread's and a site's newest published comments.

``GET /api/v1/feeds/comments.atom?site=S[&thread=K]``: the 50 newest published, undeleted
comments of the thread (or of the whole site), newest first, as Atom 1.0 (RFC 4287). Each
entry links to its permalink (``#parley-comment-ID`` on the thread's page, checked by
``safe_url``) and carries the stored, sanitized HTML. Built with ElementTree, which escapes
every value; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import sqlalchemy as sa
from flask import Blueprint, Response, request
from pydantic import ConfigDict, Field
from sqlalchemy.orm import joinedload

from service.api import endpoint
from service.models import Comment, Thread
from service.runtime import current_runtime
from service.schemas import Slug, Strict, ThreadKey
from service.sites import get_site
from service.status import Status
from service.urls import safe_url

# ElementTree on first use (feeds are read rarely), not in every web process.
if TYPE_CHECKING:
    from xml.etree import ElementTree as ET

bp = Blueprint("feeds", __name__, url_prefix="/api/v1/feeds")
ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class FeedQuery(Strict):
    model_config = ConfigDict(extra="ignore", strict=False)
    site: Slug
    # Missing: the whole site's newest comments.
    thread: ThreadKey | None = None
    limit: Annotated[int, Field(ge=1, le=ENTRIES)] = ENTRIES


def _text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    from xml.etree import ElementTree as ET

    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _text(text)
    return el


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_feed(base_url: str, site, thread: Thread | None, comments: list[Comment]) -> bytes:
    from xml.etree import ElementTree as ET

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    scope = f"thread {thread.key}" if thread else "site"
    _sub(feed, "id", f"{base_url}/api/v1/feeds/comments.atom?site={site.slug}#{scope}")
    title = (thread.title or thread.key) if thread else site.name
    _sub(feed, "title", f"Comments on {title}")
    newest = max((c.edited_at or c.created_at for c in comments), default=None)
    _sub(feed, "updated", _stamp(newest))
    _sub(feed, "link", rel="self", href=request.url)
    page = safe_url(thread.url) if thread else None
    if page:
        _sub(feed, "link", rel="alternate", href=page)
    _sub(feed, "generator", "Parley")
    for c in comments:
        entry = _sub(feed, "entry")
        name = (c.identity.name if c.identity else c.author_name) or "Anonymous"
        on = c.thread.title or c.thread.key
        _sub(entry, "id", f"{base_url}/api/v1/comments/{c.id}")
        _sub(entry, "title", f"{name} on {on}")
        _sub(entry, "published", _stamp(c.created_at))
        _sub(entry, "updated", _stamp(c.edited_at or c.created_at))
        author = _sub(entry, "author")
        _sub(author, "name", name)
        link = safe_url(f"{c.thread.url}#parley-comment-{c.id}") if c.thread.url else None
        if link:
            _sub(entry, "link", rel="alternate", href=link)
        _sub(entry, "content", c.body_html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@endpoint(
    bp,
    "/comments.atom",
    "GET",
    summary="An Atom feed of a thread's (thread=) or the whole site's newest published "
    "comments (application/atom+xml)",
    query=FeedQuery,
    responses={200: None},
    errors=(404,),
)
def comments_feed(query: FeedQuery):
    rt = current_runtime()
    with rt.session() as session:
        site = get_site(session, query.site)
        where = [
            Comment.site_id == site.id,
            Comment.status == Status.PUBLISHED,
            Comment.deleted_at.is_(None),
        ]
        thread = None
        if query.thread is not None:
            thread = session.scalar(
                sa.select(Thread).where(Thread.site_id == site.id, Thread.key == query.thread)
            )
            where.append(Comment.thread_id == (thread.id if thread else -1))
        comments = session.scalars(
            sa.select(Comment)
            .options(joinedload(Comment.identity), joinedload(Comment.thread))
            .where(*where)
            .order_by(Comment.id.desc())
            .limit(query.limit)
        ).all()
        if thread is None and query.thread is not None:
            thread = Thread(site_id=site.id, key=query.thread)
        body = render_feed(rt.settings.web.base_url, site, thread, list(comments))
    return Response(body, mimetype="application/atom+xml")
