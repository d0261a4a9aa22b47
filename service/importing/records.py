"""What every format's reader yields: threads and comments in the source's own terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# A comment's state at its source, in the words the engine maps to Parley's statuses.
APPROVED = "approved"
PENDING = "pending"
SPAM = "spam"
TRASH = "trash"
DELETED = "deleted"
# Only Parley's own export says this: a moderator rejected it; it stays rejected.
REJECTED = "rejected"
STATES = (APPROVED, PENDING, SPAM, TRASH, DELETED, REJECTED)


@dataclass(slots=True)
class ThreadRecord:
    ref: str
    url: str | None
    title: str | None = None
    deleted: bool = False


@dataclass(slots=True)
class CommentRecord:
    source_id: str
    thread_ref: str | None
    parent_ref: str | None = None
    # Exactly one of the two: HTML from the source (sanitized on the way in), or markdown /
    # plain text (rendered as a new comment is).
    body_html: str | None = None
    body_text: str | None = None
    # With body_html: the text it was written as (Parley's own export keeps the markdown).
    source_text: str | None = None
    author_name: str | None = None
    author_email: str | None = None
    author_url: str | None = None
    ip: str | None = None
    created_at: datetime | None = None
    state: str = APPROVED
    # "comment", or "pingback" / "trackback", which are not reader comments.
    kind: str = "comment"
    # Why the record could not be read (a bad date, a missing id): it counts as failed.
    error: str | None = None


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not the format, not well-formed, forbidden XML)."""


def parse_time(value: str | float | int | None) -> datetime:
    """A source timestamp as an aware UTC datetime: ISO 8601 (with or without ``Z`` or an
    offset), ``YYYY-MM-DD HH:MM:SS`` (taken as UTC), or a Unix time. ValueError otherwise."""
    if value is None or value == "":
        raise ValueError("no date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    text = str(value).strip()
    if text.startswith("0000-00-00"):
        raise ValueError(f"no date ({text})")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date: {text[:40]!r}") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
