"""Parley's own export (``parley export --format parley``): JSON lines, a header, then threads
and comments (see service/exporting.py). Statuses come back as they were; ids are the
exporting instance's, kept as source ids."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from service.importing.records import (
    APPROVED,
    DELETED,
    PENDING,
    REJECTED,
    SPAM,
    CommentRecord,
    ImportFileError,
    ThreadRecord,
    parse_time,
)

_STATES = {"published": APPROVED, "held": PENDING, "pending": PENDING, "spam": SPAM}
_STATES |= {"rejected": REJECTED}


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    first = True
    for number, raw in enumerate(stream, 1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            if first:
                raise ImportFileError(f"not a Parley export: line 1: {error}") from None
            yield CommentRecord(source_id=f"(line {number})", thread_ref=None, error=str(error))
            continue
        if first:
            first = False
            if not isinstance(data, dict) or data.get("format") != "parley":
                raise ImportFileError('not a Parley export: line 1 is not {"format": "parley"}')
            if data.get("version") != 1:
                raise ImportFileError(f"unknown Parley export version {data.get('version')!r}")
            continue
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "thread":
            key = data.get("key")
            if isinstance(key, str) and key:
                yield ThreadRecord(ref=key, url=key, title=data.get("title"))
        elif kind == "comment":
            yield _comment(data)


def _comment(data: dict) -> CommentRecord:
    record = CommentRecord(source_id=str(data.get("id") or ""), thread_ref=data.get("thread"))
    if not record.source_id:
        record.error = "comment without id"
        return record
    parent = data.get("parent")
    record.parent_ref = str(parent) if parent is not None else None
    author = data.get("author") if isinstance(data.get("author"), dict) else {}
    record.author_name = author.get("name")
    record.author_email = author.get("email")
    record.author_url = author.get("url")
    record.body_html = data.get("body_html") if isinstance(data.get("body_html"), str) else ""
    source = data.get("body_source")
    record.source_text = source if isinstance(source, str) else None
    state = "deleted" if data.get("deleted") else data.get("status")
    record.state = DELETED if state == "deleted" else _STATES.get(state, PENDING)
    try:
        record.created_at = parse_time(data.get("created_at"))
    except (ValueError, TypeError) as error:
        record.error = f"created_at: {error}"
    return record
