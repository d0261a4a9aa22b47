"""submit_comment: validate against the site, store as pending, enqueue after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.closing import check_open, thread_of
from service.comments.render_token import read_render_token
from service.comments.schemas import CommentIn
from service.effects import after_commit
from service.enqueue import enqueue_moderation
from service.errors import ApiError
from service.models import Comment, Identity, Site, Thread, utcnow
from service.runtime import Runtime
from service.similarity import simhash
from service.sites import policy_of
from service.status import Status
from service.text import hash_ip, render_markdown


@dataclass(frozen=True)
class Prepared:
    """What a submission computes from its text alone: done before the write lock, so
    writers queue only for their reads, INSERT and commit."""

    body_html: str
    simhash: int


def prepare(data: CommentIn) -> Prepared:
    return Prepared(body_html=render_markdown(data.body), simhash=simhash(data.body))


@dataclass(frozen=True)
class Submitter:
    ip: str | None
    user_agent: str | None
    identity: Identity | None


def get_or_create_thread(
    session: Session, site: Site, key: str, title: str | None, url: str | None
) -> Thread:
    return _thread_of_key(session, site.id, key, title, url)


def _thread_of_key(
    session: Session, site_id: int, key: str, title: str | None, url: str | None
) -> Thread:
    thread = session.scalar(sa.select(Thread).where(Thread.site_id == site_id, Thread.key == key))
    if thread is not None:
        return thread
    thread = Thread(site_id=site_id, key=key, title=title, url=url)
    try:
        # A savepoint, so losing the race to a concurrent first comment only
        # undoes this insert.
        with session.begin_nested():
            session.add(thread)
    except IntegrityError:
        thread = session.scalar(
            sa.select(Thread).where(Thread.site_id == site_id, Thread.key == key)
        )
        assert thread is not None
    return thread


def _parent(
    session: Session, thread: Thread | None, parent_id: int | None, max_depth: int
) -> Comment | None:
    if parent_id is None:
        return None
    parent = session.get(Comment, parent_id)
    if parent is None or thread is None or parent.thread_id != thread.id:
        raise ApiError(
            "validation_failed", "parent: no such comment in this thread", field="parent"
        )
    if parent.status != Status.PUBLISHED:
        raise ApiError("validation_failed", "parent: that comment is not published", field="parent")
    if parent.deleted_at is not None:
        raise ApiError("validation_failed", "parent: that comment was deleted", field="parent")
    if parent.depth + 1 > max_depth:
        raise ApiError(
            "validation_failed", f"parent: replies nest at most {max_depth} deep", field="parent"
        )
    return parent


@dataclass(frozen=True)
class Checked:
    """A submission that passed every check: what storing it needs."""

    thread: Thread | None  # None: its first comment creates it
    parent: Comment | None
    signals: dict


def check_submission(
    rt: Runtime, session: Session, site: Site, data: CommentIn, who: Submitter
) -> Checked:
    """Every check of a submission, reading only (and spending the render token last):
    done before the write lock."""
    policy = policy_of(site, strict=False)
    if who.identity is None:
        if policy.require_signin:
            raise ApiError("unauthorized", "this site asks you to sign in before commenting")
        if data.author is None:
            raise ApiError(
                "validation_failed", "author: guests must give a name and an email", field="author"
            )
    thread = thread_of(session, site.id, data.thread)
    check_open(thread, policy)
    parent = _parent(session, thread, data.parent, policy.max_depth)
    # Read (and spent) only once the comment passed every check above.
    client = data.client
    timing = read_render_token(
        rt.settings.secret_key,
        client.render_token if client else None,
        site.id,
        data.thread,
        rt.redis,
    )
    signals = {"honeypot": client.honeypot if client else "", **timing.signals()}
    return Checked(thread=thread, parent=parent, signals=signals)


@dataclass(frozen=True)
class Row:
    """A checked submission as plain values, ready to insert in any session (the group
    commit inserts it in its own): the comment's columns, and its thread's key, title and
    URL for when it is the thread's first comment."""

    values: dict
    site_id: int
    thread_id: int | None  # None: created (race-safe) when the row is inserted
    thread_key: str
    title: str | None
    url: str | None


def comment_row(
    rt: Runtime,
    site: Site,
    data: CommentIn,
    who: Submitter,
    checked: Checked,
    prepared: Prepared,
    extra_signals: dict | None = None,
) -> Row:
    parent, author, identity = checked.parent, data.author, who.identity
    values = {
        "site_id": site.id,
        "parent_id": parent.id if parent else None,
        "depth": parent.depth + 1 if parent else 0,
        "identity_id": identity.id if identity else None,
        "author_name": identity.name if identity else (author.name if author else None),
        "author_email": identity.email if identity else (str(author.email) if author else None),
        "author_url": str(author.url) if author and author.url and not identity else None,
        "body_source": data.body,
        "body_html": prepared.body_html,
        "simhash": prepared.simhash,
        "status": Status.PENDING,
        "ip_hash": hash_ip(who.ip, rt.settings.secret_key),
        "user_agent": (who.user_agent or "")[:512] or None,
        "client": {**checked.signals, **(extra_signals or {})},
    }
    return Row(
        values=values,
        site_id=site.id,
        thread_id=checked.thread.id if checked.thread else None,
        thread_key=data.thread,
        title=data.title,
        url=data.url,
    )


def insert_rows(session: Session, rows: list[Row]) -> list[Comment]:
    """Insert the comments of ``rows`` (and the threads they start): one INSERT … RETURNING
    for all the comments (SQLAlchemy's insertmanyvalues), without the ORM's unit of work.

    Returns each row as a ``Comment`` not attached to the session, holding what was
    inserted (its id, its timestamps): what the answer to the reader needs."""
    threads: dict[tuple[int, str], int] = {}
    now = utcnow()
    params = []
    for row in rows:
        thread_id = row.thread_id
        if thread_id is None:
            key = (row.site_id, row.thread_key)
            if key not in threads:
                threads[key] = _thread_id(session, row)
            thread_id = threads[key]
        params.append({**row.values, "thread_id": thread_id, "created_at": now, "updated_at": now})
    ids = session.scalars(
        sa.insert(Comment).returning(Comment.id, sort_by_parameter_order=True), params
    ).all()
    return [
        Comment(id=comment_id, votes_up=0, votes_down=0, pinned=False, **values)
        for comment_id, values in zip(ids, params, strict=True)
    ]


def _thread_id(session: Session, row: Row) -> int:
    return _thread_of_key(session, row.site_id, row.thread_key, row.title, row.url).id


def store_comment(
    rt: Runtime,
    session: Session,
    site: Site,
    data: CommentIn,
    who: Submitter,
    checked: Checked,
    prepared: Prepared,
    *,
    enqueue: bool = True,
) -> Comment:
    """The writes of a checked submission in ``session``: its thread if new, the pending
    row; flushes. (The web view hands the row to the group commit instead.)

    ``enqueue=False``: the caller enqueues ``enqueue_moderation`` itself once committed;
    the sweeper covers a lost enqueue."""
    (inserted,) = insert_rows(session, [comment_row(rt, site, data, who, checked, prepared)])
    comment = session.get(Comment, inserted.id)
    # After the commit: a worker must never see a job for a row that is not
    # there yet, and the row must survive Redis being down.
    if enqueue:
        after_commit(session, partial(enqueue_moderation, rt.queue, rt.settings, comment.id))
    return comment


def submit_comment(
    rt: Runtime, session: Session, site: Site, data: CommentIn, who: Submitter
) -> Comment:
    """Check and store the comment as pending and flush; the caller commits, which enqueues
    its checks. (The web view runs the steps itself, to hold the write lock only for
    ``store_comment`` and the commit.)"""
    checked = check_submission(rt, session, site, data, who)
    return store_comment(rt, session, site, data, who, checked, prepare(data))
