"""Fixtures for the reader features (votes, sort, pins, edits, reports, likes, closing...)."""

from __future__ import annotations

import pytest

from service.models import Site


@pytest.fixture
def published(post, drain):
    """Post guest comments on /posts/hello and publish them; returns the POST answers."""

    def publish(*bodies: str, **fields) -> list[dict]:
        answers = [post(body, **fields).get_json() for body in bodies]
        drain()
        return answers

    return publish


@pytest.fixture
def set_policy(rt, site):
    """Change the demo site's stored policy for this test."""

    def set_policy(**changes):
        with rt.session() as session:
            row = session.get(Site, site.id)
            row.policy = {**(row.policy or {}), **changes}
            session.commit()

    return set_policy


@pytest.fixture
def listing(client):
    def listing(thread: str = "/posts/hello", **params) -> dict:
        answer = client.get(
            "/api/v1/comments", query_string={"site": "demo", "thread": thread, **params}
        )
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    return listing


def guest(token: str) -> dict:
    return {"X-Parley-Guest": token.ljust(16, "x")}
