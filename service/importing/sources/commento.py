"""Commento's JSON export (``version: 1``: ``comments`` and ``commenters``, pages named by their
path) and Comentario's (``version: 3``: ``pages``, ``comments``, ``commenters`` by id). Text is
markdown; Commento's anonymous commenter is ``"anonymous"``, its root parent ``"root"``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from service.importing.records import (
    APPROVED,
    DELETED,
    PENDING,
    SPAM,
    CommentRecord,
    ImportFileError,
    ThreadRecord,
    parse_time,
)


def _s(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    try:
        data = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportFileError(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise ImportFileError("not a Commento or Comentario export (no comments list)")
    commenters = {
        c.get("commenterHex") or c.get("id"): c
        for c in data.get("commenters") or []
        if isinstance(c, dict)
    }
    if isinstance(data.get("pages"), list):
        yield from _comentario(data, commenters)
    else:
        yield from _commento(data, commenters)


def _commento(data: dict, commenters: dict) -> Iterator[ThreadRecord | CommentRecord]:
    seen: set[str] = set()
    for item in data["comments"]:
        item = item if isinstance(item, dict) else {}
        path = _s(item.get("url")) or ""
        if path and path not in seen:
            seen.add(path)
            yield ThreadRecord(ref=path, url=path)
        record = CommentRecord(source_id=_s(item.get("commentHex")) or "", thread_ref=path)
        if not record.source_id:
            record.error = "comment without commentHex"
            yield record
            continue
        parent = _s(item.get("parentHex"))
        record.parent_ref = parent if parent and parent != "root" else None
        record.body_text = item.get("markdown") if isinstance(item.get("markdown"), str) else ""
        _author(record, commenters.get(item.get("commenterHex")))
        state = item.get("state") or "approved"
        record.state = (
            DELETED
            if item.get("deleted") is True
            else {"approved": APPROVED, "unapproved": PENDING, "flagged": SPAM}.get(state, PENDING)
        )
        try:
            record.created_at = parse_time(item.get("creationDate"))
        except (ValueError, TypeError) as error:
            record.error = f"creationDate: {error}"
        yield record


def _comentario(data: dict, commenters: dict) -> Iterator[ThreadRecord | CommentRecord]:
    pages = {}
    for page in data["pages"]:
        if isinstance(page, dict) and page.get("id"):
            pages[page["id"]] = page
            yield ThreadRecord(
                ref=str(page["id"]), url=_s(page.get("path")), title=_s(page.get("title"))
            )
    for item in data["comments"]:
        item = item if isinstance(item, dict) else {}
        record = CommentRecord(
            source_id=str(item.get("id") or ""), thread_ref=str(item.get("pageId") or "")
        )
        if not record.source_id:
            record.error = "comment without id"
            yield record
            continue
        record.parent_ref = _s(item.get("parentId"))
        record.body_text = item.get("markdown") if isinstance(item.get("markdown"), str) else ""
        _author(record, commenters.get(item.get("userCreated")))
        if not record.author_name:
            record.author_name = _s(item.get("authorName"))
        if item.get("isDeleted") is True:
            record.state = DELETED
        elif item.get("isSpam") is True:
            record.state = SPAM
        elif item.get("isApproved") is True:
            record.state = APPROVED
        else:
            record.state = PENDING
        try:
            record.created_at = parse_time(item.get("createdTime"))
        except (ValueError, TypeError) as error:
            record.error = f"createdTime: {error}"
        yield record


def _author(record: CommentRecord, who: dict | None) -> None:
    if not isinstance(who, dict):
        return
    record.author_name = _s(who.get("name"))
    record.author_email = _s(who.get("email"))
    record.author_url = _s(who.get("link")) or _s(who.get("websiteUrl"))
