"""Scale-out: four `parley worker` processes racing on one queue (as `docker compose up
--scale worker=4` runs them) decide every comment exactly once (issue 17)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
import sqlalchemy as sa

from service.models import Comment, ModerationEvent
from tests.support.signin import base_env
from tests.support.waiting import wait_until
from tests.support.workers import worker_process

COMMENTS = 400


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_four_racing_workers_decide_every_comment_once(db_url, redis_db_url, post, rt):
    ids = [
        post(f"Comment {i} for the racing workers, thanks.", thread=f"/race/{i % 40}").get_json()[
            "comment"
        ]["id"]
        for i in range(COMMENTS)
    ]
    assert len(set(ids)) == COMMENTS
    env = {**base_env(db_url, redis_db_url), "PARLEY_JOB_RETRY_INTERVALS": "0"}

    def undecided() -> int:
        with rt.session() as session:
            return session.scalar(
                sa.select(sa.func.count())
                .select_from(Comment)
                .where(Comment.id.in_(ids), Comment.status == "pending")
            )

    with ExitStack() as workers:
        started = [
            workers.enter_context(worker_process(env, options=("--batch", "20"))) for _ in range(4)
        ]
        assert wait_until(lambda: undecided() == 0, timeout=120, interval=0.5), undecided()
    with rt.session() as session:
        decisions = dict(
            session.execute(
                sa.select(ModerationEvent.comment_id, sa.func.count())
                .where(ModerationEvent.comment_id.in_(ids), ModerationEvent.action == "decide")
                .group_by(ModerationEvent.comment_id)
            ).all()
        )
    assert {i: decisions.get(i, 0) for i in ids if decisions.get(i, 0) != 1} == {}
    # Every worker took part (the queue was shared, not drained by the first to start).
    outputs = [w.output for w in started]
    assert sum("moderate-" in out for out in outputs) >= 2, [o[-500:] for o in outputs]
