"""Moving out: a site's threads and comments as Parley's own JSON lines, or as a WordPress
WXR 1.2 file (which WordPress's importer and Disqus's XML import accept).

Both are written as the rows are read (``yield_per``), so a large site never sits in memory.
IP hashes stay behind: they are keyed with this instance's secret and mean nothing elsewhere.

Parley's format, one JSON object per line::

    {"format": "parley", "version": 1, "site": {"slug", "name", "origins"}, "exported_at"}
    {"type": "thread", "key", "title", "url", "created_at"}                  (every thread)
    {"type": "comment", "id", "thread", "parent", "status", "deleted", "depth", "created_at",
     "author": {"name", "email", "url", "provider"}, "body_html", "body_source",
     "source", "source_id"}                                       (parents before replies)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from service.models import Comment, Site, Thread

FORMATS = ("parley", "wxr")
_WXR_STATUS = {"published": "1", "held": "0", "pending": "0", "spam": "spam", "rejected": "trash"}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _comments(session: Session, site_id: int) -> Iterator[Comment]:
    # Parents before replies: depth first, then id, so an importer meets every parent first.
    yield from session.scalars(
        sa.select(Comment)
        .options(joinedload(Comment.identity))
        .where(Comment.site_id == site_id)
        .order_by(Comment.thread_id, Comment.depth, Comment.id)
        .execution_options(yield_per=1000)
    )


def _author(comment: Comment) -> dict:
    identity = comment.identity
    return {
        "name": identity.name if identity else comment.author_name,
        "email": identity.email if identity else comment.author_email,
        "url": identity.profile_url if identity else comment.author_url,
        "provider": identity.provider if identity else None,
    }


def export_parley(session: Session, site: Site, out: TextIO) -> int:
    """Write the site as Parley JSON lines; answers the number of comments."""

    def line(data: dict) -> None:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")

    line(
        {
            "format": "parley",
            "version": 1,
            "site": {"slug": site.slug, "name": site.name, "origins": site.allowed_origins},
            "exported_at": _iso(datetime.now(UTC)),
        }
    )
    keys = {}
    for thread in session.scalars(
        sa.select(Thread).where(Thread.site_id == site.id).order_by(Thread.id)
    ):
        keys[thread.id] = thread.key
        line(
            {
                "type": "thread",
                "key": thread.key,
                "title": thread.title,
                "url": thread.url,
                "created_at": _iso(thread.created_at),
            }
        )
    count = 0
    for comment in _comments(session, site.id):
        count += 1
        line(
            {
                "type": "comment",
                "id": comment.id,
                "thread": keys[comment.thread_id],
                "parent": comment.parent_id,
                "status": comment.status,
                "deleted": comment.deleted_at is not None,
                "depth": comment.depth,
                "created_at": _iso(comment.created_at),
                "author": _author(comment),
                "body_html": comment.body_html,
                "body_source": comment.body_source,
                "source": comment.source,
                "source_id": comment.source_id,
            }
        )
    return count


def _cdata(text: str | None) -> str:
    return "<![CDATA[" + (text or "").replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _link(site: Site, thread: Thread) -> str:
    # The link is what an importer makes the thread key from: the key on the site's origin
    # gives back the same key; a key that is not a path falls back to the stored URL.
    origin = (site.allowed_origins or ["https://example.invalid"])[0].rstrip("/")
    if thread.key.startswith("/"):
        return origin + thread.key
    return thread.url or f"{origin}/{thread.key}"


def export_wxr(session: Session, site: Site, out: TextIO) -> int:
    """Write the site as WXR 1.2: one item per thread, its comments inside."""
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dsq="http://www.disqus.com/" '
        'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        f"<title>{escape(site.name)}</title>\n<wp:wxr_version>1.2</wp:wxr_version>\n"
    )
    threads = {t.id: t for t in session.scalars(sa.select(Thread).where(Thread.site_id == site.id))}
    count, current = 0, None
    for comment in _comments(session, site.id):
        thread = threads[comment.thread_id]
        if current != thread.id:
            if current is not None:
                out.write("</item>\n")
            current = thread.id
            link = escape(_link(site, thread))
            stamp = (thread.created_at or datetime.now(UTC)).astimezone(UTC)
            out.write(
                f"<item>\n<title>{escape(thread.title or thread.key)}</title>\n"
                f'<link>{link}</link>\n<guid isPermaLink="false">{link}</guid>\n'
                f"<dsq:thread_identifier>{escape(thread.key)}</dsq:thread_identifier>\n"
                f"<wp:post_id>{thread.id}</wp:post_id>\n"
                f"<wp:post_date_gmt>{stamp:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>\n"
                "<wp:comment_status>open</wp:comment_status>\n"
                f"<wp:post_name>{escape(thread.key.strip('/').replace('/', '-'))}</wp:post_name>\n"
                "<wp:status>publish</wp:status>\n<wp:post_type>post</wp:post_type>\n"
                f"<content:encoded>{_cdata('')}</content:encoded>\n"
            )
        count += 1
        author = _author(comment)
        when = comment.created_at.astimezone(UTC)
        approved = "trash" if comment.deleted_at else _WXR_STATUS.get(comment.status, "0")
        out.write(
            "<wp:comment>\n"
            f"<wp:comment_id>{comment.id}</wp:comment_id>\n"
            f"<wp:comment_author>{_cdata(author['name'])}</wp:comment_author>\n"
            f"<wp:comment_author_email>{escape(author['email'] or '')}</wp:comment_author_email>\n"
            f"<wp:comment_author_url>{escape(author['url'] or '')}</wp:comment_author_url>\n"
            "<wp:comment_author_IP></wp:comment_author_IP>\n"
            f"<wp:comment_date>{when:%Y-%m-%d %H:%M:%S}</wp:comment_date>\n"
            f"<wp:comment_date_gmt>{when:%Y-%m-%d %H:%M:%S}</wp:comment_date_gmt>\n"
            f"<wp:comment_content>{_cdata(comment.body_html)}</wp:comment_content>\n"
            f"<wp:comment_approved>{approved}</wp:comment_approved>\n"
            "<wp:comment_type>comment</wp:comment_type>\n"
            f"<wp:comment_parent>{comment.parent_id or 0}</wp:comment_parent>\n"
            "<wp:comment_user_id>0</wp:comment_user_id>\n"
            "</wp:comment>\n"
        )
    if current is not None:
        out.write("</item>\n")
    out.write("</channel>\n</rss>\n")
    return count
