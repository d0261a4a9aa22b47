"""The notifications API's request and response models."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.comments.schemas import Slug


class ReplySubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    site: Slug
    comment: Annotated[int, Field(ge=1)]


class ReplySubscriptionOut(BaseModel):
    subscribed: bool
    # Why not, when not.
    reason: str | None = None
