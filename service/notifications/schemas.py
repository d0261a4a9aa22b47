"""The notifications API's request and response models: reply mail and webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from service.schemas import Slug, Strict


class ReplySubscriptionIn(Strict):
    site: Slug
    comment: Annotated[int, Field(ge=1)]


class ReplySubscriptionOut(BaseModel):
    subscribed: bool
    # Why not, when not.
    reason: str | None = None


WebhookEvent = Literal["comment.published", "comment.held", "comment.spam"]


class WebhookIn(Strict):
    site: Slug
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
    events: Annotated[list[WebhookEvent], Field(min_length=1, max_length=3)]


class WebhookOut(BaseModel):
    id: int
    site: str
    url: str
    events: list[str]
    created_by: str
    created_at: datetime


class WebhookCreated(BaseModel):
    webhook: WebhookOut
    # Shown once: the receiver needs it to check X-Parley-Signature.
    secret: str


class WebhookList(BaseModel):
    webhooks: list[WebhookOut]
