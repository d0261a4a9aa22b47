"""PARLEY_LOG_FORMAT=json: one JSON object per line, one line per request (request id, route,
status, duration), no credentials and nothing that identifies a reader."""

from __future__ import annotations

import json
import logging

from service.settings import Settings
from tests.support.signin import base_env


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_json_logs_one_line_per_request_without_secrets_or_personal_data(
    make_app, db_url, redis_db_url, capsys
):
    env = {**base_env(db_url, redis_db_url), "PARLEY_LOG_FORMAT": "json"}
    app = make_app(Settings.from_env(env))
    client = app.test_client()
    try:
        capsys.readouterr()
        posted = client.post(
            "/api/v1/comments",
            json={
                "site": "demo",
                "thread": "/posts/logs",
                "body": "Logged, but not my address.",
                "author": {"name": "Private Person", "email": "private.person@example.com"},
            },
            headers={"X-Request-Id": "req-abc-123", "User-Agent": "SecretBrowser/1"},
            environ_base={"REMOTE_ADDR": "198.51.100.23"},
        )
        assert posted.status_code == 202
        assert posted.headers["X-Request-Id"] == "req-abc-123"
        comment = posted.get_json()["comment"]["id"]
        read = client.get(
            f"/api/v1/comments/{comment}?wait=0&key=SECRETKEYVALUE",
            headers={"X-Request-Id": "bad id; with <markup>"},
        )
        logging.getLogger("parley.test").warning("a plain line", extra={"site": "demo"})
        text = capsys.readouterr().err
    finally:
        logging.getLogger().handlers = []
    lines = _lines(text)  # every line is one JSON object
    requests = [line for line in lines if line["logger"] == "parley.request"]
    assert len(requests) == 2, text
    first, second = requests
    assert first["request_id"] == "req-abc-123"
    assert (first["route"], first["method"], first["status"]) == ("/api/v1/comments", "POST", 202)
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert second["route"] == "/api/v1/comments/<int:comment_id>"
    assert second["request_id"] == read.headers["X-Request-Id"] != "bad id; with <markup>"
    assert "key=[redacted]" in second["path"]
    for secret in ("SECRETKEYVALUE", "198.51.100.23", "private.person", "Private Person",
                   "SecretBrowser"):  # fmt: skip
        assert secret not in text, secret
    plain = next(line for line in lines if line["logger"] == "parley.test")
    assert plain == {**plain, "level": "warning", "message": "a plain line", "site": "demo"}


def test_an_unknown_log_format_is_refused():
    from service.settings import SettingsError

    try:
        Settings.from_env({"PARLEY_LOG_FORMAT": "xml", "PARLEY_SECRET_KEY": "k"})
    except SettingsError as error:
        assert "PARLEY_LOG_FORMAT must be text or json" in str(error)
    else:
        raise AssertionError("xml was accepted")


def test_a_warm_read_is_logged_as_flask_logs_it(make_app, db_url, redis_db_url, capsys):
    from tests.support.waiting import wait_until

    env = {**base_env(db_url, redis_db_url), "PARLEY_LOG_FORMAT": "json"}
    app = make_app(Settings.from_env(env))
    layer = app.wsgi_app  # service.comments.warm_reads.WarmReads
    layer.start()
    assert wait_until(layer.listening, timeout=30)
    client = app.test_client()
    url = "/api/v1/counts?site=demo&thread=/posts/logs&key=SECRETKEYVALUE"
    try:
        client.get(url)  # through Flask, and kept
        capsys.readouterr()
        served = layer.served
        for request_id in ("from-flask", "warm"):
            if request_id == "from-flask":
                layer.clear()
            client.get(url, headers={"X-Request-Id": request_id})
        text = capsys.readouterr().err
    finally:
        logging.getLogger().handlers = []
    assert layer.served == served + 1
    flask, warm = [line for line in _lines(text) if line["logger"] == "parley.request"]
    assert (flask["request_id"], warm["request_id"]) == ("from-flask", "warm")
    for field in ("route", "method", "path", "status", "message"):
        assert warm[field] == flask[field], field
    assert "key=[redacted]" in warm["path"] and "SECRETKEYVALUE" not in text
    assert isinstance(warm["duration_ms"], float)
