"""Reply notifications: authors who asked to hear about replies, and the mail.

Only a signed-in author whose provider verified their email can subscribe
(POST /api/v1/notifications/replies, which the widget calls after a post
when the reader ticked "Notify me of replies"); a guest's address is
unverified, and mailing it would let anyone aim our mail at anyone.
A subscriber is mailed when a reply to their comment is *published* (by the
worker or a moderator), never about their own replies. Every mail carries an
unsubscribe link that stops all reply mail for that address on that site; it
works for 90 days (``UNSUBSCRIBE_LINK_MAX_AGE``), three times the 30 days
CAN-SPAM asks of an unsubscribe link, and every later mail carries a fresh
one. A link that never expires is a credential that never expires: anyone who
finds an old mail could keep using it.
"""

from __future__ import annotations

import sqlalchemy as sa
from itsdangerous import BadData, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from service.models import Comment, Identity, ReplySubscription, Site, utcnow
from service.notifications.links import LinkError
from service.notifications.mail import excerpt, new_message
from service.settings.mail import MailSettings
from service.text import normalize_email, one_line
from service.urls import safe_url

SALT = "parley.unsubscribe"
UNSUBSCRIBE_LINK_MAX_AGE = 90 * 86400  # seconds


def subscribe(session: Session, site: Site, comment: Comment, identity: Identity | None) -> bool:
    """Subscribe the author of a new comment to replies; False if they cannot be."""
    email = normalize_email(identity.email) if identity is not None else None
    if identity is None or not identity.email_verified or not email:
        return False
    session.flush()  # the comment's id
    session.add(
        ReplySubscription(
            site_id=site.id, comment_id=comment.id, identity_id=identity.id, email=email
        )
    )
    return True


def subscribers_of_reply(session: Session, reply: Comment) -> list[ReplySubscription]:
    if reply.parent_id is None:
        return []
    own = normalize_email(reply.identity.email if reply.identity else reply.author_email)
    rows = session.scalars(
        sa.select(ReplySubscription).where(
            ReplySubscription.comment_id == reply.parent_id,
            ReplySubscription.unsubscribed_at.is_(None),
        )
    )
    return [
        s
        for s in rows
        if s.email != own and (reply.identity_id is None or s.identity_id != reply.identity_id)
    ]


def unsubscribe_token(secret_key: str, site_id: int, email: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt=SALT).dumps({"s": site_id, "e": email})


def read_unsubscribe_token(
    secret_key: str, token: str, max_age: int = UNSUBSCRIBE_LINK_MAX_AGE
) -> tuple[int, str]:
    """(site id, email); LinkError ``expired`` or ``invalid`` otherwise."""
    try:
        data = URLSafeTimedSerializer(secret_key, salt=SALT).loads(token, max_age=max_age)
        return int(data["s"]), str(data["e"])
    except SignatureExpired:
        raise LinkError("expired", "this unsubscribe link has expired") from None
    except BadData:  # a bad signature, or a good one over a payload that does not decode
        if _is_untimed_link(secret_key, token):
            # From before links expired: treated as expired, never as good forever.
            raise LinkError("expired", "this unsubscribe link has expired") from None
        raise LinkError("invalid", "this unsubscribe link is not valid") from None
    except (KeyError, TypeError, ValueError):
        raise LinkError("invalid", "this unsubscribe link is not valid") from None


def _is_untimed_link(secret_key: str, token: str) -> bool:
    try:
        URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadData:
        return False
    return True


def unsubscribe(session: Session, site_id: int, email: str) -> int:
    """Stop reply mail for this address on this site; how many subscriptions ended."""
    result = session.execute(
        sa.update(ReplySubscription)
        .where(
            ReplySubscription.site_id == site_id,
            ReplySubscription.email == email,
            ReplySubscription.unsubscribed_at.is_(None),
        )
        .values(unsubscribed_at=utcnow())
    )
    return result.rowcount or 0


def reply_message(
    ns: MailSettings,
    secret_key: str,
    base_url: str,
    site: Site,
    recipient: str,
    reply: Comment,
):
    # Names, keys and titles are what readers and site owners typed: one line each, so a
    # newline can neither break the Subject header (a job failing on every retry) nor forge
    # a line of the mail.
    who = one_line(reply.identity.name if reply.identity else reply.author_name) or "Someone"
    site_name = one_line(site.name, 100) or site.slug
    unsubscribe_url = f"{base_url}/notifications/unsubscribe/" + unsubscribe_token(
        secret_key, site.id, recipient
    )
    where = safe_url(reply.thread.url) or one_line(reply.thread.title or reply.thread.key, 300)
    text = "\n".join(
        [
            f"{who} replied to your comment on {site_name}:",
            "",
            *("  " + line for line in excerpt(reply, 1000).splitlines()),
            "",
            f"Read it: {where}",
            "",
            f"Stop these mails: {unsubscribe_url}",
        ]
    )
    message = new_message(ns, recipient, f"[{site_name}] {who} replied to your comment", text)
    # RFC 8058: mail clients offer one-click unsubscribe and POST to this URL.
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
