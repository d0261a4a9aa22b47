"""WordPress WXR 1.0, 1.1 and 1.2 (``http://`` or ``https://`` namespace: elements are matched
by local name). One ``<item>`` is one post or page, its ``<wp:comment>`` children its comments.

WordPress stores comment text as typed, and adds paragraphs when it shows it (``wpautop``):
blank lines become paragraphs and single newlines ``<br>``; we do the same before sanitizing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import IO

from service.importing.files import iter_xml, local, text_of
from service.importing.records import (
    APPROVED,
    DELETED,
    PENDING,
    SPAM,
    TRASH,
    CommentRecord,
    ThreadRecord,
    parse_time,
)

_STATES = {"1": APPROVED, "approve": APPROVED, "0": PENDING, "hold": PENDING}
_STATES |= {"spam": SPAM, "trash": TRASH, "post-trashed": TRASH, "deleted": DELETED}
_PARAGRAPHS = re.compile(r"\n\s*\n")


def autop(text: str) -> str:
    """Plain comment text as WordPress shows it: paragraphs and line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if re.search(r"<(p|ul|ol|blockquote|pre)\b", text, re.I):
        return text  # already block-level HTML
    return "".join(
        "<p>" + part.strip().replace("\n", "<br>\n") + "</p>" for part in _PARAGRAPHS.split(text)
    )


def read(stream: IO[bytes]) -> Iterator[ThreadRecord | CommentRecord]:
    # End events only (half the work of start and end); a read item is emptied, and its
    # empty shell is all that stays in memory.
    for _, element in iter_xml(stream, ("end",)):
        if element.tag.endswith("item") and local(element.tag) == "item":
            yield from _item(element)
            element.clear()


def _item(item) -> Iterator[ThreadRecord | CommentRecord]:
    comments = [node for node in item if local(node.tag) == "comment"]
    if not comments:
        return
    ref = (text_of(item, "post_id") or "").strip() or (text_of(item, "link") or "").strip()
    link = (text_of(item, "link") or "").strip() or (text_of(item, "guid") or "").strip()
    title = html.unescape((text_of(item, "title") or "").strip()) or None
    yield ThreadRecord(ref=ref, url=link or None, title=title)
    for node in comments:
        yield _comment(node, ref)


def _comment(node, thread_ref: str) -> CommentRecord:
    fields = {local(child.tag): (child.text or "") for child in node}
    comment_id = fields.get("comment_id", "").strip()
    # Ids are scoped to their post: exports stitched from several blogs reuse them.
    record = CommentRecord(source_id=f"{thread_ref}/{comment_id}", thread_ref=thread_ref)
    if not comment_id:
        record.error = "no comment_id"
        return record
    parent = fields.get("comment_parent", "").strip()
    record.parent_ref = f"{thread_ref}/{parent}" if parent and parent != "0" else None
    record.author_name = html.unescape(fields.get("comment_author", "")).strip() or None
    record.author_email = fields.get("comment_author_email", "").strip() or None
    record.author_url = fields.get("comment_author_url", "").strip() or None
    record.ip = fields.get("comment_author_IP", "").strip() or None
    record.body_html = autop(fields.get("comment_content", ""))
    kind = fields.get("comment_type", "").strip().lower()
    record.kind = kind if kind in ("pingback", "trackback") else "comment"
    approved = fields.get("comment_approved", "").strip().lower()
    state = _STATES.get(approved)
    if state is None:
        record.error = f"unknown comment_approved {approved[:20]!r}"
        return record
    record.state = state
    try:
        gmt = fields.get("comment_date_gmt", "").strip()
        record.created_at = parse_time(
            gmt if gmt and not gmt.startswith("0000") else fields.get("comment_date")
        )
    except ValueError as error:
        record.error = f"comment_date: {error}"
    return record
