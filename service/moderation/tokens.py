"""Owners manage their site's API tokens: list them (never their secrets), make one (its secret
shown once), revoke one. Under the moderation API's prefix, beside webhooks and roles.

A token is made by a signed-in owner (or ``parley tokens create``), never by another token: a
leaked token must not be able to outlive its own expiry by minting a successor. GitHub's
personal access tokens cannot create tokens either. Any owner, token or session, may revoke.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from flask import Blueprint
from pydantic import BaseModel, Field, StringConstraints

from service.access import (
    bearer_token,
    create_token_row,
    current_actor,
    list_tokens,
    require_owner,
    require_owner_of,
    revoke_token,
    token_is_live,
)
from service.api import endpoint
from service.errors import ApiError
from service.models import ApiToken
from service.runtime import current_runtime
from service.schemas import SiteQuery, Slug, Strict
from service.sites import get_site

bp = Blueprint("tokens", __name__, url_prefix="/api/v1/moderation")


class TokenIn(Strict):
    site: Slug
    role: Literal["moderator", "owner"] = "moderator"
    label: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    # 30 days unless asked (GitHub's default for fine-grained tokens); null: never expires.
    expires_in_days: Annotated[int, Field(ge=1, le=366)] | None = 30


class TokenOut(BaseModel):
    id: int
    site: str
    prefix: str | None  # the first characters, to tell tokens apart; never the secret
    role: str
    label: str | None
    created_by: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    live: bool  # neither revoked nor expired


class TokenList(BaseModel):
    tokens: list[TokenOut]


class TokenCreated(BaseModel):
    token: TokenOut
    # Shown once: only its SHA-256 is kept.
    secret: str


def _out(row: ApiToken, slug: str) -> TokenOut:
    return TokenOut(
        id=row.id,
        site=slug,
        prefix=row.prefix,
        role=row.role,
        label=row.label,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        live=token_is_live(row),
    )


@endpoint(
    bp,
    "/tokens",
    "GET",
    summary="A site's API tokens, revoked and expired ones too (owners only; no secrets)",
    query=SiteQuery,
    responses={200: TokenList},
    auth=True,
    errors=(401, 403, 404),
)
def tokens_of_site(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)
        site = get_site(session, query.site)
        require_owner(session, site.id)
        rows = [_out(row, slug) for row, slug in list_tokens(session, site.id)]
    return TokenList(tokens=rows).model_dump(mode="json")


@endpoint(
    bp,
    "/tokens",
    "POST",
    summary="Make an API token (signed-in owners only, not with a token; audited). "
    "The answer carries the secret, once.",
    body=TokenIn,
    responses={201: TokenCreated},
    auth=True,
    errors=(401, 403, 404),
)
def make_token(body: TokenIn):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)
        site = get_site(session, body.site, field="site")
        actor = require_owner(session, site.id)
        if bearer_token() is not None:
            raise ApiError("forbidden", "tokens are made by a signed-in owner or the CLI")
        lifetime = timedelta(days=body.expires_in_days) if body.expires_in_days else None
        row, secret = create_token_row(
            session, site, body.role, body.label, expires_in=lifetime, created_by=actor.label
        )
        session.commit()
        out = TokenCreated(token=_out(row, site.slug), secret=secret)
    return out.model_dump(mode="json"), 201


@endpoint(
    bp,
    "/tokens/<int:token_id>",
    "DELETE",
    summary="Revoke an API token: it stops working at once (owners only; audited)",
    responses={204: None},
    auth=True,
    errors=(401, 403, 404),
)
def revoke(token_id: int):
    rt = current_runtime()
    with rt.session() as session:
        _row, actor = require_owner_of(session, ApiToken, token_id, "token")
        revoke_token(session, token_id, actor.label)
        session.commit()
    return "", 204
