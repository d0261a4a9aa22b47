"""Issue 6's "Done when", end to end, on SQLite and PostgreSQL:

A moderator signs in, sees why each comment was held, clears a spam wave with
one bulk action, bans its author so their next comment does not publish,
approves a held comment from the link in an email, and finds all of it in the
audit log.

The app is configured as an operator would (PARLEY_* variables, including
SMTP at a local server); sign-in is the real OpenID Connect provider the auth
tests run; mail and decisions come from a real RQ worker (burst).
"""

from __future__ import annotations

import re

import pytest

from service.access import MemberRef, set_role
from service.models import Comment, Site
from tests.support import workers
from tests.support.signin import (
    BASE_URL,
    OIDC_NAME,
    local,
    oidc_env,
    provider_callback,
    start_login,
)

SPAMMER = {"name": "Watch Deals", "email": "deals@spam.example.com"}


@pytest.fixture
def parley(make_app, oidc_provider, mailbox):
    return make_app(
        {
            **oidc_env(oidc_provider),
            "PARLEY_SMTP_HOST": mailbox.host,
            "PARLEY_SMTP_PORT": str(mailbox.port),
            "PARLEY_MAIL_FROM": "parley@example.com",
        }
    )


def test_a_moderator_clears_a_spam_wave_bans_approves_by_mail_and_audits(parley, mailbox):
    rt = parley.extensions["parley"]

    def drain() -> None:
        workers.drain(rt)

    def status(comment_id: int) -> str:
        with rt.session() as session:
            return session.get(Comment, comment_id).status

    readers = parley.test_client()

    def comment(body: str, author: dict, ip: str) -> int:
        response = readers.post(
            "/api/v1/comments",
            environ_base={"REMOTE_ADDR": ip},
            json={"site": "demo", "thread": "/posts/harbour", "body": body, "author": author},
        )
        assert response.status_code in (201, 202), response.get_json()
        return response.get_json()["comment"]["id"]

    with rt.session() as session:
        site = session.query(Site).filter_by(slug="demo").one()
        site.policy = {**site.policy, "premoderate": True}
        email, identity_id = MemberRef.parse(f"{OIDC_NAME}:alice").resolve(session, create=True)
        set_role(session, site.id, "moderator", "test", email=email, identity_id=identity_id)
        session.commit()

    # The moderator signs in with their social account.
    web = parley.test_client()
    callback = provider_callback(start_login(web, "next=/moderate"), "alice")
    assert web.get(local(callback)).headers["Location"] == "/moderate"

    # A spam wave, and one honest comment, all held.
    wave = [comment(f"Cheap watches, visit my shop {i}", SPAMMER, "203.0.113.7") for i in range(5)]
    honest = comment(
        "The harbour photos are lovely.",
        {"name": "Ada", "email": "ada@example.com"},
        "198.51.100.1",
    )
    drain()
    assert {status(i) for i in [*wave, honest]} == {"held"}

    # The moderator sees why each comment was held.
    page = web.get("/moderate").get_data(as_text=True)
    assert page.count('class="comment') == 6
    # The wave is held by its own checks (the spam model, flood, duplicates); the honest
    # comment only by the site's pre-moderation.
    assert page.count("Why: ") == 6
    assert page.count("Why: site holds every comment for review") >= 1
    assert 'data-check="spam_model"' in page
    assert 'data-check="banned_author"' in page and 'data-check="trust"' in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    own = {"Origin": BASE_URL}

    # A form without the page's CSRF token does nothing.
    forged = web.post("/moderate/act", headers=own, data={"action": "spam", "ids": [str(honest)]})
    assert forged.status_code == 403 and status(honest) == "held"

    # One bulk action clears the wave.
    cleared = web.post(
        "/moderate/act",
        headers=own,
        data={"csrf": csrf, "action": "spam", "ids": [str(i) for i in wave], "back": "/moderate"},
    )
    assert cleared.status_code == 303
    assert {status(i) for i in wave} == {"spam"}

    # Ban the author; their next comment, from a new address, does not publish.
    banned = web.post(
        "/moderate/act", headers=own, data={"csrf": csrf, "one": f"{wave[0]}:ban", "ban_days": "30"}
    )
    assert banned.status_code == 303
    again = comment("Cheap watches, now even cheaper", SPAMMER, "203.0.113.99")
    drain()
    assert status(again) == "held"

    # Approve the honest comment from the link in the moderator's mail.
    digests = mailbox.to("alice@example.test")
    assert digests, "the moderator got no mail"
    text = digests[0].get_content().replace("\r\n", "\n")
    approve = re.search(rf"#{honest} by .*?Approve: (\S+)", text, re.S)[1]
    link = approve.removeprefix(BASE_URL)
    assert parley.test_client().get(link).status_code == 200  # a scanner's GET changes nothing
    assert status(honest) == "held"
    assert parley.test_client().post(link).status_code == 200
    assert status(honest) == "published"
    assert parley.test_client().post(link).status_code == 410  # works once

    # All of it is in the audit log.
    events = web.get("/api/v1/moderation/audit?site=demo&people_only=true").get_json()["events"]
    done = [
        (e["actor"], e["action"], e["comment_id"], e["from_status"], e["to_status"]) for e in events
    ]
    alice = f"{OIDC_NAME}:alice"
    assert ("mail:alice@example.test", "approve", honest, "held", "published") in done
    assert any(e[:3] == (alice, "ban", wave[0]) for e in done)
    for spam_id in wave:
        assert (alice, "spam", spam_id, "held", "spam") in done
    assert all(e["created_at"] for e in events)
