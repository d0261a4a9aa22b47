"""Request and response models of what readers do besides commenting (issue 16)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints

from service.comments.schemas import CommentOut, Likes, ThreadUrl
from service.schemas import Slug, Strict, ThreadKey

Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]


class VoteIn(Strict):
    # 1 up, -1 down (where the site allows), 0 takes the vote back.
    value: Literal[1, -1, 0]


class VoteOut(BaseModel):
    id: int
    value: int
    votes: int
    score: int | None = None


class EditIn(Strict):
    body: Body


class EditOut(BaseModel):
    # Pending again: the worker decides the new text; wait on GET /api/v1/comments/{id}?key=.
    comment: CommentOut
    key: str


class DeleteOut(BaseModel):
    id: int
    deleted: bool = True
    # Published replies keep it on the page as "deleted".
    tombstone: bool


class ReportIn(Strict):
    reason: Literal["spam", "abuse", "off_topic", "other"]
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class ReportOut(BaseModel):
    id: int
    reported: bool = True
    # This reader had already reported it: nothing changed.
    duplicate: bool


class PinIn(Strict):
    pinned: bool = True


class PinOut(BaseModel):
    id: int
    pinned: bool
    changed: bool


class ThreadRef(Strict):
    site: Slug
    thread: ThreadKey


class LikeIn(ThreadRef):
    value: Literal[1, 0]
    # The page, as with a comment: kept when the like starts the thread.
    title: Annotated[str, StringConstraints(max_length=300)] | None = None
    url: ThreadUrl | None = None


class LikeOut(BaseModel):
    thread: str
    value: int
    likes: Likes


class CloseIn(ThreadRef):
    closed: bool = True


class CloseOut(BaseModel):
    thread: str
    closed: bool
    changed: bool


class PreviewIn(Strict):
    body: Body
    site: Slug | None = None


class PreviewOut(BaseModel):
    # The HTML the comment would be stored with: the server's own Markdown and sanitizer.
    html: str


class DismissOut(BaseModel):
    id: int
    dismissed: int


class EditOutItem(BaseModel):
    body_source: str
    body_html: str
    status: str
    replaced_at: datetime


class HistoryOut(BaseModel):
    id: int
    # Earlier versions, oldest first; the current text is the comment's own.
    edits: list[EditOutItem]
    body_source: str
    edited_at: datetime | None = None


class ReportItem(BaseModel):
    reason: str
    note: str | None = None
    created_at: datetime
    dismissed: bool = False
    # "signed-in" or "guest": moderators learn how, never who.
    reporter: str


class ChallengeOut(BaseModel):
    """An ALTCHA challenge, as its widgets and solvers read it."""

    algorithm: str
    challenge: str
    maxnumber: int
    salt: str
    signature: str
