"""Sites: lookup, embedding origins, and their policy (``service.policy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.errors import ApiError
from service.models import Site
from service.policy import Policy


def policy_of(site: Site, *, strict: bool = True) -> Policy:
    """The site's policy with every default filled in (see ``service.policy``)."""
    return Policy.of(site.policy, strict=strict)


def get_site(session: Session, slug: str, *, field: str | None = None) -> Site:
    site = session.scalar(sa.select(Site).where(Site.slug == slug))
    if site is None:
        if field:
            raise ApiError("validation_failed", f"{field}: unknown site {slug!r}", field=field)
        raise ApiError("not_found", f"unknown site {slug!r}")
    return site


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(site: Site, origin: str, own_origin: str) -> bool:
    """Pages of the site itself, and Parley's own pages, may call the API."""
    origin = origin.rstrip("/").lower()
    allowed = {o.rstrip("/").lower() for o in site.allowed_origins or []}
    return origin in allowed or origin == origin_of(own_origin)


def check_origin(site: Site, origin: str | None, own_origin: str) -> None:
    # Requests without an Origin header do not come from a browser page
    # (curl, servers); browsers always send one on cross-origin POSTs.
    if origin and not origin_allowed(site, origin, own_origin):
        raise ApiError("origin_not_allowed", f"{origin} may not post to site {site.slug!r}")


def create_site(
    session: Session, slug: str, name: str, origins: list[str], policy: dict | None = None
) -> Site:
    """A new site; its policy (only what differs from the defaults) is checked first.

    Raises ``ValueError`` naming every wrong or unknown key of ``policy``.
    """
    Policy.checked(policy or {})
    site = Site(
        slug=slug, name=name, allowed_origins=[origin_of(o) for o in origins], policy=policy or {}
    )
    session.add(site)
    session.flush()
    return site
