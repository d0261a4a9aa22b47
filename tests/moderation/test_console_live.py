"""Live arrival in the moderation queue by the site's event stream, on the real web tier
(gunicorn with the stream hub): a comment the worker holds and a comment readers report appear
in an open queue in Chromium without a reload and without polling; the moderators' stream is
answered only to the site's moderators, and readers' streams never carry a held comment."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlencode, urlsplit

import pytest

from service.access import create_token
from service.models import Comment, Site
from tests.moderation.helpers import post_from, status_of
from tests.support.apps import OTHER, SITE_ORIGIN, ensure_sites
from tests.support.waiting import wait_until
from tests.support.web_process import read_until

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

THREAD = "/posts/hello"
HONEST = "The harbour photos brought back memories of my grandfather's boat."
ATTACK = "You are a clueless clown and should stop writing."


def _open(base: str, path: str, query: dict, headers: dict[str, str]) -> socket.socket:
    where = urlsplit(base)
    sock = socket.create_connection((where.hostname, where.port), timeout=10)
    lines = [f"GET {path}?{urlencode(query)} HTTP/1.1", f"Host: {where.netloc}"]
    lines += [f"{k}: {v}" for k, v in {"Accept": "text/event-stream", **headers}.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def _read(sock: socket.socket, marker: bytes, timeout: float = 30) -> bytes:
    """What arrives on ``sock`` until ``marker`` (kept per socket: a read may take in the
    next events too, so every call sees everything the stream has sent)."""
    data = read_until(sock, marker, timeout, _received.get(id(sock), b""))
    _received[id(sock)] = data
    return data


_received: dict[int, bytes] = {}


def _report(client, cid: int, reader: str, reason: str = "abuse"):
    answer = client.post(
        f"/api/v1/comments/{cid}/report",
        json={"reason": reason},
        headers={"X-Parley-Guest": reader.ljust(16, "x")},
    )
    assert answer.status_code == 200, answer.get_json()


def test_the_moderators_stream_is_theirs_alone(client, rt, site, drain, web, moderator_token):
    honest = post_from(client, HONEST, "Ann", "ann@example.org", "10.7.0.1", thread=THREAD)
    drain()
    assert status_of(rt, honest) == "published"
    other = ensure_sites(rt, [OTHER])[0]
    with rt.session() as session:
        other_owner = create_token(session, session.get(Site, other.id), "owner")
        session.commit()
    path = "/api/v1/moderation/events"
    for headers, status in (({}, b"401"), ({"Authorization": f"Bearer {other_owner}"}, b"403")):
        refused = _open(web, path, {"site": "demo"}, headers)
        answer = _read(refused, b"}")
        _received.pop(id(refused), None)
        refused.close()
        assert answer.startswith(b"HTTP/1.1 " + status), answer
        assert b"event:" not in answer
    # A site's page may not read it with the moderator's cookies: CORS never allows credentials.
    moderator = _open(web, path, {"site": "demo"}, {"Authorization": f"Bearer {moderator_token}",
                                                     "Origin": SITE_ORIGIN})  # fmt: skip
    reader = _open(web, "/api/v1/threads/events", {"site": "demo", "thread": THREAD},
                   {"Origin": SITE_ORIGIN})  # fmt: skip
    try:
        head = _read(moderator, b": connected")
        assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
        assert b"Access-Control-Allow-Credentials" not in head
        assert b": connected" in _read(reader, b": connected")

        held = post_from(client, ATTACK, "Troll", "troll@example.net", "10.7.0.2", thread=THREAD)
        drain()
        assert status_of(rt, held) == "held"
        news = _read(moderator, f'"id": {held}'.encode())
        assert f'data: {{"id": {held}, "status": "held"}}'.encode() in news
        # The reader's stream says nothing of it; the next published comment reaches both.
        later = post_from(client, "Thanks, lovely read.", "Bo", "bo@example.org", "10.7.0.3",
                          thread=THREAD)  # fmt: skip
        drain()
        seen = _read(reader, f"id: {later}".encode())
        assert f'"id": {later}'.encode() in seen
        assert f'"id": {held}'.encode() not in seen and b"clueless" not in seen
        assert f'"id": {later}, "status": "published"'.encode() in _read(
            moderator, f'"id": {later}'.encode()
        )
        # A report below the hold threshold is news for moderators only.
        _report(client, honest, "first-reader")
        assert f'"id": {honest}, "status": "published"'.encode() in _read(
            moderator, f'"id": {honest}'.encode()
        )
        assert status_of(rt, honest) == "published"
        assert f'"id": {honest}'.encode() not in _read(reader, b"never", timeout=1.5)
    finally:
        for sock in (moderator, reader):
            _received.pop(id(sock), None)
            sock.close()


@pytest.mark.browser
def test_held_and_reported_comments_appear_in_an_open_queue(
    client, rt, site, drain, web, parley_worker, browser, moderator_token
):
    from playwright.sync_api import expect

    honest = post_from(client, HONEST, "Ann", "ann@example.org", "10.8.0.1", thread=THREAD)
    drain()
    assert status_of(rt, honest) == "published"
    context = browser.new_context(
        base_url=web, extra_http_headers={"Authorization": f"Bearer {moderator_token}"}
    )
    context.set_default_timeout(20_000)
    polls: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "request",
            lambda r: (
                polls.append(r.url) if "/moderate/cards?" in r.url and "after=" in r.url else None
            ),
        )
        page.goto("/moderate?site=demo")
        expect(page.locator("#empty")).to_be_visible()
        expect(page.locator("body[data-live=stream]")).to_be_attached()

        # The worker holds a comment: it appears on top, marked, without a reload.
        # The real worker (`parley worker`, batching, in its own process) decides it.
        held = post_from(client, ATTACK, "Troll", "troll@example.net", "10.8.0.2", thread=THREAD)
        assert wait_until(lambda: status_of(rt, held) != "pending", timeout=60)
        assert status_of(rt, held) == "held"
        card = page.locator(f"#comment-{held}")
        expect(card).to_be_visible()
        expect(card).to_have_class(re.compile(r"\bfresh\b"))
        expect(card.locator(".chip[data-check=personal_attack]")).to_contain_text("clown")
        expect(page.locator("#live")).to_contain_text("1 new")

        # Readers report the published comment; at the third report it is held and arrives
        # with its reports as chips.
        for reader in ("r-one", "r-two", "r-three"):
            _report(client, honest, reader)
        assert status_of(rt, honest) == "held"
        reported = page.locator(f"#comment-{honest}")
        expect(reported).to_be_visible()
        expect(reported.locator(".chip-report")).to_contain_text("reported 3×: abuse")
        expect(page.locator("article.comment")).to_have_count(2)
        # The newest card keeps the keyboard: j/k walk the arrivals like any card.
        page.keyboard.press("j")
        expect(page.locator("article.comment.current")).to_have_count(1)

        # A colleague approves one elsewhere (the API): it leaves this queue on its own.
        answer = client.post(
            f"/api/v1/moderation/comments/{held}/approve",
            headers={"Authorization": f"Bearer {moderator_token}"},
        )
        assert answer.status_code == 200
        expect(page.locator(f"#comment-{held}")).to_have_count(0)
        expect(page.locator("article.comment")).to_have_count(1)

        # The reported tab hears of a report below the threshold.
        page.goto("/moderate?site=demo&status=reported")
        expect(page.locator("article.comment")).to_have_count(1)
        expect(page.locator("body[data-live=stream]")).to_be_attached()
        fresh = post_from(client, "Lovely, thanks.", "Cy", "cy@example.org", "10.8.0.3",
                          thread=THREAD)  # fmt: skip
        assert wait_until(lambda: status_of(rt, fresh) != "pending", timeout=60)
        assert status_of(rt, fresh) == "published"
        expect(page.locator(f"#comment-{fresh}")).to_have_count(0)  # published: not news here
        _report(client, fresh, "r-four", "spam")
        expect(page.locator(f"#comment-{fresh}")).to_be_visible()
        expect(page.locator(f"#comment-{fresh} .chip-report")).to_contain_text("reported 1×: spam")
        with rt.session() as session:
            assert session.get(Comment, fresh).status == "published"
        assert polls == [], polls  # the stream, not a poll
    finally:
        context.close()


def test_without_the_hub_a_stream_ends_when_its_page_leaves(app, rt, site, moderator_token):
    # A plain WSGI server (no stream hub): the stream holds a thread and a subscription of its
    # own, and gives both back as soon as the browser hangs up, not at its next write.
    from tests.support.live_server import serve_wsgi

    def subscribed() -> int:
        return sum(int(c["psub"]) for c in rt.redis.client_list(_type="pubsub"))

    before = subscribed()
    with serve_wsgi(app, name="console-stream") as server:
        sock = _open(server.url, "/api/v1/moderation/events", {"site": "demo"},
                     {"Authorization": f"Bearer {moderator_token}"})  # fmt: skip
        assert b": connected" in _read(sock, b": connected")
        assert wait_until(lambda: subscribed() == before + 1, timeout=30)
        _received.pop(id(sock), None)
        sock.close()
        assert wait_until(lambda: subscribed() == before, timeout=30)


@pytest.mark.browser
def test_an_older_answer_never_brings_back_a_card_a_newer_one_took_away(
    client, rt, site, drain, web, browser, moderator_token
):
    """A comment is held, then approved a moment later: the queue asks about it twice, and the
    answers may come back in either order. Here the first answer (held: a card) is held back
    until the second (approved: no card) is in; the card must not appear."""
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=web, extra_http_headers={"Authorization": f"Bearer {moderator_token}"}
    )
    context.set_default_timeout(20_000)
    first_answers: list = []
    questions = []

    def hold_the_first(route):
        questions.append(route.request.url)
        if len(questions) > 1:
            route.continue_()
        else:  # asked now, answered to the page when the test says
            first_answers.append((route, route.fetch()))

    try:
        page = context.new_page()
        page.route(lambda url: "/moderate/cards?" in url and "ids=" in url, hold_the_first)
        page.goto("/moderate?site=demo")
        expect(page.locator("body[data-live=stream]")).to_be_attached()

        asks = lambda r: "/moderate/cards?" in r.url and "ids=" in r.url  # noqa: E731
        with page.expect_request(asks):
            held = post_from(client, ATTACK, "Troll", "troll@example.net", "10.9.0.2",
                             thread=THREAD)  # fmt: skip
            drain()
        assert status_of(rt, held) == "held"
        # Route handlers run while the test is in a Playwright call: until the first question
        # has reached the server (and its answer is held), give them the turn.
        for _ in range(400):
            if first_answers:
                break
            page.wait_for_timeout(50)
        with page.expect_response(asks) as second:
            approved = client.post(
                f"/api/v1/moderation/comments/{held}/approve",
                headers={"Authorization": f"Bearer {moderator_token}"},
            )
            assert approved.status_code == 200
        assert f"ids={held}" in second.value.url and len(first_answers) == 1
        route, answer = first_answers.pop()
        assert f'id="comment-{held}"' in answer.text()  # it was held when asked first
        route.fulfill(response=answer)

        # News that comes after the late answer shows the page has handled it.
        later = post_from(client, "Only a clueless clown would write this drivel, idiot.",
                          "Troll", "troll2@example.net", "10.9.0.3", thread=THREAD)  # fmt: skip
        drain()
        assert status_of(rt, later) == "held"
        expect(page.locator(f"#comment-{later}")).to_be_visible()
        expect(page.locator(f"#comment-{held}")).to_have_count(0)
    finally:
        context.close()
