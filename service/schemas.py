"""Request types every feature's API shares: a site's slug, a thread key, strict bodies."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints
from werkzeug.routing import IntegerConverter

# The largest integer every id column holds: PostgreSQL's INTEGER is 32 bits
# (SQLite's is 64). A larger id or cursor from a client matches nothing, so it
# is refused as input rather than failing in the driver with a 500.
DB_INT_MAX = 2**31 - 1


class DatabaseIntConverter(IntegerConverter):
    """``<int:id>`` in a route, bounded by what an id column holds."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ThreadKey = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=512)]


class Strict(BaseModel):
    # Wrong types are errors, not coercions: "5" is not a comment id.
    model_config = ConfigDict(extra="forbid", strict=True)


class SiteQuery(BaseModel):
    # Query strings carry whatever else a link added; only the site matters here.
    model_config = ConfigDict(extra="ignore")
    site: Slug
