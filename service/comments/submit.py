"""submit_comment: validate against the site, store as pending, enqueue after the commit."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.closing import check_open, thread_of
from service.comments.render_token import read_render_token
from service.comments.schemas import CommentIn
from service.effects import after_commit
from service.enqueue import enqueue_moderation
from service.errors import ApiError
from service.models import Comment, Identity, Site, Thread, utcnow
from service.prepared import Prepared as PreparedStatement
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


# The site of a submission and its thread (None: not started yet), in one query built once:
# the two lookups every POST makes (``site_and_thread``).
_SITE_AND_THREAD = (
    sa.select(Site, Thread)
    .outerjoin(Thread, sa.and_(Thread.site_id == Site.id, Thread.key == sa.bindparam("key")))
    .where(Site.slug == sa.bindparam("slug"))
)


def site_and_thread(session: Session, slug: str, key: str) -> tuple[Site, Thread | None]:
    """The site a submission names (the 422 ``get_site(..., field="site")`` gives for an
    unknown one) and its thread of ``key`` if it exists."""
    found = session.execute(_SITE_AND_THREAD, {"slug": slug, "key": key}).first()
    if found is None:
        raise ApiError("validation_failed", f"site: unknown site {slug!r}", field="site")
    return found[0], found[1]


_UNREAD = object()


def check_submission(
    rt: Runtime,
    session: Session,
    site: Site,
    data: CommentIn,
    who: Submitter,
    thread: Thread | None | object = _UNREAD,
) -> Checked:
    """Every check of a submission, reading only (and spending the render token last):
    done before the write lock. ``thread``: the submission's thread if the caller read it
    already (``site_and_thread``)."""
    policy = policy_of(site, strict=False)
    if who.identity is None:
        if policy.require_signin:
            raise ApiError("unauthorized", "this site asks you to sign in before commenting")
        if data.author is None:
            raise ApiError(
                "validation_failed", "author: guests must give a name and an email", field="author"
            )
    if thread is _UNREAD:
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
    """Insert the comments of ``rows`` (and the threads they start) with statements compiled
    once (``service.prepared``) on the session's connection: no ORM unit of work, no
    statement compiled per batch.

    Returns each row as a ``Comment`` not attached to the session, holding what was
    inserted (its id, its timestamps): what the answer to the reader needs."""
    connection = session.connection()
    now = utcnow()
    started = {(row.site_id, row.thread_key): row for row in rows if row.thread_id is None}
    threads = _start_threads(connection, list(started.values()), now)
    params = []
    for row in rows:
        thread_id = row.thread_id
        if thread_id is None:
            thread_id = threads[(row.site_id, row.thread_key)]
        params.append({**row.values, "thread_id": thread_id, "created_at": now, "updated_at": now})
    with _as_sqlalchemy_errors(connection):
        ids = [_INSERT_COMMENT.scalar(connection, _plain({**values, **_NEW})) for values in params]
    return [
        Comment(id=comment_id, **_NEW, **values)
        for comment_id, values in zip(ids, params, strict=True)
    ]


# The columns a submitted comment sets (``comment_row``, ``insert_rows`` and ``_NEW``); the
# others stay NULL.
_COLUMNS = (
    "site_id", "thread_id", "parent_id", "depth", "identity_id", "author_name",
    "author_email", "author_url", "body_source", "body_html", "simhash", "status",
    "ip_hash", "user_agent", "client", "created_at", "updated_at",
    "votes_up", "votes_down", "pinned",
)  # fmt: skip
_NEW = {"votes_up": 0, "votes_down": 0, "pinned": False}
_INSERT_COMMENT = PreparedStatement(
    sa.insert(Comment)
    .values({name: sa.bindparam(name, type_=Comment.__table__.c[name].type) for name in _COLUMNS})
    .returning(Comment.id)
)
_THREAD_ID = PreparedStatement(
    sa.select(Thread.id).where(
        Thread.site_id == sa.bindparam("site_id"), Thread.key == sa.bindparam("key")
    )
)
_THREAD_COLUMNS = ("site_id", "key", "title", "url", "created_at")


def _insert_thread(insert) -> PreparedStatement:
    table = Thread.__table__
    return PreparedStatement(
        insert(Thread)
        .values({name: sa.bindparam(name, type_=table.c[name].type) for name in _THREAD_COLUMNS})
        .on_conflict_do_nothing(index_elements=["site_id", "key"])
    )


_INSERT_THREAD = {
    "sqlite": _insert_thread(sqlite_insert),
    "postgresql": _insert_thread(postgresql_insert),
}


def _plain(values: dict) -> dict:
    # Drivers adapt an enum member by its own rules (psycopg by its name): store the value.
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in values.items()}


@contextlib.contextmanager
def _as_sqlalchemy_errors(connection: sa.Connection) -> Iterator[None]:
    """The driver's errors as SQLAlchemy raises them (an ``IntegrityError`` is a parent or
    site removed meanwhile, answered 409; an ``OperationalError`` an outage, 503)."""
    dialect = connection.dialect
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error


def _start_threads(connection: sa.Connection, rows: list[Row], now) -> dict[tuple[int, str], int]:
    """The ids of the threads ``rows`` name, creating those that do not exist yet: per
    thread an ``INSERT … ON CONFLICT DO NOTHING`` (a thread a concurrent first comment
    created meanwhile is left as it is) and a read of its id. Without the ORM's flush and
    savepoint, which cost more than the comment's own insert."""
    if not rows:
        return {}
    # The settings accept no other database (``PARLEY_DATABASE_URL``).
    insert = _INSERT_THREAD[connection.dialect.name]
    found = {}
    with _as_sqlalchemy_errors(connection):
        for r in rows:
            key = {"site_id": r.site_id, "key": r.thread_key}
            insert.rows(connection, {**key, "title": r.title, "url": r.url, "created_at": now})
            found[(r.site_id, r.thread_key)] = _THREAD_ID.scalar(connection, key)
    return found


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
