"""Request and answer types of the readers' own-data API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, EmailStr

from service.schemas import Slug, Strict


class EraseRequestIn(Strict):
    site: Slug
    email: EmailStr


class EraseRequestOut(BaseModel):
    # Always the same answer: whether the address wrote anything is not told to the asker.
    requested: bool = True
    message: str


class ErasedOut(BaseModel):
    erased: dict[str, Any]


class MyData(BaseModel):
    site: str
    exported_at: str
    account: dict[str, Any] | None
    comments: list[dict[str, Any]]
    reply_subscriptions: list[dict[str, Any]]
