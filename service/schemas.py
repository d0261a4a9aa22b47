"""Request types every feature's API shares: a site's slug, a thread key, strict bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ThreadKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]


class Strict(BaseModel):
    # Wrong types are errors, not coercions: "5" is not a comment id.
    model_config = ConfigDict(extra="forbid", strict=True)


class SiteQuery(BaseModel):
    # Query strings carry whatever else a link added; only the site matters here.
    model_config = ConfigDict(extra="ignore")
    site: Slug
