"""Notifications, sent by the worker: held-comment digests with one-click links
(local SMTP server), reply mail with unsubscribe, signed webhooks with retries
(local HTTP receiver)."""

from __future__ import annotations

import json
import re
import time

import pytest

from service.auth.readers import issue_reader_token
from service.models import Comment, Identity, MailLinkUse, ModerationEvent, Notice, SiteMember
from service.notifications.links import LinkError, read_link_token
from service.notifications.webhooks import verify_signature
from service.settings.mail import MailSettings
from tests.moderation.helpers import bearer, hold_everything, post_from, status_of
from tests.support.waiting import wait_until

BASE = "http://parley.example.test"
_LINKS = re.compile(r"#(\d+) by .*?Approve: (\S+)\nReject:  (\S+)", re.S)


def links_in(message) -> dict[int, dict[str, str]]:
    """{comment id: {"approve": path, "reject": path}} from a digest."""
    text = message.get_content().replace("\r\n", "\n")
    return {
        int(m[1]): {"approve": m[2].removeprefix(BASE), "reject": m[3].removeprefix(BASE)}
        for m in _LINKS.finditer(text)
    }


def test_a_spam_wave_is_one_digest_per_moderator(client, rt, site, drain, mailbox, mod_mail):
    hold_everything(rt, site)
    wave = [post_from(client, f"Wave {i}", "W", "w@example.com", "10.1.0.1") for i in range(6)]

    assert mailbox.messages == []  # nothing is mailed inside the request
    drain()

    assert len(mailbox.messages) == 1
    mail = mailbox.messages[0]
    assert mail["To"] == mod_mail and "6 comments" in mail["Subject"]
    assert sorted(links_in(mail)) == sorted(wave)
    assert "Held because: site holds every comment for review" in mail.get_content()
    # The next held comment waits for the window to pass: a scheduled digest, no mail yet.
    post_from(client, "One more", "W", "w@example.com", "10.1.0.1")
    drain()
    assert len(mailbox.messages) == 1
    scheduled = rt.queue.scheduled_job_registry.get_job_ids()
    assert [rt.queue.fetch_job(j).func_name for j in scheduled] == ["worker.notify.send_digest"]
    with rt.session() as session:
        unsent = session.query(Notice).filter_by(kind="held", sent_at=None).count()
    assert unsent == 1


def test_one_click_approve_works_once_and_only_by_post(client, rt, site, drain, mailbox, mod_mail):
    hold_everything(rt, site)
    first = post_from(client, "Please approve me", "Ada", "ada@example.com", "10.1.1.1")
    second = post_from(client, "And me", "Ada", "ada@example.com", "10.1.1.1")
    drain()
    links = links_in(mailbox.messages[0])

    page = client.get(links[first]["approve"])  # what a mail scanner does
    assert page.status_code == 200 and b"Please approve me" in page.data
    assert status_of(rt, first) == "held"

    done = client.post(links[first]["approve"])

    assert done.status_code == 200 and b"now published" in done.data
    assert status_of(rt, first) == "published"
    again = client.post(links[first]["approve"])
    assert again.status_code == 410 and b"already used" in again.data
    # The reject link for the same comment in the same mail is spent too.
    assert client.post(links[first]["reject"]).status_code == 410
    # Links are bound to their comment and action: any change breaks the signature.
    token = links[second]["reject"].rsplit("/", 1)[1]
    assert client.post(f"/moderate/mail/{token[:-2]}xx").status_code == 400
    assert client.post(links[second]["reject"]).status_code == 200
    assert status_of(rt, second) == "rejected"
    with rt.session() as session:
        actors = {
            e.actor
            for e in session.query(ModerationEvent).filter(
                ModerationEvent.action.in_(["approve", "reject"])
            )
        }
        assert actors == {f"mail:{mod_mail}"}
        assert session.query(MailLinkUse).count() == 2


def test_links_expire_and_die_with_the_moderators_role(client, rt, site, drain, mailbox, mod_mail):
    hold_everything(rt, site)
    comment = post_from(client, "Wait for me", "Ada", "ada@example.com", "10.1.2.1")
    drain()
    approve = links_in(mailbox.messages[0])[comment]["approve"]
    token = approve.rsplit("/", 1)[1]

    def expired_yet() -> bool:
        try:
            read_link_token(rt.settings.secret_key, token, max_age=1)
        except LinkError:
            return True
        return False

    assert wait_until(expired_yet, timeout=30)  # generous: waits for the clock to pass
    with pytest.raises(LinkError) as expired:
        read_link_token(rt.settings.secret_key, token, max_age=1)
    assert expired.value.reason == "expired"

    with rt.session() as session:  # the moderator leaves; their links stop working
        session.query(SiteMember).filter_by(email=mod_mail).delete()
        session.commit()
    refused = client.post(approve)
    assert refused.status_code == 400 and b"no longer moderate" in refused.data
    assert status_of(rt, comment) == "held"


def _signed_in_author(rt, site, email: str, subject: str) -> tuple[int, str]:
    with rt.session() as session:
        identity = Identity(
            provider="testidp",
            subject=subject,
            name=subject.title(),
            email=email,
            email_verified=True,
        )
        session.add(identity)
        session.commit()
        return identity.id, issue_reader_token(rt.settings.secret_key, identity.id, site.id)


def test_reply_mail_reaches_opted_in_authors_until_they_unsubscribe(
    client, rt, site, drain, mailbox
):
    _, token = _signed_in_author(rt, site, "alice@example.com", "alice")
    posted = client.post(
        "/api/v1/comments",
        headers=bearer(token),
        json={"site": "demo", "thread": "/posts/hello", "body": "What do you all think?"},
    )
    parent = posted.get_json()["comment"]["id"]
    drain()
    opt_in = client.post(
        "/api/v1/notifications/replies",
        headers=bearer(token),
        json={"site": "demo", "comment": parent},
    )
    assert opt_in.get_json() == {"subscribed": True, "reason": None}
    # Nobody else may subscribe to alice's comment, and guests cannot subscribe at all.
    _, bob = _signed_in_author(rt, site, "bob@example.com", "bob")
    assert (
        client.post(
            "/api/v1/notifications/replies",
            headers=bearer(bob),
            json={"site": "demo", "comment": parent},
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/notifications/replies", json={"site": "demo", "comment": parent}
        ).status_code
        == 401
    )

    guest = ("Guest", "guest@example.com", "10.1.3.1")
    post_from(client, "Thanks, the harbour photos were lovely.", *guest, parent=parent)
    drain()

    [mail] = mailbox.to("alice@example.com")
    assert "Guest replied" in mail["Subject"] and "harbour photos" in mail.get_content()
    unsubscribe = re.search(r"Stop these mails: (\S+)", mail.get_content())[1].removeprefix(BASE)
    assert mail["List-Unsubscribe"] == f"<{BASE}{unsubscribe}>"
    assert b"Stop mailing" in client.get(unsubscribe).data
    assert client.post(unsubscribe).status_code == 200
    again = post_from(client, "Thanks again for the photos of the harbour.", *guest, parent=parent)
    drain()
    assert status_of(rt, again) == "published"
    assert len(mailbox.to("alice@example.com")) == 1


def test_unverified_email_cannot_opt_in(client, rt, site, drain):
    with rt.session() as session:
        identity = Identity(
            provider="testidp", subject="u", email="u@example.com", email_verified=False
        )
        session.add(identity)
        session.commit()
        token = issue_reader_token(rt.settings.secret_key, identity.id, site.id)
    posted = client.post(
        "/api/v1/comments",
        headers=bearer(token),
        json={"site": "demo", "thread": "/t", "body": "Unverified me"},
    )
    response = client.post(
        "/api/v1/notifications/replies",
        headers=bearer(token),
        json={"site": "demo", "comment": posted.get_json()["comment"]["id"]},
    )
    assert response.get_json()["subscribed"] is False


def _add_hook(client, owner_token, receiver, events) -> str:
    created = client.post(
        "/api/v1/moderation/webhooks",
        headers=bearer(owner_token),
        json={"site": "demo", "url": receiver.url, "events": events},
    )
    return created.get_json()["secret"]


def test_webhooks_are_signed_and_retried_until_delivered(
    client, rt, site, drain, receiver, owner_token, intranet
):
    secret = _add_hook(client, owner_token, receiver, ["comment.published", "comment.spam"])
    receiver.fail_first = 2
    comment = post_from(client, "Hello hooks", "Ada", "ada@example.com", "10.1.4.1")

    drain()

    assert [status for *_, status in receiver.attempts] == [500, 500, 200]
    deliveries = {headers["X-Parley-Delivery"] for headers, *_ in receiver.attempts}
    assert len(deliveries) == 1  # the same delivery on every retry: receivers dedupe on it
    headers, body, _ = receiver.attempts[-1]
    assert headers["X-Parley-Event"] == "comment.published"
    assert verify_signature(
        secret, headers["X-Parley-Timestamp"], body, headers["X-Parley-Signature"]
    )
    assert not verify_signature(
        "wrong", headers["X-Parley-Timestamp"], body, headers["X-Parley-Signature"]
    )
    data = json.loads(body)
    assert data["comment"]["id"] == comment and data["comment"]["status"] == "published"
    assert "email" not in json.dumps(data) and "ip" not in data["comment"]
    # A moderator's action is an event too.
    client.post(f"/api/v1/moderation/comments/{comment}/spam", headers=bearer(owner_token))
    drain()
    assert receiver.attempts[-1][0]["X-Parley-Event"] == "comment.spam"


def test_a_failing_webhook_backs_off(
    client, rt, site, drain, receiver, owner_token, settings, intranet
):
    rt.settings = rt.settings.overridden(webhooks={"retry_intervals": (30, 120)})
    _add_hook(client, owner_token, receiver, ["comment.published"])
    receiver.fail_first = 99
    started = time.time()
    post_from(client, "Hello", "Ada", "ada@example.com", "10.1.5.1")

    drain()

    assert len(receiver.attempts) == 1
    [job_id] = rt.queue.scheduled_job_registry.get_job_ids()
    job = rt.queue.fetch_job(job_id)
    assert job.func_name == "worker.notify.deliver_webhook" and job.retries_left == 1
    when = rt.queue.scheduled_job_registry.get_scheduled_time(job_id)
    # 30 s after the failed attempt, however long the drain took (RQ keeps whole seconds).
    assert started + 29 < when.timestamp() <= time.time() + 30


def test_no_mail_is_sent_when_smtp_is_off(client, rt, site, drain, mailbox, mod_mail):
    rt.settings = rt.settings.overridden(mail=MailSettings())
    hold_everything(rt, site)
    post_from(client, "Held quietly", "Ada", "ada@example.com", "10.1.6.1")
    drain()
    assert mailbox.messages == []
    with rt.session() as session:
        assert session.query(Comment).one().status == "held"


def test_a_repeated_fan_out_writes_no_second_notice(client, rt, site, drain, mailbox, mod_mail):
    from worker.notify import fan_out

    hold_everything(rt, site)
    comment = post_from(client, "Held once", "Ada", "ada@example.com", "10.1.7.1")
    drain()

    assert fan_out(comment, "held").startswith("digest=False")  # a retried job, say

    drain()
    with rt.session() as session:
        assert session.query(Notice).filter_by(comment_id=comment).count() == 1
    assert len(mailbox.messages) == 1


@pytest.mark.parametrize(
    "colleague, link",
    [("spam", "approve"), ("approve", "reject"), ("approve", "approve")],
)
def test_a_stale_link_does_not_undo_a_colleagues_decision(
    client, rt, site, drain, mailbox, mod_mail, moderator_token, colleague, link
):
    hold_everything(rt, site)
    comment = post_from(client, "Decide me once", "Ada", "ada@example.com", "10.1.3.1")
    drain()
    path = links_in(mailbox.messages[0])[comment][link]
    moved = client.post(
        f"/api/v1/moderation/comments/{comment}/{colleague}", headers=bearer(moderator_token)
    )
    assert moved.status_code == 200
    after_colleague = status_of(rt, comment)

    for answer in (client.get(path), client.post(path)):
        assert answer.status_code == 409 and b"open the dashboard" in answer.data
    assert status_of(rt, comment) == after_colleague
    with rt.session() as session:
        assert session.query(MailLinkUse).count() == 0  # the link was not spent either
