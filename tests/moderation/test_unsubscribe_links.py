"""Unsubscribe links expire after 90 days (hardening, low): an old one is a clear page."""

from __future__ import annotations

import time

from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

from service.models import ReplySubscription, utcnow
from service.notifications.replies import SALT, UNSUBSCRIBE_LINK_MAX_AGE, unsubscribe_token


def _signed_days_ago(secret_key: str, days: float, site_id: int, email: str) -> str:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
    signer = serializer.make_signer(SALT)
    signer.get_timestamp = lambda: int(time.time() - days * 86400)
    return signer.sign(serializer.dump_payload({"s": site_id, "e": email})).decode()


def test_unsubscribe_links_work_for_90_days_then_say_so(client, rt, site):
    email = "ada@example.test"
    with rt.session() as session:
        from service.models import Comment, Thread

        thread = Thread(site_id=site.id, key="/t")
        session.add(thread)
        session.flush()
        comment = Comment(
            thread_id=thread.id, site_id=site.id, body_source="x", body_html="x", simhash=0
        )
        session.add(comment)
        session.flush()
        session.add(ReplySubscription(site_id=site.id, comment_id=comment.id, email=email))
        session.commit()
    key = rt.settings.secret_key
    assert UNSUBSCRIBE_LINK_MAX_AGE == 90 * 86400

    for token in (
        _signed_days_ago(key, 91, site.id, email),
        URLSafeSerializer(key, salt=SALT).dumps({"s": site.id, "e": email}),  # a never-expiring one
    ):
        for method in (client.get, client.post):
            page = method(f"/notifications/unsubscribe/{token}")
            assert page.status_code == 410
            assert b"Link expired" in page.data and b"fresh one" in page.data
    with rt.session() as session:
        assert session.query(ReplySubscription).one().unsubscribed_at is None

    recent = _signed_days_ago(key, 89, site.id, email)
    assert client.post(f"/notifications/unsubscribe/{recent}").status_code == 200
    fresh = unsubscribe_token(key, site.id, email)
    assert b"Stop mailing" in client.get(f"/notifications/unsubscribe/{fresh}").data
    with rt.session() as session:
        stopped = session.query(ReplySubscription).one().unsubscribed_at
    assert stopped is not None and stopped <= utcnow()


def test_a_signed_link_that_is_not_ours_is_a_400_page_not_a_500(client, rt, site):
    key = rt.settings.secret_key
    for serializer in (URLSafeTimedSerializer(key, salt=SALT), URLSafeSerializer(key, salt=SALT)):
        token = serializer.make_signer(SALT).sign(b"not-base64-json!").decode()
        page = client.get(f"/notifications/unsubscribe/{token}")
        assert page.status_code in (400, 410), page.status_code
        assert b"Link" in page.data
