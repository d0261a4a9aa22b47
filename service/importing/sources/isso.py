"""Isso: its "generic" JSON (a list of threads, each with its comments) or its SQLite database
file itself (``comments.db``: tables ``threads`` and ``comments``). Text is markdown, as Isso
stores it. Comment ids are per thread in the JSON, so ids are scoped by the thread's URI.

Modes in the database: 1 published, 2 waiting for moderation, 4 deleted (kept for replies).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from service.importing.records import (
    APPROVED,
    DELETED,
    PENDING,
    CommentRecord,
    ImportFileError,
    ThreadRecord,
    parse_time,
)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_MODES = {1: APPROVED, 2: PENDING, 4: DELETED}


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    head = stream.read(16)
    if head == _SQLITE_MAGIC:
        yield from _database(head, stream)
        return
    try:
        data = json.loads(head + stream.read())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(f"neither an Isso database nor Isso's JSON: {error}") from None
    if not isinstance(data, list):
        raise ImportFileError("Isso's JSON is a list of threads")
    for thread in data:
        if not isinstance(thread, dict) or not isinstance(thread.get("id"), str):
            raise ImportFileError("each thread in Isso's JSON needs an id (its URI)")
        uri = thread["id"]
        yield ThreadRecord(ref=uri, url=uri, title=_str(thread.get("title")))
        for comment in thread.get("comments") or []:
            yield _comment(uri, comment if isinstance(comment, dict) else {})


def _str(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _comment(uri: str, data: dict) -> CommentRecord:
    cid = data.get("id")
    record = CommentRecord(source_id=f"{uri}#{cid}", thread_ref=uri)
    if cid is None or isinstance(cid, bool) or not isinstance(cid, int | str):
        record.error = "comment without an id"
        return record
    parent = data.get("parent")
    record.parent_ref = f"{uri}#{parent}" if parent not in (None, "") else None
    record.body_text = data.get("text") if isinstance(data.get("text"), str) else ""
    record.author_name = _str(data.get("author"))
    record.author_email = _str(data.get("email"))
    record.author_url = _str(data.get("website"))
    record.ip = _str(data.get("remote_addr"))
    mode = data.get("mode", 1)
    record.state = _MODES.get(mode, APPROVED) if isinstance(mode, int) else APPROVED
    try:
        record.created_at = parse_time(data.get("created"))
    except (ValueError, TypeError, OverflowError) as error:
        record.error = f"created: {error}"
    return record


def _database(head: bytes, stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    # sqlite3 needs a file: copy the upload aside and open it read-only, untrusted schema off.
    with tempfile.TemporaryDirectory(prefix="parley-isso-") as tmp:
        path = Path(tmp) / "comments.db"
        with path.open("wb") as out:
            out.write(head)
            shutil.copyfileobj(stream, out)
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise ImportFileError(f"not a readable Isso database: {error}") from None
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            threads = conn.execute("SELECT id, uri, title FROM threads").fetchall()
            columns = "tid, id, parent, created, mode, remote_addr, text, author, email, website"
            rows = conn.execute(f"SELECT {columns} FROM comments ORDER BY id")
            by_tid = {}
            for tid, uri, title in threads:
                by_tid[tid] = uri
                yield ThreadRecord(ref=str(uri), url=str(uri), title=title)
            for tid, cid, parent, created, mode, ip, text, author, email, website in rows:
                uri = by_tid.get(tid, f"(thread {tid})")
                yield _comment(
                    str(uri),
                    {
                        "id": cid,
                        "parent": parent,
                        "created": created,
                        "mode": mode,
                        "remote_addr": ip,
                        "text": text,
                        "author": author,
                        "email": email,
                        "website": website,
                    },
                )
        except sqlite3.Error as error:
            raise ImportFileError(f"not an Isso database: {error}") from None
        finally:
            conn.close()
