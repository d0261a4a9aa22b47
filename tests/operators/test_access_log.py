"""Access logs never hold tokens or codes (hardening, low): a real gunicorn with Parley's
configuration, and the development server's werkzeug log."""

from __future__ import annotations

import logging

import requests

from service.redaction import install_werkzeug_filter, redact_target, redact_url
from tests.support.signin import base_env
from tests.support.waiting import wait_until
from tests.support.web_process import gunicorn

SECRETS = ("SECRETCODE", "SECRETSTATE", "SECRETMAIL", "SECRETUNSUB", "SECRETKEY", "SECRETREF")
TARGETS = [
    "/auth/oidc/callback?code=SECRETCODE&state=SECRETSTATE&iss=x",
    "/moderate/mail/SECRETMAIL",
    "/notifications/unsubscribe/SECRETUNSUB",
    "/api/v1/comments/1?wait=0&key=SECRETKEY",
]


def test_gunicorn_access_log_redacts_tokens_and_codes(db_url, redis_db_url, site, tmp_path):
    env = {**base_env(db_url, redis_db_url), "PARLEY_WEB_WORKERS": "1", "PARLEY_WEB_THREADS": "2"}
    log = tmp_path / "access.log"
    with gunicorn(env, log) as base:
        for target in TARGETS:
            requests.get(
                base + target,
                headers={"Referer": "http://u:pw@blog.test/p?token=SECRETREF"},
                timeout=10,
                allow_redirects=False,
            )
        assert wait_until(lambda: log.read_text().count('"GET ') >= len(TARGETS), timeout=30)
    text = log.read_text()
    assert "/moderate/mail/[redacted]" in text and "code=[redacted]&state=[redacted]&iss=x" in text
    assert "/api/v1/comments/1?wait=0&key=[redacted]" in text
    for secret in (*SECRETS, "u:pw"):
        assert secret not in text, secret


def test_werkzeug_request_lines_are_redacted(caplog):
    install_werkzeug_filter()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info(
            '"%s" %s %s', "GET /auth/x/callback?code=SECRETCODE&state=S2 HTTP/1.1", "302", "-"
        )
    assert "SECRETCODE" not in caplog.text and "S2" not in caplog.text
    assert "code=[redacted]" in caplog.text


def test_redaction_keeps_what_operators_read():
    assert (
        redact_target("/api/v1/comments?site=demo&thread=/a")
        == "/api/v1/comments?site=demo&thread=/a"
    )
    assert redact_target("/x?Token=abc&keep=1") == "/x?Token=[redacted]&keep=1"
    assert redact_url("https://a:b@h.test/notifications/unsubscribe/T?x=1") == (
        "https://[redacted]@h.test/notifications/unsubscribe/[redacted]?x=1"
    )


def test_the_default_access_line_is_gunicorns_own_redacted_line():
    from datetime import timedelta
    from types import SimpleNamespace

    import gunicorn.glogging
    from gunicorn.config import Config

    from service.gunicorn_logger import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = RedactingLogger(cfg)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.addHandler(handler)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/api/v1/comments/1?wait=0&key=SECRETKEY&pct=%41",
        "PATH_INFO": "/api/v1/comments/1",
        "QUERY_STRING": "wait=0&key=SECRETKEY&pct=%41",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "http://u:pw@blog.test/p?token=SECRETREF",
        "HTTP_USER_AGENT": "wrk 100%",
    }
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/plain")])
    req = SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])])
    took = timedelta(microseconds=1500)
    try:
        logger.access(resp, req, environ, took)
        expected = cfg.access_log_format % gunicorn.glogging.SafeAtoms(
            logger.atoms(resp, req, environ, took)
        )
    finally:
        logger.access_log.removeHandler(handler)
    assert lines == [expected]
    assert "SECRETKEY" not in lines[0] and "SECRETREF" not in lines[0] and "u:pw" not in lines[0]
    assert '"GET /api/v1/comments/1?wait=0&key=[redacted]&pct=%41 HTTP/1.1" 200 512' in lines[0]


def test_the_access_log_can_be_turned_off():
    from service.settings import Settings

    assert Settings.from_env({}).operations.access_log is True
    assert Settings.from_env({"PARLEY_ACCESS_LOG": "off"}).operations.access_log is False
    try:
        Settings.from_env({"PARLEY_ACCESS_LOG": "sometimes"})
    except Exception as error:
        assert "PARLEY_ACCESS_LOG must be on or off" in str(error)
    else:
        raise AssertionError("a bad PARLEY_ACCESS_LOG was accepted")
