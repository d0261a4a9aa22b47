"""The moderation API's request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from service.comments.schemas import Slug

StatusFilter = Literal["pending", "held", "spam", "published", "rejected", "all"]
Action = Literal["approve", "reject", "spam", "ham"]


class QueueQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    site: Slug
    status: StatusFilter = "held"
    cursor: Annotated[int, Field(ge=1)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class CheckOut(BaseModel):
    check: str
    kind: str
    score: float
    reason: str
    version: str


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


class QueuePage(BaseModel):
    comments: list[QueueItem]
    next_cursor: int | None


class ActionResult(BaseModel):
    id: int
    action: str
    from_status: str
    status: str
    changed: bool
