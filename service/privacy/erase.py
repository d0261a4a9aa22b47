"""Collecting and erasing what Parley holds about one author on one site.

An author is a signed-in identity or a guest's email address. Their comments are anonymized
or deleted as the site's policy says (``Policy.erase``); a deleted comment that has replies
stays as a tombstone (no text, no author) so the replies keep their place. Their reply
subscriptions go. One audit row records the erasure, without the address it was about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.models import Comment, Identity, ModerationEvent, ReplySubscription, Site, Thread
from service.sites import policy_of
from service.text import normalize_email


@dataclass(frozen=True)
class Author:
    identity_id: int | None = None
    email: str | None = None

    def matches(self):
        if self.identity_id is not None:
            return Comment.identity_id == self.identity_id
        return sa.and_(
            Comment.identity_id.is_(None),
            sa.func.lower(Comment.author_email) == normalize_email(self.email),
        )


@dataclass
class Erased:
    comments: int = 0
    anonymized: int = 0
    deleted: int = 0
    tombstones: int = 0
    subscriptions: int = 0
    mode: str = "anonymize"

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def collect(session: Session, site: Site, author: Author) -> dict[str, Any]:
    """Everything held about ``author`` on ``site``, as JSON-ready data (article 15 and 20)."""
    rows = session.execute(
        sa.select(Comment, Thread.key)
        .join(Thread, Thread.id == Comment.thread_id)
        .where(Comment.site_id == site.id, author.matches())
        .order_by(Comment.id)
    ).all()
    identity = session.get(Identity, author.identity_id) if author.identity_id else None
    subscriptions = session.scalars(
        sa.select(ReplySubscription).where(
            ReplySubscription.site_id == site.id,
            ReplySubscription.identity_id == author.identity_id
            if author.identity_id
            else ReplySubscription.email == normalize_email(author.email),
        )
    ).all()
    return {
        "site": site.slug,
        "exported_at": _iso(datetime.now(UTC)),
        "account": None
        if identity is None
        else {
            "provider": identity.provider,
            "subject": identity.subject,
            "name": identity.name,
            "email": identity.email,
            "email_verified": identity.email_verified,
            "avatar_url": identity.avatar_url,
            "profile_url": identity.profile_url,
            "created_at": _iso(identity.created_at),
        },
        "comments": [
            {
                "id": c.id,
                "thread": key,
                "parent": c.parent_id,
                "status": c.status,
                "created_at": _iso(c.created_at),
                "author_name": c.author_name,
                "author_email": c.author_email,
                "author_url": c.author_url,
                "body_source": c.body_source,
                "body_html": c.body_html,
                # Parley never stores an address, only a keyed hash of it.
                "ip_hash": c.ip_hash,
                "user_agent": c.user_agent,
                "imported_from": c.source,
            }
            for c, key in rows
        ],
        "reply_subscriptions": [
            {
                "comment": s.comment_id,
                "email": s.email,
                "created_at": _iso(s.created_at),
                "unsubscribed_at": _iso(s.unsubscribed_at),
            }
            for s in subscriptions
        ],
    }


_ANONYMOUS = {
    "identity_id": None,
    "author_name": None,
    "author_email": None,
    "author_url": None,
    "ip_hash": None,
    "user_agent": None,
    "client": {},
}


def erase(session: Session, site: Site, author: Author, actor: str) -> Erased:
    """Erase ``author``'s data on ``site`` and flush; the caller commits."""
    mode = policy_of(site, strict=False).erase
    result = Erased(mode=mode)
    ids = list(
        session.scalars(sa.select(Comment.id).where(Comment.site_id == site.id, author.matches()))
    )
    result.comments = len(ids)
    now = datetime.now(UTC)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        if mode == "anonymize":
            session.execute(
                sa.update(Comment).where(Comment.id.in_(chunk)).values(**_ANONYMOUS, updated_at=now)
            )
            result.anonymized += len(chunk)
            continue
        with_replies = set(
            session.scalars(sa.select(Comment.parent_id).where(Comment.parent_id.in_(chunk)))
        )
        tombs = [i for i in chunk if i in with_replies]
        gone = [i for i in chunk if i not in with_replies]
        if tombs:
            session.execute(
                sa.update(Comment)
                .where(Comment.id.in_(tombs))
                .values(
                    **_ANONYMOUS,
                    body_source="",
                    body_html="",
                    simhash=0,
                    deleted_at=now,
                    updated_at=now,
                )
            )
        if gone:
            session.execute(sa.delete(Comment).where(Comment.id.in_(gone)))
        result.tombstones += len(tombs)
        result.deleted += len(gone)
    subs = ReplySubscription.__table__
    if author.identity_id is not None:
        where = sa.and_(subs.c.site_id == site.id, subs.c.identity_id == author.identity_id)
    else:
        where = sa.and_(subs.c.site_id == site.id, subs.c.email == normalize_email(author.email))
    result.subscriptions = session.execute(sa.delete(subs).where(where)).rowcount or 0
    session.add(
        ModerationEvent(
            site_id=site.id,
            actor=actor[:200],
            action="erase",
            note=(
                f"erased an author's data at their request: {result.comments} comments "
                f"({mode}: {result.anonymized} anonymized, {result.deleted} deleted, "
                f"{result.tombstones} kept as placeholders for replies), "
                f"{result.subscriptions} reply subscriptions"
            ),
        )
    )
    session.flush()
    return result
