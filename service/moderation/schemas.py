"""The moderation API's request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, StringConstraints

from service.comments.reader_schemas import ReportItem
from service.schemas import Slug, Strict

# "reported": comments with reports no moderator has dismissed, whatever their status.
StatusFilter = Literal["pending", "held", "spam", "published", "rejected", "reported", "all"]
Action = Literal["approve", "reject", "spam", "ham"]


def _blank_is_none(value):
    # An empty filter box in a GET form means "no filter", not a 422.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def Filter(max_length: int):  # noqa: N802 - a type factory, used like a type
    return Annotated[
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)] | None,
        BeforeValidator(_blank_is_none),
    ]


class QueueQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    site: Slug
    status: StatusFilter = "held"
    cursor: Annotated[int, Field(ge=1)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    # A thread key; a substring of the author's name or email; a substring of the text.
    thread: Filter(512) = None
    author: Filter(320) = None
    q: Filter(200) = None
    # The dashboard's filters for waves: a deciding check (by name) and a link's domain.
    check: Filter(64) = None
    domain: Filter(253) = None


class CheckOut(BaseModel):
    check: str
    kind: str
    score: float
    reason: str
    version: str


class ReasonChip(BaseModel):
    """One deciding reason: a check over its hold threshold (or the decision's own reason)."""

    check: str
    label: str  # "link reputation"
    detail: str  # the check's own reason
    score: float | None = None
    kind: str | None = None


class AuthorHistory(BaseModel):
    """The author's comments on this site so far, this one included."""

    published: int = 0
    held: int = 0
    spam: int = 0
    rejected: int = 0
    pending: int = 0
    first_seen: datetime | None = None


class ModAuthor(BaseModel):
    name: str | None
    email: str | None
    url: str | None
    provider: str | None = None
    identity_id: int | None = None


class QueueItem(BaseModel):
    id: int
    site: str
    thread: str
    thread_url: str | None
    parent: int | None
    status: str
    status_reason: str | None
    author: ModAuthor
    body_source: str
    body_html: str
    created_at: datetime
    decided_at: datetime | None
    checks: list[CheckOut]
    # What a moderator reads first (issue 15); computed from the stored check rows.
    thread_title: str | None = None
    reasons: list[ReasonChip] = []
    link_domains: list[str] = []
    author_key: str | None = None
    author_history: AuthorHistory | None = None
    # Readers' reports, oldest first (service.comments.reports): reasons, never reporters.
    reports: list[ReportItem] = []
    # The readers' features a moderator controls (issue 16): pinned on its thread, edited by
    # its author (the history is GET /moderation/comments/{id}/history), the thread closed.
    pinned: bool = False
    edited_at: datetime | None = None
    thread_closed: bool = False


class QueuePage(BaseModel):
    comments: list[QueueItem]
    next_cursor: int | None


class ActionResult(BaseModel):
    id: int
    action: str
    from_status: str
    status: str
    changed: bool


# --- Bulk actions, deletion, bans, audit log, roles (issue 6) ---------------

BulkAction = Literal["approve", "reject", "spam", "ham", "delete", "ban"]
Role = Literal["owner", "moderator"]


class BanOptions(Strict):
    expires_in_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    # Banning an author for a comment files that comment as spam too (default).
    mark_spam: bool = True


class BulkIn(Strict):
    ids: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1, max_length=500)]
    action: BulkAction
    # Only for action "ban".
    ban: BanOptions | None = None


class ItemError(BaseModel):
    code: str
    message: str


class BulkItem(BaseModel):
    id: int
    ok: bool
    from_status: str | None = None
    status: str | None = None
    changed: bool = False
    ban_id: int | None = None
    error: ItemError | None = None


class BulkResult(BaseModel):
    action: str
    changed: int
    failed: int
    results: list[BulkItem]


class BanOut(BaseModel):
    id: int
    site: str
    identity_id: int | None
    email: str | None
    ip_hash: str | None
    reason: str | None
    created_by: str
    comment_id: int | None
    created_at: datetime
    expires_at: datetime | None


class BanResult(BaseModel):
    ban: BanOut
    created: bool
    comment: ActionResult


class BanQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    site: Slug
    include_expired: bool = False


class BanList(BaseModel):
    bans: list[BanOut]


class DeleteResult(BaseModel):
    id: int
    deleted: bool
    from_status: str


class AuditQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    site: Slug
    cursor: Annotated[int, Field(ge=1)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50
    actor: Filter(200) = None
    action: Filter(32) = None
    comment: Annotated[int, Field(ge=1)] | None = None
    # Leave out the worker's own decisions.
    people_only: bool = False


class AuditItem(BaseModel):
    id: int
    actor: str
    action: str
    comment_id: int | None
    from_status: str | None
    to_status: str | None
    note: str | None
    created_at: datetime


class AuditPage(BaseModel):
    events: list[AuditItem]
    next_cursor: int | None


class RoleIn(Strict):
    site: Slug
    role: Role
    email: Annotated[EmailStr, Field(max_length=320)] | None = None
    identity_id: Annotated[int, Field(ge=1)] | None = None


class RoleOut(BaseModel):
    id: int
    site: str
    role: str
    email: str | None
    identity_id: int | None
    name: str | None = None


class RoleResult(BaseModel):
    member: RoleOut
    changed: bool


class RoleList(BaseModel):
    members: list[RoleOut]
