"""A live Parley for tests that drive the HTTP API from outside, as its clients do."""

from __future__ import annotations

import pytest

from service.models import ImportJob, Site
from tests.support import workers
from tests.support.apps import DEMO, OTHER, ensure_sites
from tests.support.live_server import serve_wsgi

SEEDED = 6


@pytest.fixture
def live_api(make_app, settings):
    """(base URL, moderator token of site demo) of a Parley served on 127.0.0.1."""
    from service.access import create_token

    app = make_app(settings, sites=(DEMO, OTHER))
    rt = app.extensions["parley"]
    site = ensure_sites(rt, [DEMO])[0]
    with rt.session() as session:
        token = create_token(session, session.get(Site, site.id), "moderator")
        session.commit()
    client = app.test_client()
    for i in range(SEEDED):  # comments with ids 1..SEEDED, decided, for ids to find
        author = {"name": "Ada", "email": f"ada{i}@example.com"}
        body = {
            "site": "demo",
            "thread": "/seeded",
            "body": f"Seeded comment {i}.",
            "author": author,
        }
        assert client.post("/api/v1/comments", json=body).status_code == 202
    workers.drain(rt)
    with rt.session() as session:  # an import (issue 14) for GET /api/v1/moderation/imports/{id}
        session.add(ImportJob(site_id=site.id, format="disqus", created_by="cli", state="done"))
        session.commit()
    with serve_wsgi(app, name="api") as live:
        yield live.url, token
