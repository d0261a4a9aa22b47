"""The optional external abuse checks against a local server speaking each protocol.

One server answers both: Perspective's ``comments:analyze`` (key in the query) and an
OpenAI-compatible ``/v1/moderations`` (bearer key). Each scenario runs once per protocol,
with only that check configured. The server flags a marker word no local check knows,
so a held comment is the external check's doing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from service.models import CheckResultRow, Comment
from service.settings import Settings, SettingsError
from service.settings.external import ModerationSettings, PerspectiveSettings
from tests.support.live_server import free_port, serving

KEY = "test-external-key"
MODEL = "test-moderation-model"
FLAGGED_WORD = "zorbulate"  # what the fake services call abuse


def scores_for(text: str) -> dict[str, float]:
    if "overflow" in text:  # not a probability: a service that is not what it claims
        return {"TOXICITY": 1.7, "INSULT": 1.7}
    bad = FLAGGED_WORD in text
    return {"TOXICITY": 0.93 if bad else 0.04, "INSULT": 0.91 if bad else 0.02}


class FakeServices(BaseHTTPRequestHandler):
    """Texts containing "explode" get HTTP 500, "stall" a reply past the client's timeout,
    "garble" a 200 that is not the protocol's answer, "overflow" scores over 1; a wrong key
    gets HTTP 401."""

    calls: list[tuple[str, dict, dict[str, str]]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.calls.append((parts.path, body, query | dict(self.headers)))
        if parts.path.endswith("comments:analyze"):
            authorized, text = query.get("key") == KEY, body["comment"]["text"]
        else:
            authorized = self.headers.get("Authorization") == f"Bearer {KEY}"
            text = body["input"]
        if not authorized:
            return self.reply(401, {"error": {"message": "bad key"}})
        if "explode" in text:
            return self.reply(500, {"error": {"message": "internal"}})
        if "stall" in text:
            time.sleep(1.5)  # past the timeout test's 0.5 s: the delay is the point
        if "garble" in text:
            return self.reply(200, {"status": "ok"})
        scores = scores_for(text)
        if parts.path.endswith("comments:analyze"):
            requested = body["requestedAttributes"]
            answer = {
                "attributeScores": {
                    name: {"summaryScore": {"value": value, "type": "PROBABILITY"}}
                    for name, value in scores.items()
                    if name in requested
                },
                "languages": ["en"],
            }
        else:
            categories = {"harassment": scores["INSULT"], "violence": 0.01}
            answer = {
                "id": "modr-1",
                "model": body["model"],
                "results": [
                    {
                        "flagged": FLAGGED_WORD in text,
                        "categories": {k: v >= 0.5 for k, v in categories.items()},
                        "category_scores": categories,
                    }
                ],
            }
        self.reply(200, answer)

    def reply(self, status: int, answer: dict) -> None:
        data = json.dumps(answer).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: what the timeout test wants

    def log_message(self, *args) -> None:
        pass


@dataclass(frozen=True)
class Service:
    check: str  # the check's name, as stored on its result rows
    section: str  # its settings section

    def configure(self, settings: Settings, root: str, timeout: float = 10.0) -> Settings:
        # Generous by default: a loaded CI box must not turn an answer into a timeout.
        if self.section == "perspective":
            config = PerspectiveSettings(
                url=f"{root}/v1alpha1/comments:analyze", key=KEY, timeout=timeout
            )
        else:
            config = ModerationSettings(
                url=f"{root}/v1/moderations", key=KEY, model=MODEL, timeout=timeout
            )
        return settings.overridden(**{self.section: config})


SERVICES = [Service("perspective", "perspective"), Service("moderation_api", "moderation")]


@pytest.fixture
def fake_root() -> Iterator[str]:
    FakeServices.calls = []
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), FakeServices), name="external") as server:
        yield server.url


@pytest.fixture(params=SERVICES, ids=lambda s: s.check)
def service(request) -> Service:
    return request.param


@pytest.fixture
def settings(settings, fake_root, service):
    return service.configure(settings, fake_root)


def outcome(rt, response, check: str) -> tuple[str, CheckResultRow]:
    assert response.status_code in (200, 201, 202), response.get_json()
    comment_id = response.get_json()["comment"]["id"]
    with rt.session() as session:
        status = session.get(Comment, comment_id).status
        row = session.scalar(
            sa.select(CheckResultRow).where(
                CheckResultRow.comment_id == comment_id, CheckResultRow.check == check
            )
        )
        return status, row


def test_flagged_text_is_held_and_clean_text_published(post, rt, drain, service):
    flagged = post(f"What a lovely post about gardening, you {FLAGGED_WORD}.")
    clean = post("What a lovely post about gardening, thank you.")
    drain()
    status, row = outcome(rt, flagged, service.check)
    assert status == "held" and row.kind == "abuse" and row.score >= 0.9
    if service.check == "perspective":
        assert row.score == 0.93 and "TOXICITY 0.93" in row.reason and "INSULT 0.91" in row.reason
    else:
        assert row.score == 0.91 and "flagged harassment" in row.reason
    status, row = outcome(rt, clean, service.check)
    assert status == "published" and row.kind == "abuse" and row.score < 0.1


def test_the_request_speaks_the_protocol(post, rt, drain, service):
    post("What a lovely post about gardening, thank you.")
    drain()
    [(path, body, meta)] = FakeServices.calls
    if service.check == "perspective":
        assert path == "/v1alpha1/comments:analyze" and meta["key"] == KEY
        assert body["comment"] == {"text": "What a lovely post about gardening, thank you."}
        assert body["requestedAttributes"]["TOXICITY"] == {} and body["doNotStore"] is True
    else:
        assert path == "/v1/moderations" and meta["Authorization"] == f"Bearer {KEY}"
        assert body == {"model": MODEL, "input": "What a lovely post about gardening, thank you."}


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("A fine comment, though the server will explode.", "HTTP 500"),
        ("A fine comment; please do not stall on it.", "Timeout"),
        ("A fine comment answered with garble.", "unexpected answer"),
        ("A fine comment scored with an overflow.", "is not a probability"),
    ],
    ids=["server-error", "timeout", "bad-answer", "bad-score"],
)
def test_no_answer_holds_the_comment(post, rt, drain, service, settings, fake_root, body, why):
    if why == "Timeout":
        rt.settings = service.configure(settings, fake_root, timeout=0.5)
    response = post(body)
    drain()
    status, row = outcome(rt, response, service.check)
    assert status == "held"
    assert row.score == 1.0 and row.kind == "policy"
    assert "did not answer" in row.reason and why in row.reason


def test_a_rejected_key_holds_the_comment(post, rt, drain, service, settings):
    rt.settings = settings.overridden(**{service.section: {"key": "wrong"}})
    response = post("An ordinary comment while the key is wrong.")
    drain()
    status, row = outcome(rt, response, service.check)
    assert status == "held" and "HTTP 401" in row.reason


def test_a_service_that_is_down_holds_the_comment(post, rt, drain, service, settings):
    # Nothing listens on a port just found free.
    rt.settings = service.configure(settings, f"http://127.0.0.1:{free_port()}")
    response = post("An ordinary comment while the service is down.")
    drain()
    status, row = outcome(rt, response, service.check)
    assert status == "held" and row.kind == "policy" and "ConnectionError" in row.reason


def test_external_checks_are_off_by_default_and_read_from_the_environment():
    key = {"PARLEY_SECRET_KEY": "k"}
    off = Settings.from_env(key)
    assert off.perspective is None and off.moderation is None
    # Raises on any problem, so reaching the asserts means there were none.
    on = Settings.from_env(
        {
            **key,
            "PARLEY_PERSPECTIVE_URL": "https://perspective.example/v1alpha1/comments:analyze",
            "PARLEY_PERSPECTIVE_KEY": "pk",
            "PARLEY_PERSPECTIVE_ATTRIBUTES": "insult, threat",
            "PARLEY_MODERATION_URL": "http://127.0.0.1:9/v1/moderations/",
            "PARLEY_MODERATION_KEY": "mk",
            "PARLEY_MODERATION_MODEL": "m",
            "PARLEY_MODERATION_TIMEOUT": "1.5",
        }
    )
    assert on.perspective == PerspectiveSettings(
        url="https://perspective.example/v1alpha1/comments:analyze",
        key="pk",
        attributes=("TOXICITY", "INSULT", "THREAT"),
    )
    assert on.moderation == ModerationSettings(
        url="http://127.0.0.1:9/v1/moderations", key="mk", model="m", timeout=1.5
    )
    assert on.moderation.model == "m"
    assert Settings.from_env({**key, "PARLEY_MODERATION_URL": "http://m"}).moderation.model == (
        "omni-moderation-latest"
    )


def test_bad_external_settings_are_reported_with_every_other_problem():
    with pytest.raises(SettingsError) as error:
        Settings.from_env(
            {
                "PARLEY_SECRET_KEY": "k",
                "PARLEY_PERSPECTIVE_URL": "ftp://perspective.example/analyze",
                "PARLEY_MODERATION_URL": "https:///v1/moderations",
                "PARLEY_MODERATION_TIMEOUT": "soon",
                "PARLEY_PERSPECTIVE_TIMEOUT": "60",
                "PARLEY_AKISMET_KEY": "a",
                "PARLEY_AKISMET_URL": "rest.akismet.com",
            }
        )
    problems = "\n".join(error.value.problems)
    for name in (
        "PARLEY_PERSPECTIVE_URL must be an http(s) URL",
        "PARLEY_MODERATION_URL must be an http(s) URL",
        "PARLEY_MODERATION_TIMEOUT must be seconds",
        "PARLEY_PERSPECTIVE_TIMEOUT must be seconds",
        "PARLEY_AKISMET_URL must be an http(s) URL",
    ):
        assert name in problems
