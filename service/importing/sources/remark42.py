"""Remark42's backup (``remark42 backup``, often ``.gz``): one JSON line of metadata
(``version``, ``users``, ``posts``), then one comment per line: ``id``, ``pid`` (parent), ``text``
(HTML), ``user`` (``name``, ``ip`` already hashed by Remark42), ``locator.url``, ``time``,
``delete``. The user's ``ip`` is Remark42's own hash: it is not an address, so it is dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from service.importing.records import (
    APPROVED,
    DELETED,
    CommentRecord,
    ImportFileError,
    ThreadRecord,
    parse_time,
)


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    decoder = json.JSONDecoder()
    seen: set[str] = set()
    first = True
    for number, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        try:
            data, _ = decoder.raw_decode(line.decode("utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            if first:
                raise ImportFileError(f"not a Remark42 backup: line 1: {error}") from None
            yield CommentRecord(source_id=f"(line {number})", thread_ref=None, error=str(error))
            continue
        if first:
            first = False
            if isinstance(data, dict) and "version" in data and "id" not in data:
                continue  # the metadata line
        if not isinstance(data, dict):
            yield CommentRecord(
                source_id=f"(line {number})", thread_ref=None, error="not an object"
            )
            continue
        url = (
            (data.get("locator") or {}).get("url")
            if isinstance(data.get("locator"), dict)
            else None
        )
        url = url if isinstance(url, str) and url else None
        if url and url not in seen:
            seen.add(url)
            yield ThreadRecord(ref=url, url=url, title=data.get("title") or None)
        yield _comment(data, url)


def _comment(data: dict, url: str | None) -> CommentRecord:
    record = CommentRecord(source_id=str(data.get("id") or ""), thread_ref=url)
    if not record.source_id:
        record.error = "comment without id"
        return record
    record.parent_ref = str(data.get("pid")) if data.get("pid") else None
    record.body_html = data.get("text") if isinstance(data.get("text"), str) else ""
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    name = user.get("name")
    record.author_name = name.strip() or None if isinstance(name, str) else None
    record.state = DELETED if data.get("delete") is True else APPROVED
    try:
        record.created_at = parse_time(data.get("time"))
    except (ValueError, TypeError) as error:
        record.error = f"time: {error}"
    return record
