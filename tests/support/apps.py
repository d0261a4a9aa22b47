"""Building a Parley app for a test: settings in, sites (with their policy) created, app out.

Every test app comes from ``build_app``; the ``make_app`` and ``app`` fixtures (tests/conftest.py)
add what a test needs around it: the worker runtime in-process drains use, and closing at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Flask

from service import create_app
from service.models import Site
from service.runtime import Runtime
from service.settings import Settings
from service.sites import create_site

BASE_URL = "http://parley.example.test"
SITE_ORIGIN = "http://blog.example.test"


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    name: str
    origins: tuple[str, ...]
    policy: dict = field(default_factory=dict)


DEMO = SiteSpec("demo", "Demo blog", (SITE_ORIGIN,))
OTHER = SiteSpec("other", "Other blog", ("http://other.example.test",))


def ensure_sites(rt: Runtime, sites: Iterable[SiteSpec]) -> list[Site]:
    """Create each site unless one with its slug exists; returns them all, in order."""
    with rt.session() as session:
        found = []
        for spec in sites:
            site = session.query(Site).filter_by(slug=spec.slug).first()
            if site is None:
                site = create_site(
                    session, spec.slug, spec.name, list(spec.origins), spec.policy or None
                )
            found.append(site)
        session.commit()
        return found


def build_app(settings: Settings, sites: Iterable[SiteSpec] = ()) -> Flask:
    app = create_app(settings)
    ensure_sites(app.extensions["parley"], sites)
    return app
