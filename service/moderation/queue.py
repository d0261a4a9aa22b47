"""The moderation queue: comments of a site by status, newest first, with reasons.

Each item carries what a moderator reads first: the deciding reasons as short
chips (the checks over their hold threshold, from the stored check rows, worst
first), the domains the comment links to, and the author's history on this
site; the full check table is there too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from service.comments.reports import add_reports, has_open_reports
from service.models import CheckResultRow, Comment, Site, Thread
from service.moderation.schemas import (
    AuthorHistory,
    CheckOut,
    ModAuthor,
    QueueItem,
    QueueQuery,
    ReasonChip,
)
from service.policy import Policy
from service.sites import policy_of
from service.urls import safe_url

# How a check is named on a chip, where its own name reads badly.
CHECK_LABELS = {
    "spam_model": "spam model",
    "toxicity_model": "toxicity",
    "moderator_labels": "like past spam",
    "moderator_domains": "domain moderators filed",
    "checks_failed": "checks failed",
    "contact_channel": "contact spam",
}
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.I)
_BARE_URL = re.compile(r"""https?://[^\s<>"'()\[\]]+""", re.I)
MAX_CHIPS = 4


def check_label(name: str) -> str:
    return CHECK_LABELS.get(name, name.replace("_", " "))


def deciding_reasons(comment: Comment, policy: Policy) -> list[ReasonChip]:
    """The checks that held or filed the comment: over their hold threshold, worst first.

    The same reading of the stored rows as the decision's (``Policy.thresholds_for``); a
    comment no check objected to (held by the site's policy, moved by a moderator) gets its
    recorded reason as the one chip.
    """
    over = [
        c
        for c in comment.checks
        if c.kind != "trust" and c.score >= policy.thresholds_for(c.check).hold
    ]
    over.sort(key=lambda c: (-c.score, c.id))
    chips = [
        ReasonChip(
            check=c.check,
            label=check_label(c.check),
            detail=_without_label(c.reason, check_label(c.check)),
            score=c.score,
            kind=c.kind,
        )
        for c in over[:MAX_CHIPS]
    ]
    if not chips and comment.status_reason:
        chips.append(ReasonChip(check="decision", label="why", detail=comment.status_reason))
    return chips


def _without_label(reason: str, label: str) -> str:
    # "spam model: spam model 0.96 (…)" reads once as "spam model: 0.96 (…)".
    if reason.lower().startswith(label.lower()):
        return reason[len(label) :].lstrip(" :") or reason
    return reason


def link_domains(comment: Comment) -> list[str]:
    """The hosts the comment links to (``www.`` dropped), in order of appearance."""
    found = _HREF.findall(comment.body_html or "") + _BARE_URL.findall(comment.body_source or "")
    hosts: dict[str, None] = {}
    for url in found:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            continue
        if host:
            hosts[host.removeprefix("www.")] = None
    return list(hosts)[:8]


def author_key(comment: Comment) -> str | None:
    """Who wrote it, as "select all like this" matches authors: the identity of a signed-in
    author, else the guest's email, else the hashed address."""
    if comment.identity_id is not None:
        return f"identity:{comment.identity_id}"
    if comment.author_email:
        return f"email:{comment.author_email.strip().lower()}"
    if comment.ip_hash:
        return f"ip:{comment.ip_hash[:16]}"
    return None


def author_histories(session: Session, site: Site, comments: list[Comment]) -> dict[str, dict]:
    """Per author key: counts by status and the first comment's time, in two grouped queries."""
    identities = {c.identity_id for c in comments if c.identity_id is not None}
    emails = {
        c.author_email.strip().lower() for c in comments if c.identity_id is None and c.author_email
    }
    found: dict[str, dict] = defaultdict(dict)

    def collect(key_column, keys, prefix, *extra):
        if not keys:
            return
        rows = session.execute(
            sa.select(key_column, Comment.status, sa.func.count(), sa.func.min(Comment.created_at))
            .where(Comment.site_id == site.id, key_column.in_(keys), *extra)
            .group_by(key_column, Comment.status)
        )
        for key, status, count, first in rows:
            history = found[f"{prefix}:{key}"]
            history[status] = count
            if first is not None and (
                history.get("first_seen") is None or first < history["first_seen"]
            ):
                history["first_seen"] = first

    collect(Comment.identity_id, identities, "identity")
    collect(sa.func.lower(sa.func.trim(Comment.author_email)), emails, "email",
            Comment.identity_id.is_(None))  # fmt: skip
    return found


def queue_item(
    comment: Comment,
    site: Site,
    policy: Policy | None = None,
    histories: dict[str, dict] | None = None,
) -> QueueItem:
    identity = comment.identity
    policy = policy or policy_of(site, strict=False)
    key = author_key(comment)
    history = (histories or {}).get(key) if key else None
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
        thread_title=comment.thread.title,
        reasons=deciding_reasons(comment, policy),
        link_domains=link_domains(comment),
        author_key=key,
        author_history=AuthorHistory(**history) if history else None,
        pinned=bool(comment.pinned),
        edited_at=comment.edited_at,
        thread_closed=comment.thread.closed_at is not None,
    )


def list_queue(
    session: Session, site: Site, query: QueueQuery, only_ids: list[int] | None = None
) -> tuple[list[QueueItem], int | None]:
    """One page of the queue; ``query`` is what the API and the dashboard both read
    from the request (``thread`` a thread key; ``author`` matches name or email and
    ``q`` the text, both case-insensitive substrings; ``check`` a check over its hold
    threshold; ``domain`` a substring of the text, as links are written there); ``only_ids``
    narrows it to those comments (the live queue asking about the ones it was told of)."""
    limit = query.limit
    policy = policy_of(site, strict=False)
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
    if only_ids is not None:
        stmt = stmt.where(Comment.id.in_(only_ids))
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
    if query.check:
        stmt = stmt.where(
            sa.exists().where(
                CheckResultRow.comment_id == Comment.id,
                CheckResultRow.check == query.check,
                CheckResultRow.kind != "trust",
                CheckResultRow.score >= policy.thresholds_for(query.check).hold,
            )
        )
    if query.domain:
        stmt = stmt.where(Comment.body_source.icontains(query.domain, autoescape=True))
    rows = session.scalars(stmt).unique().all()
    more = len(rows) > limit
    rows = rows[:limit]
    histories = author_histories(session, site, rows)
    items = [queue_item(c, site, policy, histories) for c in rows]
    add_reports(session, items)
    return items, (rows[-1].id if more else None)
