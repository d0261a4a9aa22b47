"""Concurrent submits of one web process share a transaction and a commit
(``service.group_commit``): each still gets its 202 only once its own row is committed, a
failed batch is committed again row by row (nothing lost, nothing twice, one error per
request in the standard shape), and every committed row has its moderation job."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from rq.job import Job

from service.comments import views
from service.comments.submit import insert_rows
from service.enqueue import moderation_job_id
from service.models import Comment
from service.status import Status
from tests.support.waiting import wait_until

N = 24


def _payload(i: int, **fields) -> dict:
    return {
        "site": "demo",
        "thread": f"/posts/group-{i % 3}",
        "body": f"Comment number {i} of the group commit test, thanks.",
        "author": {"name": f"Reader {i}", "email": f"reader{i}@example.com"},
        **fields,
    }


class Gate:
    """Holds the first batch's insert until released, so the next requests queue behind it
    (a batch is what queued while the previous one committed)."""

    def __init__(self):
        self.open = threading.Event()
        self.first: list | None = None

    def __call__(self, session, rows):
        if self.first is None:
            self.first = rows
            assert self.open.wait(30)
        return insert_rows(session, rows)


def _post_all(app, payloads: list[dict]) -> list:
    answers: list = [None] * len(payloads)

    def send(i: int) -> None:
        answers[i] = app.test_client().post("/api/v1/comments", json=payloads[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(payloads))]
    for thread in threads:
        thread.start()
    return answers, threads


def test_concurrent_submits_are_committed_together_and_each_enqueued(
    app, rt, site, monkeypatch, drain
):
    gate = Gate()
    monkeypatch.setattr(views, "insert_rows", gate)
    answers, threads = _post_all(app, [_payload(i) for i in range(N)])
    assert wait_until(
        lambda: gate.first is not None and len(rt.submits._queue) == N - len(gate.first), 30
    )
    # Held: none of them is answered before its row's commit.
    assert all(answer is None for answer in answers)
    gate.open.set()
    for thread in threads:
        thread.join(30)

    assert [a.status_code for a in answers] == [202] * N
    ids = [a.get_json()["comment"]["id"] for a in answers]
    assert len(set(ids)) == N
    assert rt.submits.rows == N and rt.submits.batches == 2  # the held one, then the rest
    with rt.session() as session:
        rows = session.execute(sa.select(Comment.id, Comment.body_source, Comment.status)).all()
    assert sorted(r.id for r in rows) == sorted(ids)
    # Each answer is its own row (a mix-up between waiting requests would show here).
    by_id = {r.id: r.body_source for r in rows}
    for i, answer in enumerate(answers):
        assert by_id[answer.get_json()["comment"]["id"]] == _payload(i)["body"]
    # Every job was enqueued (one pipeline per batch) and runs.
    for comment_id in ids:
        assert Job.exists(moderation_job_id(comment_id), connection=rt.redis)
    drain()
    with rt.session() as session:
        statuses = session.scalars(sa.select(Comment.status).where(Comment.id.in_(ids))).all()
    assert Status.PENDING not in statuses and len(statuses) == N


def test_a_failed_batch_is_committed_row_by_row_with_one_error_for_the_bad_row(
    app, rt, site, post, monkeypatch
):
    parent_id = post(thread="/posts/group-0").get_json()["comment"]["id"]
    # Not the newest row: SQLite hands a deleted newest rowid out again.
    assert post("A later comment, kept.", thread="/posts/group-1").status_code == 202
    with rt.session() as session:
        session.execute(
            sa.update(Comment).where(Comment.id == parent_id).values(status=Status.PUBLISHED)
        )
        session.commit()

    gate = Gate()
    monkeypatch.setattr(views, "insert_rows", gate)
    first, first_threads = _post_all(app, [_payload(100)])
    assert wait_until(lambda: gate.first is not None, 30)
    # Queued behind the held batch: two good rows and a reply whose parent passed the
    # checks but is gone by the time the batch inserts it.
    payloads = [_payload(0), _payload(3, parent=parent_id), _payload(6)]
    answers, threads = _post_all(app, payloads)
    assert wait_until(lambda: len(rt.submits._queue) == 3, 30)
    with rt.session() as session:
        session.execute(sa.delete(Comment).where(Comment.id == parent_id))
        session.commit()
    gate.open.set()
    for thread in first_threads + threads:
        thread.join(30)

    assert first[0].status_code == 202
    assert [a.status_code for a in answers] == [202, 409, 202]
    assert answers[1].get_json()["error"]["code"] == "conflict"
    assert set(answers[1].get_json()["error"]) == {"code", "message"}
    with rt.session() as session:
        bodies = session.scalars(sa.select(Comment.body_source)).all()
    # Nothing lost, nothing twice, nothing of the refused reply.
    assert sorted(bodies) == sorted(
        ["A later comment, kept.", _payload(100)["body"], _payload(0)["body"], _payload(6)["body"]]
    )
    for answer in (first[0], answers[0], answers[2]):
        comment_id = answer.get_json()["comment"]["id"]
        assert Job.exists(moderation_job_id(comment_id), connection=rt.redis)


# A refused connection is a PostgreSQL outage; SQLite is a file, so there is no SQLite case.
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_database_outage_answers_every_waiting_request_503_and_stores_nothing(
    app, rt, site, db_url, request, monkeypatch
):
    from tests.support.outages import database_outage

    outage, admin = database_outage(db_url, request.getfixturevalue("postgres_url"))
    gate = Gate()
    monkeypatch.setattr(views, "insert_rows", gate)
    try:
        answers, threads = _post_all(app, [_payload(i) for i in range(4)])
        assert wait_until(
            lambda: gate.first is not None and len(rt.submits._queue) == 4 - len(gate.first), 30
        )
        outage(True)
        rt.engine.dispose()  # the pool's connections went with the outage
        gate.open.set()
        for thread in threads:
            thread.join(60)
    finally:
        outage(False)
        admin.dispose()
    assert [a.status_code for a in answers] == [503] * 4
    assert {a.get_json()["error"]["code"] for a in answers} == {"unavailable"}
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    # Back: the next submit is stored.
    assert app.test_client().post("/api/v1/comments", json=_payload(9)).status_code == 202
