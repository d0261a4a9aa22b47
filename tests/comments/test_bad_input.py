"""Bad input always gets the one error shape and a 4xx: never a 500, never a traceback."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from service.models import Comment, Thread
from service.schemas import DB_INT_MAX
from tests.support.outages import database_outage

GOOD = {
    "site": "demo",
    "thread": "/posts/hello",
    "body": "hello",
    "author": {"name": "Ada", "email": "ada@example.com"},
}


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    if field is not None:
        assert body["error"]["field"] == field
    return body["error"]


def post_raw(client, data, content_type="application/json", **headers):
    return client.post("/api/v1/comments", data=data, content_type=content_type, headers=headers)


@pytest.mark.parametrize(
    "raw, code",
    [
        ("{not json", "invalid_json"),
        ("", "invalid_json"),
        ("null", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ('"a string"', "invalid_json"),
        (b"\xff\xfe\x00", "invalid_json"),
    ],
)
def test_body_that_is_not_a_json_object(client, site, raw, code):
    assert_error(post_raw(client, raw), 400, code)


def test_wrong_content_type(client, site):
    assert_error(
        post_raw(client, "site=demo", content_type="application/x-www-form-urlencoded"),
        415,
        "unsupported_media_type",
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"body": 5}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"site": ["demo"]}, "site"),
        ({"thread": None}, "thread"),
        ({"thread": "t" * 513}, "thread"),
        ({"parent": "1"}, "parent"),
        ({"parent": 0}, "parent"),
        ({"parent": True}, "parent"),
        ({"author": "Ada"}, "author"),
        ({"author": {"name": "Ada", "email": "not-an-email"}}, "author.email"),
        ({"author": {"name": "", "email": "ada@example.com"}}, "author.name"),
        ({"author": {"name": "A" * 101, "email": "ada@example.com"}}, "author.name"),
        (
            {"author": {"name": "Ada", "email": "ada@example.com", "url": "javascript:alert(1)"}},
            "author.url",
        ),
        ({"unexpected": 1}, "unexpected"),
        ({"client": {"honeypot": 3}}, "client.honeypot"),
    ],
)
def test_invalid_fields_name_the_field(client, site, change, field):
    payload = {**GOOD, **change}
    assert_error(client.post("/api/v1/comments", json=payload), 422, "validation_failed", field)


@pytest.mark.parametrize("missing", ["site", "thread", "body"])
def test_missing_fields(client, site, missing):
    payload = {k: v for k, v in GOOD.items() if k != missing}
    assert_error(client.post("/api/v1/comments", json=payload), 422, "validation_failed", missing)


def test_guest_without_author(client, site):
    payload = {k: v for k, v in GOOD.items() if k != "author"}
    assert_error(client.post("/api/v1/comments", json=payload), 422, "validation_failed", "author")


def test_unknown_site(client, site):
    assert_error(
        client.post("/api/v1/comments", json={**GOOD, "site": "nope"}),
        422,
        "validation_failed",
        "site",
    )


def test_foreign_origin_is_refused(client, site):
    response = client.post("/api/v1/comments", json=GOOD, headers={"Origin": "http://evil.example"})
    assert_error(response, 403, "origin_not_allowed")


def test_registered_origin_is_accepted_with_cors(client, site):
    response = client.post(
        "/api/v1/comments", json=GOOD, headers={"Origin": "http://blog.example.test"}
    )
    assert response.status_code == 202
    assert response.headers["Access-Control-Allow-Origin"] == "http://blog.example.test"


def test_parent_from_another_thread(client, post, drain):
    other = post("elsewhere", thread="/posts/other").get_json()["comment"]["id"]
    drain()
    assert_error(
        client.post("/api/v1/comments", json={**GOOD, "parent": other}),
        422,
        "validation_failed",
        "parent",
    )


def test_parent_that_does_not_exist(client, site):
    assert_error(
        client.post("/api/v1/comments", json={**GOOD, "parent": 999999}),
        422,
        "validation_failed",
        "parent",
    )


def test_oversized_request(client, site):
    response = post_raw(client, '{"body": "' + "x" * 300_000 + '"}')
    assert_error(response, 413, "payload_too_large")


def test_bad_input_loses_nothing_already_stored(client, post, drain):
    cid = post("kept").get_json()["comment"]["id"]
    post_raw(client, "{broken")
    drain()
    assert client.get(f"/api/v1/comments/{cid}").get_json()["comment"]["status"] == "published"


@pytest.mark.parametrize(
    "url, status, code",
    [
        ("/api/v1/comments/abc", 404, "not_found"),
        ("/api/v1/comments/424242", 404, "not_found"),
        ("/api/v1/comments/1?wait=abc", 422, "validation_failed"),
        ("/api/v1/comments/1?wait=-1", 422, "validation_failed"),
        ("/api/v1/comments?site=demo", 422, "validation_failed"),
        ("/api/v1/comments?thread=/x", 422, "validation_failed"),
        ("/api/v1/comments?site=nope&thread=/x", 404, "not_found"),
        ("/api/v1/comments?site=demo&thread=/x&limit=0", 422, "validation_failed"),
        ("/api/v1/comments?site=demo&thread=/x&limit=lots", 422, "validation_failed"),
        ("/api/v1/counts?site=demo", 422, "validation_failed"),
        ("/api/v1/counts?site=nope&thread=/x", 404, "not_found"),
        ("/no/such/page", 404, "not_found"),
    ],
)
def test_bad_reads(client, site, url, status, code):
    assert_error(client.get(url), status, code)


def test_wrong_method(client, site):
    assert_error(client.put("/api/v1/comments", json=GOOD), 405, "method_not_allowed")


def test_rate_limit_answers_429_with_retry_after(app, client, site, rt):

    rt.settings = rt.settings.overridden(web={"submit_rate_per_minute": 2})
    codes = [client.post("/api/v1/comments", json=GOOD).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    response = client.post("/api/v1/comments", json=GOOD)
    error = assert_error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0 and error["retry_after"] > 0


# -- values no database column can hold, hostile headers, outages (hardening 5 and 7) --

PAST_BIGINT = 2**64  # past SQLite's integers too
PAST_INTEGER = DB_INT_MAX + 1  # past PostgreSQL's INTEGER columns


def test_ids_past_what_the_database_stores_are_not_found(client, site):
    for comment_id in (DB_INT_MAX, PAST_INTEGER, PAST_BIGINT):
        assert_error(client.get(f"/api/v1/comments/{comment_id}"), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/comments?site=demo&thread=/t&after={PAST_BIGINT}",
        f"/api/v1/comments?site=demo&thread=/t&after={PAST_INTEGER}",
        f"/api/v1/threads/events?site=demo&thread=/t&after={PAST_INTEGER}",
    ],
)
def test_query_integers_past_bigint_are_refused(client, site, path):
    assert_error(client.get(path), 422, "validation_failed", field="after")


@pytest.mark.parametrize("parent", [PAST_INTEGER, PAST_BIGINT])
def test_body_integers_past_bigint_are_refused(client, site, parent):
    response = client.post("/api/v1/comments", json={**GOOD, "parent": parent})
    assert_error(response, 422, "validation_failed", field="parent")


def test_moderation_cursors_past_bigint_are_refused(client, site, moderator_token):
    response = client.get(
        f"/api/v1/moderation/comments?site=demo&cursor={PAST_BIGINT}",
        headers={"Authorization": f"Bearer {moderator_token}"},
    )
    assert_error(response, 422, "validation_failed", field="cursor")


@pytest.mark.parametrize("where", ["body", "author.name", "thread"])
def test_a_nul_character_is_refused_in_any_string(client, rt, site, where):
    payload = {**GOOD, "author": dict(GOOD["author"])}
    if where == "author.name":
        payload["author"]["name"] = "Ada\x00"
    else:
        payload[where] = payload[where] + "\x00"
    assert_error(client.post("/api/v1/comments", json=payload), 422, "validation_failed", where)
    with rt.session() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_nul_character_in_a_query_string_is_refused(client, site):
    response = client.get("/api/v1/comments?site=demo&thread=/t%00x")
    assert_error(response, 422, "validation_failed", field="thread")


def test_deeply_nested_json_is_invalid_json(client, site):
    response = post_raw(client, "[" * 100_000 + "]" * 100_000)
    assert_error(response, 400, "invalid_json")
    nested = '{"site": "demo", "a": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert_error(post_raw(client, nested), 400, "invalid_json")


@pytest.mark.parametrize(
    "last_event_id", [str(PAST_BIGINT), str(PAST_INTEGER), "²", "12abc", "-1", "٣"]
)
def test_a_hostile_last_event_id_is_ignored(client, site, last_event_id):
    response = client.get(
        "/api/v1/threads/events?site=demo&thread=/t",
        headers={"Last-Event-ID": last_event_id},
        buffered=False,
    )
    try:
        assert response.status_code == 200
        assert response.mimetype == "text/event-stream"
    finally:
        response.close()


def test_method_not_allowed_says_which_methods_are(client):
    response = client.put("/api/v1/comments")
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_the_openapi_document_declares_every_status_a_route_can_answer(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path, operations in paths.items():
        for method, op in operations.items():
            statuses = set(op["responses"])
            assert "503" in statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if "requestBody" in op:
                assert {"400", "413", "415", "422"} <= statuses, (method, path)
    post = paths["/api/v1/comments"]["post"]["responses"]
    assert {"413", "429", "503"} <= set(post)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_database_outage_answers_503_and_recovers_by_itself(
    client, rt, site, db_url, postgres_url, caplog
):
    outage, admin = database_outage(db_url, postgres_url)

    secret = "a body only the database may see"
    assert client.post("/api/v1/comments", json={**GOOD, "body": "before"}).status_code == 202
    try:
        outage(True)
        caplog.set_level(logging.INFO)
        response = client.post("/api/v1/comments", json={**GOOD, "body": secret})
        assert_error(response, 503, "unavailable")
        assert int(response.headers["Retry-After"]) > 0
        logged = caplog.text
        assert secret not in logged and "ada@example.com" not in logged
        assert "Traceback" not in logged
        assert [r for r in caplog.records if "unavailable" in r.getMessage()]
    finally:
        outage(False)
    # The pool notices the dead connections by itself (pre-ping): no restart.
    assert client.post("/api/v1/comments", json={**GOOD, "body": "after"}).status_code == 202
    with rt.session() as session:
        bodies = session.scalars(sa.select(Comment.body_source).order_by(Comment.id)).all()
        assert bodies == ["before", "after"]  # nothing half-written
        assert session.scalar(sa.select(sa.func.count()).select_from(Thread)) == 1
    admin.dispose()
