"""Disqus XML exports, old (with ``<email>`` and ``<ipAddress>``) and new (without), streamed.

Top-level ``<thread dsq:id>`` elements are pages; top-level ``<post>`` elements are comments
naming their thread and parent by ``dsq:id`` (a ``<thread>`` inside a post is a reference, not
a page: only depth-1 elements are read). A post without ``dsq:id`` falls back to its ``<id>``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import IO

from service.importing.files import attr, child, iter_xml, local, text_of
from service.importing.records import (
    APPROVED,
    DELETED,
    PENDING,
    SPAM,
    CommentRecord,
    ThreadRecord,
    parse_time,
)


def _flag(value: str | None, name: str) -> bool:
    value = (value or "").strip().lower()
    if value in ("", "false", "0"):
        return False
    if value in ("true", "1"):
        return True
    raise ValueError(f"{name}: not true or false ({value[:20]!r})")


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    depth = 0
    root = None
    for event, element in iter_xml(stream):
        if event == "start":
            if depth == 0:
                root = element
            depth += 1
            continue
        depth -= 1
        if depth != 1:
            continue
        name = local(element.tag)
        if name == "thread":
            yield _thread(element)
        elif name == "post":
            yield _post(element)
        if root is not None:
            root.remove(element)  # nothing read stays in memory


def _thread(element) -> ThreadRecord:
    ref = attr(element, "id") or (text_of(element, "id") or "").strip()
    link = (text_of(element, "link") or "").strip() or None
    title = html.unescape((text_of(element, "title") or "").strip()) or None
    try:
        deleted = _flag(text_of(element, "isDeleted"), "isDeleted")
    except ValueError:
        deleted = False
    return ThreadRecord(ref=ref, url=link, title=title, deleted=deleted)


def _post(element) -> CommentRecord:
    source_id = (attr(element, "id") or text_of(element, "id") or "").strip()
    thread_ref = attr(child(element, "thread"), "id")
    record = CommentRecord(source_id=source_id, thread_ref=thread_ref)
    if not source_id:
        record.error = "post without dsq:id or id"
        return record
    record.parent_ref = attr(child(element, "parent"), "id") or None
    author = child(element, "author")
    if author is not None:
        record.author_name = html.unescape((text_of(author, "name") or "").strip()) or None
        record.author_email = (text_of(author, "email") or "").strip() or None
        record.author_url = (text_of(author, "link") or "").strip() or None
    record.ip = (text_of(element, "ipAddress") or "").strip() or None
    record.body_html = (text_of(element, "message") or "").strip()
    try:
        record.created_at = parse_time(text_of(element, "createdAt"))
        if _flag(text_of(element, "isDeleted"), "isDeleted"):
            record.state = DELETED
        elif _flag(text_of(element, "isSpam"), "isSpam"):
            record.state = SPAM
        elif text_of(element, "isApproved") is not None and not _flag(
            text_of(element, "isApproved"), "isApproved"
        ):
            record.state = PENDING
        else:
            record.state = APPROVED
    except ValueError as error:
        record.error = str(error)
    return record
