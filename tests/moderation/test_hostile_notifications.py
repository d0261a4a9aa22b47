"""Hostile names, thread keys and stored URLs in mail and webhook payloads: one line each,
never a header, never a forged line, never a javascript: link; and the mail still goes."""

from __future__ import annotations

import sqlalchemy as sa

from service.auth.readers import issue_reader_token
from service.models import Comment, Identity, Notice, Thread
from service.notifications.webhooks import payload
from tests.moderation.helpers import bearer, hold_everything, post_from
from tests.support.hostile import STORED_THREAD_URLS

BAD_NAME = "Eve\r\nBcc: victim@example.com"
BAD_KEY = "/posts/x\nApprove: http://evil.example/approve"


def test_a_reply_by_a_name_with_newlines_is_mailed_on_one_line(client, rt, site, drain, mailbox):
    with rt.session() as session:
        alice = Identity(
            provider="testidp",
            subject="alice",
            name="Alice\nCc: victim@example.com",
            email="alice@example.com",
            email_verified=True,
        )
        session.add(alice)
        session.commit()
        token = issue_reader_token(rt.settings.secret_key, alice.id, site.id)
    posted = client.post(
        "/api/v1/comments",
        headers=bearer(token),
        json={"site": "demo", "thread": "/posts/hello", "body": "What do you all think?"},
    )
    parent = posted.get_json()["comment"]["id"]
    drain()
    assert (
        client.post(
            "/api/v1/notifications/replies",
            headers=bearer(token),
            json={"site": "demo", "comment": parent},
        ).get_json()["subscribed"]
        is True
    )

    reply = post_from(
        client,
        "Thanks, the harbour photos were lovely.",
        BAD_NAME,
        "e@example.com",
        "10.7.0.1",
        parent=parent,
    )
    drain()

    [mail] = mailbox.to("alice@example.com")
    assert mail["Subject"] == "[Demo blog] Eve Bcc: victim@example.com replied to your comment"
    assert mail["Bcc"] is None and mail["Cc"] is None
    assert "Eve Bcc: victim@example.com replied" in mail.get_content()
    with rt.session() as session:
        notice = session.scalar(sa.select(Notice).where(Notice.comment_id == reply))
        assert notice.sent_at is not None  # sent, not failing on every retry


def test_the_digest_keeps_hostile_names_and_keys_on_their_own_line(
    client, rt, site, drain, mailbox, mod_mail
):
    hold_everything(rt, site)
    post_from(
        client,
        "Please look",
        "Mallory\nReject: http://evil.example/reject",
        "m@example.com",
        "10.7.0.2",
        thread=BAD_KEY,
    )
    drain()

    [mail] = mailbox.to(mod_mail)
    text = mail.get_content().replace("\r\n", "\n")
    lines = text.splitlines()
    assert not [
        line for line in lines if "evil.example" in line and line.startswith(("Approve", "Reject"))
    ]
    assert "by Mallory Reject: http://evil.example/reject on /posts/x Approve:" in text


def test_webhook_payloads_never_carry_a_stored_hostile_thread_url(client, rt, site, drain):
    post_from(client, "A comment", "Ada", "ada@example.com", "10.7.0.3", thread="/posts/hook")
    with rt.session() as session:
        comment = session.scalars(sa.select(Comment)).one()
        for url in STORED_THREAD_URLS:
            # As a row written before thread URLs were checked would hold it.
            session.execute(sa.update(Thread).values(url=url))
            session.flush()
            session.refresh(comment.thread)
            data = payload("comment.held", "d-1", comment, comment.thread.site, "http://p")
            assert data["comment"]["thread_url"] is None, url
        session.execute(sa.update(Thread).values(url="http://blog.example.test/posts/hook"))
        session.flush()
        session.refresh(comment.thread)
        data = payload("comment.held", "d-2", comment, comment.thread.site, "http://p")
        assert data["comment"]["thread_url"] == "http://blog.example.test/posts/hook"
