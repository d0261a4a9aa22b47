"""The one import engine every format goes through.

Readers yield records in the file's order; the engine reads them all (a record is small: 50,000
comments stay well under the memory budget), then decides each comment's fate in memory:

- failed: the record could not be read, its thread is not in the file or has no link;
- skipped, by design: spam (unless ``keep_spam``), trash, pingbacks and trackbacks (unless
  ``with_pingbacks``), comments deleted at the source that have no reply to hold up, comments
  of deleted threads, and what an earlier run already imported (``source``/``source_id``);
- imported: with their tree as it was (a reply may come before its parent in the file; a reply
  whose parent is missing becomes top-level; a deleted parent with live replies becomes a
  tombstone). Depth is whatever the source had: ``max_depth`` limits only new replies.

Rows are written parents first (level by level), in batches that each commit, so an
interrupted import leaves only whole comments with their parents, and running it again creates
just the rest. Imported comments never pass through the checks and announce nothing: no job,
no notification, no webhook. One audit row records the run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.submit import get_or_create_thread
from service.importing import records as rec
from service.importing.keys import map_url, thread_key
from service.models import Comment, ModerationEvent, Site, Thread
from service.similarity import simhash
from service.status import Status
from service.text import clean_html, hash_ip, plain_text, render_markdown
from service.urls import on_origins, parse_url, safe_url

BATCH = 2000
# A comment longer than this is not a comment (a pasted database dump, a broken export).
MAX_BODY = 200_000
# The report lists at most this many failures one by one; the count is always exact.
MAX_LISTED_FAILURES = 1000

Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class ImportOptions:
    source: str
    map_url: tuple[tuple[str, str], ...] = ()
    dry_run: bool = False
    keep_spam: bool = False
    with_pingbacks: bool = False
    actor: str = "cli"
    filename: str | None = None


@dataclass
class ImportReport:
    source: str
    site: str
    dry_run: bool = False
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    statuses: Counter = field(default_factory=Counter)
    skipped_reasons: Counter = field(default_factory=Counter)
    failures: list[dict[str, str]] = field(default_factory=list)
    # thread key -> {"comments": n new, "exists": bool}
    thread_keys: dict[str, dict[str, Any]] = field(default_factory=dict)

    def fail(self, source_id: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"id": source_id or "(none)", "reason": reason})

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_reasons[reason] += 1

    @property
    def threads(self) -> int:
        return sum(1 for entry in self.thread_keys.values() if entry["comments"])

    def as_dict(self) -> dict[str, Any]:
        statuses = {s: self.statuses.get(s, 0) for s in ("published", "held", "spam", "deleted")}
        if self.statuses.get("rejected"):
            statuses["rejected"] = self.statuses["rejected"]
        return {
            "source": self.source,
            "site": self.site,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "skipped": self.skipped,
            "failed": self.failed,
            "threads": self.threads,
            **statuses,
            "statuses": statuses,
            "skipped_reasons": dict(self.skipped_reasons),
            "failures": self.failures,
            "thread_keys": self.thread_keys,
        }


@dataclass(slots=True)
class _Plan:
    record: rec.CommentRecord
    key: str
    status: str
    tombstone: bool = False
    parent: str | None = None  # source id of the parent that will exist (file or database)
    depth: int = 0


def run_import(
    session: Session,
    site: Site,
    items: Iterable[rec.ThreadRecord | rec.CommentRecord],
    options: ImportOptions,
    secret_key: str,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``items`` into ``site``; commits batch by batch unless ``dry_run``."""
    report = ImportReport(source=options.source, site=site.slug, dry_run=options.dry_run)
    tick = progress or (lambda stage, done, total: None)

    threads: dict[str, rec.ThreadRecord] = {}
    comments: list[rec.CommentRecord] = []
    for n, item in enumerate(items, 1):
        if isinstance(item, rec.ThreadRecord):
            threads.setdefault(item.ref, item)
        else:
            comments.append(item)
        if n % 1000 == 0:
            tick("reading", n, None)

    if not comments:
        # The commonest silent failure: the wrong format, or an export of posts only.
        raise rec.ImportFileError(f"no comments found: is this a {options.source} export?")
    existing = _existing(session, site.id, options.source)
    plans = _plan(report, threads, comments, existing, options)
    _thread_listing(session, site.id, report, plans)
    if options.dry_run:
        for plan in plans.values():
            _count(report, plan)
        return report
    _write(session, site, plans, existing, threads, options, secret_key, report, tick)
    return report


def _existing(session: Session, site_id: int, source: str) -> dict[str, tuple[int, int, int]]:
    """source id -> (comment id, depth, thread id) of what earlier runs imported."""
    rows = session.execute(
        sa.select(Comment.source_id, Comment.id, Comment.depth, Comment.thread_id).where(
            Comment.site_id == site_id, Comment.source == source
        )
    )
    return {source_id: (cid, depth, tid) for source_id, cid, depth, tid in rows}


def _plan(
    report: ImportReport,
    threads: dict[str, rec.ThreadRecord],
    comments: list[rec.CommentRecord],
    existing: dict[str, tuple[int, int, int]],
    options: ImportOptions,
) -> dict[str, _Plan]:
    pairs = list(options.map_url)
    keys: dict[str, str | None] = {}
    wanted: dict[str, _Plan] = {}  # what exists after this run (new or already imported)
    deleted: dict[str, _Plan] = {}  # deleted at the source: kept only under live replies
    seen: set[str] = set()
    for record in comments:
        if record.error:
            report.fail(record.source_id, record.error)
            continue
        if record.source_id in seen:
            report.fail(record.source_id, "the same id appears twice in the file")
            continue
        seen.add(record.source_id)
        thread = threads.get(record.thread_ref or "")
        if thread is None:
            report.fail(record.source_id, f"its thread ({record.thread_ref}) is not in the file")
            continue
        if record.thread_ref not in keys:
            keys[record.thread_ref] = thread_key(thread.url or thread.ref, pairs)
        key = keys[record.thread_ref]
        if key is None:
            report.fail(record.source_id, "its thread has no link to make a thread key from")
            continue
        if thread.deleted:
            report.skip("thread deleted")
            continue
        if record.kind != "comment" and not options.with_pingbacks:
            report.skip("pingback")
            continue
        if record.state == rec.SPAM and not options.keep_spam:
            report.skip("spam")
            continue
        if record.state == rec.TRASH:
            report.skip("trash")
            continue
        status = {
            rec.PENDING: Status.HELD,
            rec.SPAM: Status.SPAM,
            rec.REJECTED: Status.REJECTED,
        }.get(record.state, Status.PUBLISHED)
        plan = _Plan(record, key, status.value)
        if record.state == rec.DELETED:
            deleted[record.source_id] = plan
            continue
        problem = _body_problem(record)
        if problem:
            report.fail(record.source_id, problem)
            continue
        wanted[record.source_id] = plan

    # A deleted comment stays, as a tombstone, when a reply that stays hangs below it.
    for plan in list(wanted.values()):
        parent_ref = plan.record.parent_ref
        while parent_ref in deleted and parent_ref not in wanted:
            tomb = deleted[parent_ref]
            tomb.tombstone = True
            tomb.status = Status.PUBLISHED.value
            wanted[parent_ref] = tomb
            parent_ref = tomb.record.parent_ref
    for source_id in deleted:
        if source_id not in wanted:
            report.skip("deleted")

    # Parents: in the file (and staying), or imported by an earlier run, on the same thread.
    for plan in wanted.values():
        parent_ref = plan.record.parent_ref
        if parent_ref and parent_ref != plan.record.source_id:
            if parent_ref in wanted and wanted[parent_ref].key == plan.key:
                plan.parent = parent_ref
            elif parent_ref in existing and parent_ref not in wanted:
                plan.parent = parent_ref
    _depths(wanted, existing)

    for source_id in list(wanted):
        if source_id in existing:
            report.skip("already imported")
            del wanted[source_id]
    return wanted


def _depths(wanted: dict[str, _Plan], existing: dict[str, tuple[int, int, int]]) -> None:
    done: dict[str, int] = {}
    for start in wanted:
        chain: list[str] = []
        on_chain: set[str] = set()
        node: str | None = start
        base = -1
        while node is not None:
            if node in done:
                base = done[node]
                break
            if node not in wanted:  # imported by an earlier run
                base = existing[node][1]
                break
            if node in on_chain:  # a cycle in a broken file: cut it here
                wanted[node].parent = None
                chain = chain[: chain.index(node) + 1]
                base = -1
                break
            chain.append(node)
            on_chain.add(node)
            node = wanted[node].parent
        for source_id in reversed(chain):
            base += 1
            done[source_id] = base
            wanted[source_id].depth = base


def _thread_listing(
    session: Session, site_id: int, report: ImportReport, plans: dict[str, _Plan]
) -> None:
    counts = Counter(plan.key for plan in plans.values())
    known = _thread_ids(session, site_id, list(counts))
    for key in sorted(counts):
        report.thread_keys[key] = {"comments": counts[key], "exists": key in known}


def _thread_ids(session: Session, site_id: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(
            session.execute(
                sa.select(Thread.key, Thread.id).where(
                    Thread.site_id == site_id, Thread.key.in_(chunk)
                )
            ).all()
        )
    return found


def _thread_url(url: str | None, pairs, origins: list[str]) -> str | None:
    # A thread's URL is rendered as a link: only one on the site's own origins is kept.
    if not url:
        return None
    parsed = parse_url(map_url(url, pairs))
    return str(parsed)[:2048] if parsed is not None and on_origins(parsed, origins) else None


def _ensure_threads(
    session: Session,
    site: Site,
    plans: dict[str, _Plan],
    threads: dict[str, rec.ThreadRecord],
    options: ImportOptions,
) -> dict[str, int]:
    by_key: dict[str, rec.ThreadRecord] = {}
    for plan in plans.values():
        by_key.setdefault(plan.key, threads[plan.record.thread_ref])
    ids = _thread_ids(session, site.id, list(by_key))
    missing = [key for key in by_key if key not in ids]
    origins = list(site.allowed_origins or [])
    for start in range(0, len(missing), BATCH):
        rows = [
            {
                "site_id": site.id,
                "key": key,
                "title": (by_key[key].title or "")[:300] or None,
                "url": _thread_url(by_key[key].url, list(options.map_url), origins),
                "created_at": datetime.now(UTC),
            }
            for key in missing[start : start + BATCH]
        ]
        try:
            session.execute(sa.insert(Thread), rows)
            session.commit()
        except IntegrityError:
            # A comment (or another import) created one of these threads meanwhile: take
            # each one by one, as a first comment does.
            session.rollback()
            for row in rows:
                get_or_create_thread(session, site, row["key"], row["title"], row["url"])
            session.commit()
    if missing:
        ids = _thread_ids(session, site.id, list(by_key))
    return ids


def _body(record: rec.CommentRecord) -> tuple[str, str]:
    if record.body_html is not None:
        html = clean_html(record.body_html)
        return record.source_text or plain_text(html), html
    source = record.body_text or ""
    return source, render_markdown(source)


def _row(plan: _Plan, thread_id: int, parent_id, site_id, options, secret, now) -> dict:
    record = plan.record
    row = {
        "thread_id": thread_id,
        "site_id": site_id,
        "parent_id": parent_id,
        "depth": plan.depth,
        "identity_id": None,
        "status": plan.status,
        "status_reason": f"imported from {options.source}",
        "source": options.source,
        "source_id": record.source_id[:255],
        "created_at": record.created_at or now,
        "updated_at": now,
        "decided_at": now,
        "user_agent": None,
        "client": {"imported": options.source},
    }
    if plan.tombstone:
        return row | {
            "author_name": None,
            "author_email": None,
            "author_url": None,
            "body_source": "",
            "body_html": "",
            "simhash": 0,
            "ip_hash": None,
            "deleted_at": record.created_at or now,
        }
    source, html = _body(record)
    ip = (record.ip or "").strip()
    return row | {
        "author_name": (record.author_name or "")[:200] or None,
        "author_email": (record.author_email or "")[:320] or None,
        "author_url": (safe_url(record.author_url) or "")[:2048] or None,
        "body_source": source,
        "body_html": html,
        "simhash": simhash(source),
        "ip_hash": hash_ip(ip, secret) if ip and ip != "0.0.0.0" else None,
        "deleted_at": None,
    }


def _count(report: ImportReport, plan: _Plan) -> None:
    report.imported += 1
    report.statuses["deleted" if plan.tombstone else plan.status] += 1


def _write(
    session: Session,
    site: Site,
    plans: dict[str, _Plan],
    existing: dict[str, tuple[int, int, int]],
    threads: dict[str, rec.ThreadRecord],
    options: ImportOptions,
    secret_key: str,
    report: ImportReport,
    tick: Progress,
) -> None:
    site_id = site.id
    thread_ids = _ensure_threads(session, site, plans, threads, options)
    ids = {source_id: entry[0] for source_id, entry in existing.items()}
    levels: dict[int, list[_Plan]] = defaultdict(list)
    for plan in plans.values():
        levels[plan.depth].append(plan)
    total, done = len(plans), 0
    now = datetime.now(UTC)
    for depth in sorted(levels):
        level = levels[depth]
        for start in range(0, len(level), BATCH):
            batch = level[start : start + BATCH]
            rows = [
                _row(
                    plan,
                    thread_ids[plan.key],
                    ids.get(plan.parent),
                    site_id,
                    options,
                    secret_key,
                    now,
                )
                for plan in batch
            ]
            created = _insert(session, site_id, options.source, rows, report)
            for plan in batch:
                if plan.record.source_id[:255] in created:
                    ids[plan.record.source_id] = created[plan.record.source_id[:255]]
                    _count(report, plan)
            done += len(batch)
            tick("importing", done, total)
    if report.imported:
        session.add(
            ModerationEvent(
                site_id=site_id,
                actor=options.actor[:200],
                action="import",
                note=(
                    f"imported {report.imported} comments from {options.source}"
                    + (f" ({options.filename})" if options.filename else "")
                    + f"; skipped {report.skipped}, failed {report.failed}"
                ),
            )
        )
        session.commit()


def _body_problem(record: rec.CommentRecord) -> str | None:
    body = record.body_html if record.body_html is not None else record.body_text
    if not body or not body.strip():
        return "empty comment"
    if len(body) > MAX_BODY:
        return f"longer than {MAX_BODY} characters"
    return None


def _insert(
    session: Session, site_id: int, source: str, rows: list[dict], report: ImportReport
) -> dict[str, int]:
    """Insert ``rows``; answers source id -> new comment id. A row another run inserted
    meanwhile (the unique source id) is counted as already imported, not failed."""
    if not rows:
        return {}
    # Core, not the ORM's bulk path: the rows are complete, and this is the hot loop.
    table = Comment.__table__
    statement = sa.insert(table).returning(table.c.source_id, table.c.id)
    try:
        created = dict(session.execute(statement, rows).all())
        session.commit()
        return created
    except IntegrityError:
        session.rollback()
    taken = set(
        session.scalars(
            sa.select(Comment.source_id).where(
                Comment.site_id == site_id,
                Comment.source == source,
                Comment.source_id.in_([row["source_id"] for row in rows]),
            )
        )
    )
    for _ in taken:
        report.skip("already imported")
    rest = [row for row in rows if row["source_id"] not in taken]
    if not rest:
        return {}
    created = dict(session.execute(statement, rest).all())
    session.commit()
    return created
