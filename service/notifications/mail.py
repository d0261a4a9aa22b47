"""Mail: the SMTP transport, who moderates a site, and the held-comment digest.

Batching: when the worker holds a comment it writes a ``held`` row to the
outbox (``notices``) and asks for a digest (``dispatch.request_digest``).
The digest job mails every moderator once, listing every held comment in
the outbox, then waits ``PARLEY_MAIL_DIGEST_WINDOW`` seconds before the next
one may go. A spam wave of a thousand comments is one mail per moderator,
then at most one per window.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.models import Comment, Identity, Site, SiteMember
from service.notifications.links import LinkClaims, make_link_token
from service.settings.mail import MailSettings
from service.text import normalize_email, one_line, plain_text


def send_messages(ns: MailSettings, messages: Sequence[EmailMessage]) -> None:
    """Send over one SMTP connection; raises on any failure (the job retries)."""
    if not messages:
        return
    context = ssl.create_default_context()
    if ns.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(ns.smtp_host, ns.smtp_port, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(ns.smtp_host, ns.smtp_port, timeout=30)
    with smtp:
        if ns.smtp_security == "starttls":
            smtp.starttls(context=context)
        if ns.smtp_user:
            smtp.login(ns.smtp_user, ns.smtp_password)
        for message in messages:
            smtp.send_message(message)


def new_message(ns: MailSettings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = ns.mail_from
    message["To"] = to
    # Last line of defence: a newline in a header value raises, and the job would fail on
    # every retry; callers already pass one-line names.
    message["Subject"] = one_line(subject, 250)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=ns.mail_from.rpartition("@")[2] or None)
    # Tells vacation responders not to answer robots.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


def moderator_emails(session: Session, site_id: int) -> list[str]:
    """Where a site's owners and moderators read mail: a member's own address,
    or their identity's address if the provider verified it."""
    rows = session.execute(
        sa.select(SiteMember.email, Identity.email, Identity.email_verified)
        .outerjoin(Identity, Identity.id == SiteMember.identity_id)
        .where(SiteMember.site_id == site_id)
        .order_by(SiteMember.id)
    )
    emails = []
    for member_email, identity_email, verified in rows:
        email = normalize_email(member_email) or (
            normalize_email(identity_email) if verified else None
        )
        if email and email not in emails:
            emails.append(email)
    return emails


def excerpt(comment: Comment, length: int = 280) -> str:
    text = " ".join(plain_text(comment.body_html).split())
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass(frozen=True)
class DigestItem:
    comment: Comment
    nonce: str


def digest_message(
    ns: MailSettings,
    secret_key: str,
    base_url: str,
    site: Site,
    recipient: str,
    items: Sequence[DigestItem],
    more: int,
) -> EmailMessage:
    """One moderator's digest: each held comment with why, and its one-click links."""
    count = len(items) + more
    noun = "comment" if count == 1 else "comments"
    site_name = one_line(site.name, 100) or site.slug
    lines = [f"{count} {noun} on {site_name} wait for a moderator.", ""]
    for item in items:
        c = item.comment
        # One line each: a name or thread key with a newline must not forge a line (a fake
        # "Approve:" link) in a moderator's mail.
        who = one_line(c.identity.name if c.identity else c.author_name)
        links = {
            action: f"{base_url}/moderate/mail/"
            + make_link_token(
                secret_key, LinkClaims(c.id, action, recipient, site.id, item.nonce, c.status)
            )
            for action in ("approve", "reject")
        }
        lines += [
            f"#{c.id} by {who or 'someone'} on {one_line(c.thread.key, 300)}",
            f"Held because: {one_line(c.status_reason, 500) or 'no reason recorded'}",
            "",
            *("  " + line for line in excerpt(c).splitlines()),
            "",
            f"Approve: {links['approve']}",
            f"Reject:  {links['reject']}",
            "",
            "-" * 60,
            "",
        ]
    if more:
        lines += [f"…and {more} more.", ""]
    dashboard = f"{base_url}/moderate?site={site.slug}&status=held"
    hours = ns.link_ttl_seconds // 3600
    lines += [
        f"The whole queue: {dashboard}",
        "",
        f"Each link shows the comment and asks you to confirm; it works once and "
        f"expires in {hours} hours.",
    ]
    return new_message(
        ns, recipient, f"[{site_name}] {count} {noun} held for review", "\n".join(lines)
    )
