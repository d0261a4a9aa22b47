"""The moderation queue: comments of a site by status, newest first, with reasons."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from service.comments.reports import add_reports, has_open_reports
from service.models import Comment, Site, Thread
from service.moderation.schemas import CheckOut, ModAuthor, QueueItem, QueueQuery
from service.urls import safe_url


def queue_item(comment: Comment, site: Site) -> QueueItem:
    identity = comment.identity
    return QueueItem(
        id=comment.id,
        site=site.slug,
        thread=comment.thread.key,
        thread_url=safe_url(comment.thread.url),
        parent=comment.parent_id,
        status=comment.status,
        status_reason=comment.status_reason,
        author=ModAuthor(
            name=identity.name if identity else comment.author_name,
            email=comment.author_email,
            url=safe_url(identity.profile_url if identity else comment.author_url),
            provider=identity.provider if identity else None,
            identity_id=comment.identity_id,
        ),
        body_source=comment.body_source,
        body_html=comment.body_html,
        created_at=comment.created_at,
        decided_at=comment.decided_at,
        checks=[
            CheckOut(check=c.check, kind=c.kind, score=c.score, reason=c.reason, version=c.version)
            for c in comment.checks
        ],
    )


def list_queue(
    session: Session, site: Site, query: QueueQuery
) -> tuple[list[QueueItem], int | None]:
    """One page of the queue; ``query`` is what the API and the dashboard both read
    from the request (``thread`` a thread key; ``author`` matches name or email and
    ``q`` the text, both case-insensitive substrings)."""
    limit = query.limit
    stmt = (
        sa.select(Comment)
        .join(Thread, Thread.id == Comment.thread_id)
        .options(
            joinedload(Comment.thread), joinedload(Comment.identity), selectinload(Comment.checks)
        )
        .where(Thread.site_id == site.id)
        .order_by(Comment.id.desc())
        .limit(limit + 1)
    )
    if query.status == "reported":
        stmt = stmt.where(has_open_reports())
    elif query.status != "all":
        stmt = stmt.where(Comment.status == query.status)
    if query.cursor is not None:
        stmt = stmt.where(Comment.id < query.cursor)
    if query.thread:
        stmt = stmt.where(Thread.key == query.thread)
    if query.author:
        stmt = stmt.where(
            sa.or_(
                Comment.author_name.icontains(query.author, autoescape=True),
                Comment.author_email.icontains(query.author, autoescape=True),
            )
        )
    if query.q:
        stmt = stmt.where(Comment.body_source.icontains(query.q, autoescape=True))
    rows = session.scalars(stmt).unique().all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [queue_item(c, site) for c in rows]
    add_reports(session, items)
    return items, (rows[-1].id if more else None)
