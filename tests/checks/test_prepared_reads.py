"""Prepared reads (service.prepared) answer as ``connection.execute`` does, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.models import utcnow
from service.moderation.bans import _MATCHING_BAN
from service.prepared import Prepared
from worker.checks.history import _FLOOD, _TRUST, _recent
from worker.checks.labels import _NEWEST_LABEL


def test_every_prepared_read_answers_as_sqlalchemy_does(client, post, drain, rt):
    for i in range(6):
        post(f"Comment number {i} about the caching section, with enough words in it.")
    drain()
    now = utcnow()
    author = {"identity": None, "email": "ada@example.com", "ip": None, "before": 10**9}
    cases = [
        (
            _FLOOD[False],
            {**author, "minute": now - timedelta(minutes=1), "hour": now - timedelta(hours=1)},
        ),
        (_TRUST[False], author),
        (_recent(200), {"site": 1, "before": 10**9, "since": now - timedelta(hours=72)}),
        (
            _MATCHING_BAN,
            {"site": 1, "now": now, "identity": None, "email": "x@example.com", "ip": None},
        ),
        (_NEWEST_LABEL, {"site": 1}),
    ]
    with rt.session() as session:
        connection = session.connection()
        for prepared, params in cases:
            expected = [tuple(row) for row in connection.execute(prepared.statement, params)]
            assert prepared.rows(connection, params) == expected, prepared.statement
        # The data is real: six comments on record for the site.
        pairs = _recent(200).scalar(connection, cases[2][1])
        assert pairs and len(pairs.split(",")) >= 6


def test_a_statement_rendered_per_call_is_refused(rt):
    import sqlalchemy as sa

    from service.models import Comment

    expanding = Prepared(
        sa.select(Comment.id).where(Comment.id.in_(sa.bindparam("ids", expanding=True)))
    )
    with rt.session() as session, pytest.raises(ValueError, match="per call"):
        expanding.rows(session.connection(), {"ids": [1, 2]})
