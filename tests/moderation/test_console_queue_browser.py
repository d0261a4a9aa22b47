"""The console's queue in Chromium: a moderator clears a mixed queue of 50 (a spam wave, two
comments readers reported until they were held, borderline and honest ones) with the keyboard
and one "select all like this", undoes a bulk action, and sees new comments arrive live.

``PARLEY_SCREENSHOTS=docs/screenshots`` writes the queue's pictures (light, dark) there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.models import Comment, Site
from tests.moderation.helpers import post_from, status_of
from tests.support.live_server import serve_wsgi

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

HONEST = [
    "The harbour photos brought back memories of my grandfather's boat.",
    "I disagree about the tides table; the spring tides were later that year.",
    "Thanks for the clear write-up, the part about moorings was new to me.",
    "Does anyone know whether the ferry still runs in winter?",
    "We visited last summer and the lighthouse museum was closed, sadly.",
    "Lovely piece. My aunt worked at the cannery in the sixties.",
    "The map in the second section is mislabelled: the pier is further east.",
    "I would add that the breakwater was rebuilt after the 1953 storm.",
    "Great read, shared it with my sailing club.",
    "Is there a source for the fishing quota numbers you quote?",
    "This matches what the harbour master told us on the tour.",
    "My kids loved the seal colony, worth the early start.",
    "The café by the slipway does the best chowder, if anyone goes.",
    "Interesting, though the older photos look like the north quay to me.",
    "I remember the old swing bridge; it jammed every August.",
]
BORDERLINE = [
    "YOU SHOULD ALL GO SEE THE REGATTA, IT IS THE BEST DAY OF THE YEAR!!!",
    "Our club writes about the regatta at https://sailing-club.example.org/regatta and "
    "https://sailing-club.example.org/results and https://sailing-club.example.org/photos",
    "ok",
]
# Published at first (nothing a check holds), then reported by three readers each: held.
REPORTED = [
    "Everyone should boycott this harbour festival, the organisers are crooks.",
    "Honestly this blog is a waste of time, read something else.",
]


@pytest.fixture
def live(app):
    with serve_wsgi(app, name="console") as server:
        yield server.url


def _context(browser, live, token, scheme="light", width=1000):
    context = browser.new_context(
        base_url=live,
        color_scheme=scheme,
        viewport={"width": width, "height": 900},
        extra_http_headers={"Authorization": f"Bearer {token}"},
    )
    context.set_default_timeout(20_000)
    return context


def _report(client, cid: int, reader: str, reason: str):
    answer = client.post(
        f"/api/v1/comments/{cid}/report",
        json={"reason": reason, "note": "not what this page is for"},
        headers={"X-Parley-Guest": reader.ljust(16, "x")},
    )
    assert answer.status_code == 200, answer.get_json()


def _seed(client, rt, site, drain):
    ids = {"reported": [], "wave": [], "other": []}
    for i, text in enumerate(REPORTED):
        ids["reported"].append(
            post_from(client, text, f"Grump {i}", f"g{i}@example.net", f"10.3.0.{i}")
        )
    drain()
    assert {status_of(rt, i) for i in ids["reported"]} == {"published"}
    # Every comment waits for a person, and copies are held rather than filed (a site that
    # wants to see its waves): the whole mix lands in the held queue.
    with rt.session() as session:
        session.get(Site, site.id).policy = {
            "premoderate": True,
            "checks": {name: {"spam": 1.01} for name in ("duplicate", "flood", "spam_model")},
        }
        session.commit()
    for i, text in enumerate(HONEST + BORDERLINE):
        ids["other"].append(
            post_from(client, text, f"Reader {i}", f"r{i}@example.org", f"10.3.1.{i}")
        )
    for i in range(50 - len(REPORTED) - len(HONEST) - len(BORDERLINE)):
        ids["wave"].append(
            post_from(
                client,
                f"Nice post. I compared harbour tours on my site https://harbour-deals.example.com/t{i}",
                f"Deal Hunter {i}",
                f"deals{i}@promo{i}.example.com",
                f"10.3.2.{i}",
            )
        )
    drain()
    # Readers report the two published comments; the third report holds each (the site's
    # report_threshold, 3 by default).
    for cid in ids["reported"]:
        for reader, reason in (("one", "abuse"), ("two", "abuse"), ("three", "off_topic")):
            _report(client, cid, f"{reader}-{cid}", reason)
    with rt.session() as session:
        statuses = {i: session.get(Comment, i).status for group in ids.values() for i in group}
    assert set(statuses.values()) == {"held"}, statuses
    return ids


def test_a_moderator_clears_a_mixed_queue_of_50(client, rt, site, drain, browser, live,
                                                moderator_token, tmp_path):  # fmt: skip
    from playwright.sync_api import expect

    ids = _seed(client, rt, site, drain)
    shots = Path(os.environ.get("PARLEY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = _context(browser, live, moderator_token)
    try:
        page = context.new_page()
        page.goto("/moderate")
        rows = page.locator("article.comment")
        expect(rows).to_have_count(50)

        # The deciding reasons come first, as chips; the 19-row table is folded away.
        wave = page.locator(f"#comment-{ids['wave'][0]}")
        expect(wave.locator(".chip-domain")).to_have_text("↗ harbour-deals.example.com")
        expect(wave.locator("table.checks")).not_to_be_visible()
        # A reported comment says so first: how many readers, for what (never who).
        reported = page.locator(f"#comment-{ids['reported'][0]}")
        expect(reported.locator(".chip-report")).to_have_text(
            ["reported 2×: abuse", "reported 1×: off_topic"]
        )
        expect(reported.locator(".history")).to_contain_text("1 held")
        expect(reported).not_to_contain_text("one-")

        for scheme in ("light", "dark"):
            shot_context = _context(browser, live, moderator_token, scheme=scheme)
            try:
                shot = shot_context.new_page()
                shot.goto("/moderate")
                expect(shot.locator("article.comment")).to_have_count(50)
                shot.screenshot(path=str(shots / f"queue-{scheme}.png"), animations="disabled")
            finally:
                shot_context.close()

        # One "select all like this" (same link domain) selects the whole wave; s files it.
        wave.locator("details.like summary").click()
        wave.locator("button[data-like=domain]").click()
        expect(page.locator("#selected-count")).to_contain_text(str(len(ids["wave"])))
        page.keyboard.press("s")
        expect(page.locator(".flash").first).to_contain_text(
            f"Spam: {len(ids['wave'])} of {len(ids['wave'])}"
        )
        # The flash is at the top of the new page: wait for the rest of it and its script
        # before counting rows or pressing keys.
        page.wait_for_load_state()
        assert {status_of(rt, i) for i in ids["wave"]} == {"spam"}
        expect(rows).to_have_count(50 - len(ids["wave"]))

        # The two reported comments are the oldest: at the bottom. Walk there with j, x each, r.
        total = 50 - len(ids["wave"])
        for _ in range(total - 2):
            page.keyboard.press("j")
        page.keyboard.press("x")
        page.keyboard.press("j")
        page.keyboard.press("x")
        expect(page.locator("#selected-count")).to_contain_text("2")
        page.keyboard.press("r")
        expect(page.locator(".flash").first).to_contain_text("Reject: 2 of 2")
        page.wait_for_load_state()
        assert [status_of(rt, i) for i in ids["reported"]] == ["rejected"] * 2

        # Everyone else: select each with x, approve with a.
        remaining = len(HONEST) + len(BORDERLINE)
        expect(rows).to_have_count(remaining)
        for _ in range(remaining):
            page.keyboard.press("x")
            page.keyboard.press("j")
        page.keyboard.press("a")
        expect(page.locator(".flash").first).to_contain_text(f"Approve: {remaining} of {remaining}")
        page.wait_for_load_state()
        expect(page.locator("#empty")).to_be_visible()
        assert {status_of(rt, i) for i in ids["other"]} == {"published"}

        # Undo the last bulk action: the approvals go back to held.
        page.keyboard.press("u")
        expect(page.locator(".flash").first).to_contain_text(f"Undone: {remaining} comment(s)")
        assert {status_of(rt, i) for i in ids["other"]} == {"held"}
        expect(rows).to_have_count(remaining)
    finally:
        context.close()


def test_filters_group_and_live_arrival(client, rt, site, drain, browser, live, moderator_token):
    from playwright.sync_api import expect

    ids = _seed(client, rt, site, drain)
    context = _context(browser, live, moderator_token, width=390)  # a phone
    try:
        page = context.new_page()
        page.goto("/moderate?domain=harbour-deals.example.com")
        expect(page.locator("article.comment")).to_have_count(len(ids["wave"]))
        page.goto("/moderate?status=reported&group=thread")
        expect(page.locator("article.comment")).to_have_count(2)
        expect(page.locator("h2.group-head")).to_have_count(1)
        page.goto("/moderate?domain=sailing-club.example.org")
        expect(page.locator("article.comment")).to_have_count(1)
        page.goto("/moderate?q=lighthouse")
        expect(page.locator("article.comment")).to_have_count(1)

        # A comment held while the page is open shows up without a reload (one the filter
        # leaves out does not).
        other = post_from(client, "Unrelated words.", "Else", "e@x.org", "10.9.0.2")
        page.goto("/moderate?q=ferry")
        expect(page.locator("article.comment")).to_have_count(1)
        # This server is a plain WSGI one (no stream hub): the stream runs on a thread of its own.
        expect(page.locator("body[data-live=stream]")).to_be_attached()
        later = post_from(
            client, "And the ferry timetable changed in May.", "Late", "l@x.org", "10.9.0.1"
        )
        drain()
        expect(page.locator(f"#comment-{later}")).to_be_visible(timeout=20_000)
        expect(page.locator(f"#comment-{other}")).to_have_count(0)
        with rt.session() as session:
            assert session.get(Comment, later).status == "held"
    finally:
        context.close()
