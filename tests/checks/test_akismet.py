"""Akismet against a local server speaking its documented REST protocol (v1.1)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import sqlalchemy as sa

from service.models import CheckResultRow, Comment
from service.settings import Settings, SettingsError
from service.settings.akismet import AkismetSettings
from tests.support.live_server import serving

KEY = "test-akismet-key"


class FakeAkismet(BaseHTTPRequestHandler):
    """comment-check answers "true" for Akismet's documented test author
    ``viagra-test-123`` (with the ``discard`` pro-tip when the content also says
    "blatant"), "invalid" plus a debug header for a wrong key, and stalls on
    content containing "stall"; submit-spam/submit-ham thank you."""

    calls: list[tuple[str, dict[str, str]]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        method = self.path.rsplit("/", 1)[-1]
        self.calls.append((method, form))
        headers: dict[str, str] = {}
        if form.get("api_key") != KEY or not form.get("blog"):
            body, headers = "invalid", {"X-akismet-debug-help": "Empty or invalid API key"}
        elif method == "comment-check":
            if "stall" in form.get("comment_content", ""):
                time.sleep(1.5)  # a slow Akismet, past the client's timeout: the delay is the point
            spam = form.get("comment_author") == "viagra-test-123"
            body = "true" if spam else "false"
            if spam and "blatant" in form.get("comment_content", ""):
                headers["X-akismet-pro-tip"] = "discard"
        elif method in ("submit-spam", "submit-ham"):
            body = "Thanks for making the web a better place."
        else:
            self.send_error(404)
            return
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def akismet_url() -> Iterator[str]:
    FakeAkismet.calls = []
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet), name="akismet") as server:
        yield f"{server.url}/1.1"


@pytest.fixture
def settings(settings, akismet_url):
    # Generous: a loaded CI box must not turn an answer into a timeout; the timeout test
    # narrows it.
    config = AkismetSettings(key=KEY, url=akismet_url, blog="http://blog.example.test", timeout=10)
    return settings.overridden(akismet=config)


def submit(client, body: str, author: str = "Ada") -> int:
    response = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": body,
            "author": {"name": author, "email": f"{author.lower()}@example.com"},
        },
    )
    assert response.status_code in (200, 201, 202), response.get_json()
    return response.get_json()["comment"]["id"]


def outcome(rt, comment_id: int) -> tuple[str, CheckResultRow]:
    with rt.session() as session:
        status = session.get(Comment, comment_id).status
        row = session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == comment_id, CheckResultRow.check == "akismet"
            )
        )
        return status, row


def test_akismet_spam_is_filed_as_spam_and_ham_published(client, rt, site, drain):
    spam_id = submit(client, "What a lovely post about gardening.", author="viagra-test-123")
    ham_id = submit(client, "What a lovely post about gardening, thank you.")
    drain()
    status, row = outcome(rt, spam_id)
    assert status == "spam" and row.reason == "Akismet: spam"
    status, row = outcome(rt, ham_id)
    assert status == "published" and row.score == 0.0
    method, form = FakeAkismet.calls[0]
    assert method == "comment-check"
    assert form["comment_content"] == "What a lovely post about gardening."
    assert form["blog"] == "http://blog.example.test" and form["comment_type"] == "comment"


def test_blatant_spam_scores_one(client, rt, site, drain):
    cid = submit(client, "blatant offer", author="viagra-test-123")
    drain()
    status, row = outcome(rt, cid)
    assert status == "spam" and row.score == 1.0 and "blatant" in row.reason


def test_akismet_timeout_holds_the_comment(client, rt, site, drain, settings):
    rt.settings = settings.overridden(akismet={"timeout": 0.5})
    cid = submit(client, "Please do not stall on this one, a fine comment.")
    drain()
    status, row = outcome(rt, cid)
    assert status == "held"
    assert row.score == 1.0 and row.kind == "policy" and "did not answer" in row.reason


def test_akismet_rejecting_the_key_holds_the_comment(client, rt, site, drain, settings):
    rt.settings = settings.overridden(akismet={"key": "wrong"})
    cid = submit(client, "An ordinary comment while the key is wrong.")
    drain()
    status, row = outcome(rt, cid)
    assert status == "held" and "invalid API key" in row.reason


def test_moderator_decisions_are_reported_to_akismet(client, rt, site, drain, moderator_token):
    auth = {"Authorization": f"Bearer {moderator_token}"}
    missed = submit(client, "A comment Akismet let through but moderators call spam.")
    flagged = submit(client, "A comment Akismet flagged wrongly.", author="viagra-test-123")
    drain()
    assert outcome(rt, missed)[0] == "published" and outcome(rt, flagged)[0] == "spam"
    FakeAkismet.calls.clear()
    assert (
        client.post(f"/api/v1/moderation/comments/{missed}/spam", headers=auth).status_code == 200
    )
    assert (
        client.post(f"/api/v1/moderation/comments/{flagged}/ham", headers=auth).status_code == 200
    )
    drain()
    reports = {(method, form["comment_content"]) for method, form in FakeAkismet.calls}
    assert reports == {
        ("submit-spam", "A comment Akismet let through but moderators call spam."),
        ("submit-ham", "A comment Akismet flagged wrongly."),
    }


def test_akismet_settings_are_read_from_the_environment():
    key = {"PARLEY_SECRET_KEY": "k"}
    assert Settings.from_env(key).akismet is None
    # Raises on any problem, so reaching the asserts means there were none.
    config = Settings.from_env(
        {
            **key,
            "PARLEY_AKISMET_KEY": "k",
            "PARLEY_AKISMET_URL": "http://127.0.0.1:9/1.1/",
            "PARLEY_BASE_URL": "https://blog.example",
        }
    ).akismet
    assert config.url == "http://127.0.0.1:9/1.1" and config.blog == "https://blog.example"
    with pytest.raises(SettingsError) as error:
        Settings.from_env({**key, "PARLEY_AKISMET_KEY": "k", "PARLEY_AKISMET_TIMEOUT": "soon"})
    problems = error.value.problems
    assert problems and "PARLEY_AKISMET_TIMEOUT" in problems[0]
