"""Warm public reads answered in front of Flask (service.comments.warm_reads, issue 17): the
same answer Flask gives, byte for byte but for Date and X-Request-Id, dropped by the events
that change a thread, in this process and in a real gunicorn's."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import redis as redis_lib
import requests
import werkzeug.test

from service.comments import cache
from service.comments.cache import READS_CHANNEL
from service.comments.freshness import invalidate_thread_ids
from service.comments.warm_reads import WarmReads
from service.metrics import metrics
from service.models import Site, Thread, utcnow
from tests.support.signin import base_env
from tests.support.waiting import wait_until
from tests.support.web_process import gunicorn

THREAD = "/api/v1/comments?site=demo&thread=/posts/hello"
COUNTS = "/api/v1/counts?site=demo&thread=/posts/hello&thread=/posts/other"
ORIGIN = {"Origin": "http://blog.example.test"}


def _layer(app) -> WarmReads:
    layer = app.wsgi_app
    assert isinstance(layer, WarmReads)
    layer.start()
    assert wait_until(layer.listening, timeout=30)
    return layer


def _comparable(response) -> tuple:
    headers = sorted(
        (k.lower(), re.sub(r"'nonce-[^']+'", "'nonce'", v))
        for k, v in response.headers
        if k.lower() not in {"date", "x-request-id"}
    )
    return response.status, response.data, headers


def _warm(client, layer: WarmReads, url: str, headers: dict):
    """The answer to a repeated request, and whether the layer gave it from memory. (The first
    request after an invalidation may not be kept: the announcement's echo from Redis can
    arrive while it is answered.)"""
    deadline = time.monotonic() + 30
    while True:
        client.get(url, headers={k: v for k, v in headers.items() if k != "If-None-Match"})
        before = layer.served
        response = client.get(url, headers=headers)
        if layer.served == before + 1 or time.monotonic() > deadline:
            return response, layer.served == before + 1


def test_a_warm_answer_is_the_answer_flask_gives(app, client, post, drain):
    post("Warm, and the same as Flask's.")
    drain()
    layer = _layer(app)
    flask = werkzeug.test.Client(layer.app)
    etag = client.get(THREAD, headers=ORIGIN).headers["ETag"]
    counts_etag = client.get(COUNTS, headers=ORIGIN).headers["ETag"]
    for url, headers in [
        (THREAD, ORIGIN),
        (THREAD, {**ORIGIN, "If-None-Match": etag}),
        (THREAD, {**ORIGIN, "If-None-Match": '"someone-else", ' + etag}),
        (THREAD, {**ORIGIN, "If-None-Match": '"not-it"'}),
        (THREAD, {"Origin": "http://evil.example.test"}),
        (THREAD, {}),
        (COUNTS, ORIGIN),
        (COUNTS, {**ORIGIN, "If-None-Match": counts_etag}),
    ]:
        warm, from_memory = _warm(client, layer, url, headers)
        assert from_memory, (url, headers)
        assert _comparable(warm) == _comparable(flask.get(url, headers=headers)), (url, headers)
        assert warm.headers["Date"] and len(warm.headers["X-Request-Id"]) == 32
    ok = client.get(THREAD, headers=ORIGIN)
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN["Origin"]
    assert ok.headers["X-Content-Type-Options"] == "nosniff"
    assert ok.headers["Vary"] == "Origin"
    assert cache.surrogate_key("demo", "/posts/hello") in ok.headers["Surrogate-Key"]
    not_modified = client.get(THREAD, headers={**ORIGIN, "If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert (
        "Access-Control-Allow-Origin"
        not in client.get(THREAD, headers={"Origin": "http://evil.example.test"}).headers
    )
    # The request id a client sends is echoed, as Flask does.
    assert client.get(THREAD, headers={"X-Request-Id": "trace-1"}).headers["X-Request-Id"] == (
        "trace-1"
    )


def test_errors_preflights_and_private_requests_are_flasks_every_time(app, client, site):
    layer = _layer(app)
    flask = werkzeug.test.Client(layer.app)
    for method, url, headers in [
        ("GET", THREAD + "&limit=0", ORIGIN),
        ("GET", "/api/v1/comments?site=demo", ORIGIN),
        ("GET", "/api/v1/counts?site=nowhere&thread=/a", ORIGIN),
        ("GET", THREAD, {**ORIGIN, "Authorization": "Bearer nothing"}),
        ("OPTIONS", THREAD, {**ORIGIN, "Access-Control-Request-Method": "GET"}),
        ("OPTIONS", THREAD, {"Origin": "http://evil.example.test"}),
    ]:
        for _ in range(2):
            before = layer.served
            answer = client.open(url, method=method, headers=headers)
            assert layer.served == before, (method, url)
        assert _comparable(answer) == _comparable(flask.open(url, method=method, headers=headers))
        if answer.status_code >= 400:
            error = answer.get_json()["error"]
            assert error["code"] and error["message"]
    assert client.get(THREAD + "&limit=0").status_code == 422
    assert client.get("/api/v1/counts?site=nowhere&thread=/a").status_code == 404


def test_warm_answers_are_counted_like_flasks(app, client, post, drain):
    post("Counted.")
    drain()
    layer = _layer(app)
    series = metrics().requests.labels("/api/v1/comments", "GET", "200")
    client.get(THREAD)
    before, served = series._value.get(), layer.served
    for _ in range(3):
        client.get(THREAD)
    assert layer.served == served + 3
    assert series._value.get() == before + 3


def test_a_decision_drops_the_warm_answer_at_once(app, client, post, drain):
    first = post("The first one.").get_json()["comment"]["id"]
    drain()
    layer = _layer(app)
    _, from_memory = _warm(client, layer, THREAD, ORIGIN)
    assert from_memory
    counts = client.get(COUNTS).get_json()["counts"]
    assert counts["/posts/hello"] == 1
    second = post("The second one.").get_json()["comment"]["id"]
    assert client.get(THREAD, headers=ORIGIN).get_json()["total"] == 1  # pending: still warm
    drain()
    page = client.get(THREAD, headers=ORIGIN).get_json()
    assert [c["id"] for c in page["comments"]] == [first, second]
    assert client.get(COUNTS).get_json()["counts"]["/posts/hello"] == 2


def test_another_processs_announcement_drops_the_entries_of_that_thread_only(
    app, client, post, drain, redis_db_url
):
    post("Heard about.")
    drain()
    layer = _layer(app)
    client.get(THREAD)
    client.get("/api/v1/counts?site=demo&thread=/posts/elsewhere")
    assert layer.entries() == 2
    conn = redis_lib.Redis.from_url(redis_db_url)
    try:
        conn.publish(READS_CHANNEL, cache.surrogate_key("demo", "/posts/hello"))
    finally:
        conn.close()
    assert wait_until(lambda: layer.entries() == 1, timeout=30)


def test_a_thread_closing_by_age_is_kept_only_while_it_stays_open(
    app, client, rt, site, post, drain
):
    post("About to close.")
    drain()
    layer = _layer(app)

    def closing_in(seconds: float) -> None:
        with rt.session() as session:
            row = session.get(Site, site.id)
            row.policy = {**(row.policy or {}), "auto_close_days": 30}
            thread = session.query(Thread).filter_by(key="/posts/hello").one()
            thread.created_at = utcnow() - timedelta(days=30) + timedelta(seconds=seconds)
            session.commit()
            invalidate_thread_ids(rt, [thread.id])

    closing_in(600)
    answer, from_memory = _warm(client, layer, THREAD, {})
    assert from_memory and answer.get_json()["closes_at"]
    closing_in(2)
    before = layer.served
    answers = [client.get(THREAD, headers=ORIGIN) for _ in range(3)]
    assert layer.served == before and layer.entries() == 0
    assert answers[0].get_json()["closes_at"] and not answers[0].get_json()["closed"]
    assert answers[0].headers["Cache-Control"] != cache.public_cache_control(rt.settings.web)


def test_gunicorn_drops_warm_answers_when_another_process_decides(
    db_url, redis_db_url, rt, site, post, drain, tmp_path
):
    first = post("Read by gunicorn.").get_json()["comment"]["id"]
    drain()
    # Kept for a minute: only the announcement can make the next read fresh within seconds.
    env = {
        **base_env(db_url, redis_db_url),
        "PARLEY_WEB_WORKERS": "2",
        "PARLEY_WEB_THREADS": "4",
        "PARLEY_WARM_READS_SECONDS": "60",
    }
    with gunicorn(env, tmp_path / "web.log") as base:
        url = base + THREAD
        for _ in range(20):  # both processes warm
            page = requests.get(url, headers=ORIGIN, timeout=10)
            assert [c["id"] for c in page.json()["comments"]] == [first]
        etag = page.headers["ETag"]
        again = requests.get(url, headers={**ORIGIN, "If-None-Match": etag}, timeout=10)
        assert again.status_code == 304 and again.headers["ETag"] == etag
        assert again.headers["Access-Control-Allow-Origin"] == ORIGIN["Origin"]
        second = post("Decided in another process.").get_json()["comment"]["id"]
        drain()

        def fresh() -> bool:
            answers = [requests.get(url, headers=ORIGIN, timeout=10) for _ in range(6)]
            return all([c["id"] for c in a.json()["comments"]] == [first, second] for a in answers)

        assert wait_until(fresh, timeout=30)
        changed = requests.get(url, headers={**ORIGIN, "If-None-Match": etag}, timeout=10)
        assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_a_process_keeps_a_bounded_number_of_answers(app, client, site, monkeypatch):
    from service.comments import warm_reads

    monkeypatch.setattr(warm_reads, "MAX_ENTRIES", 3)
    layer = _layer(app)
    for i in range(6):
        assert client.get(f"/api/v1/counts?site=demo&thread=/posts/{i}").status_code == 200
    assert layer.entries() == 3
    before = layer.served
    client.get("/api/v1/counts?site=demo&thread=/posts/5")  # the newest stayed
    assert layer.served == before + 1


def test_a_process_that_only_sees_revalidations_warms_up_too(app, client, post, drain):
    post("Revalidated only.")
    drain()
    layer = _layer(app)
    flask = werkzeug.test.Client(layer.app)
    etag = flask.get(THREAD, headers=ORIGIN).headers["ETag"]
    for headers in ({**ORIGIN, "If-None-Match": etag}, {**ORIGIN, "If-None-Match": '"old"'}):
        layer.clear()
        first = client.get(THREAD, headers=headers)  # a miss: Flask's page, the condition here
        assert _comparable(first) == _comparable(flask.get(THREAD, headers=headers))
        before = layer.served
        again = client.get(THREAD, headers=headers)
        assert layer.served == before + 1
        assert _comparable(again) == _comparable(first)
    assert first.status_code == 200 and again.status_code == 200
    assert client.get(THREAD, headers={"If-None-Match": etag}).status_code == 304


def test_without_its_subscription_a_process_answers_through_flask(app, site):
    from tests.support.live_server import free_port

    inner = app.wsgi_app.app
    deaf = WarmReads(
        inner,
        redis_url=f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
        seconds=60,
        cache_control=cache.public_cache_control(app.extensions["parley"].settings.web),
        json_log=False,
    )
    client = werkzeug.test.Client(deaf)
    answers = [client.get(COUNTS, headers=ORIGIN) for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert deaf.served == 0 and deaf.entries() == 0 and not deaf.listening()
