"""Notification jobs: who hears about a comment's new status, and the sending.

The web process and the moderation job enqueue ``fan_out`` once they commit
a status change (``service.notifications.dispatch``); like them, ``fan_out``
enqueues its jobs after its own commit (``service.effects``), and
``service.enqueue`` sets every RQ policy.
Nothing here runs inside a request. Each job reads the database, which is the
source of truth: the outbox (``notices``) has one row per (kind, comment,
recipient), so a retried job or a repeated status change never mails twice.
"""

from __future__ import annotations

import logging
import time
from functools import partial

import sqlalchemy as sa
from rq import get_current_job
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from service.effects import after_commit
from service.enqueue import enqueue_reply, enqueue_webhook
from service.models import Comment, Notice, ReplySubscription, Site, Webhook, utcnow
from service.notifications.deliveries import failure, record
from service.notifications.dispatch import EVENTS, digest_keys, request_digest
from service.notifications.links import new_nonce
from service.notifications.mail import DigestItem, digest_message, moderator_emails, send_messages
from service.notifications.replies import reply_message, subscribers_of_reply
from service.notifications.webhooks import DeliveryFailed, deliver, payload, webhooks_for
from service.status import Status
from worker import metrics as worker_metrics
from worker import runtime

log = logging.getLogger(__name__)


def _add_notice(session: Session, site_id: int, comment_id: int, kind: str, recipient: str = ""):
    """The outbox row, or None if this notice was already written (a retry)."""
    notice = Notice(site_id=site_id, comment_id=comment_id, kind=kind, recipient=recipient)
    try:
        with session.begin_nested():
            session.add(notice)
    except IntegrityError:
        return None
    return notice


def fan_out(comment_id: int, status: str) -> str:
    """A comment became ``status``: queue the digest, reply mail and webhooks it calls for."""
    rt = runtime.get()
    ns = rt.settings.mail
    with rt.session() as session:
        comment = session.get(Comment, comment_id)
        if comment is None:
            return "missing"
        site_id = comment.thread.site_id
        hooks = [h.id for h in webhooks_for(session, site_id, EVENTS[status])]
        digest = False
        # Mail only about what is still true: a comment approved a second after
        # it was held needs no moderator's attention.
        if status == Status.HELD and comment.status == Status.HELD and ns.enabled:
            digest = _add_notice(session, site_id, comment_id, "held") is not None
        reply_notices = []
        if status == Status.PUBLISHED and comment.status == Status.PUBLISHED and ns.enabled:
            for sub in subscribers_of_reply(session, comment):
                notice = _add_notice(session, site_id, comment_id, "reply", sub.email)
                if notice is not None:
                    reply_notices.append(notice)
        session.flush()
        replies = [n.id for n in reply_notices]
        # The jobs read the outbox rows, so they go on the queue after the commit.
        if digest:
            after_commit(session, partial(request_digest, rt.queue, rt.settings, site_id))
        for notice_id in replies:
            after_commit(session, partial(enqueue_reply, rt.queue, rt.settings, notice_id))
        for hook_id in hooks:
            after_commit(
                session,
                partial(
                    enqueue_webhook, rt.queue, rt.settings, hook_id, EVENTS[status], comment_id
                ),
            )
        session.commit()
    return f"digest={digest} replies={len(replies)} webhooks={len(hooks)}"


def send_digest(site_id: int) -> str:
    """Mail every moderator of the site once about every held comment in the outbox."""
    rt = runtime.get()
    ns = rt.settings.mail
    due, last = digest_keys(site_id)
    # Clear the flag before reading the outbox: a notice written from now on
    # asks for the next digest, which waits out the window after this one.
    rt.redis.delete(due)
    rt.redis.set(last, str(time.time()), ex=ns.digest_window_seconds + 3600)
    with rt.session() as session:
        site = session.get(Site, site_id)
        if site is None:
            return "missing"
        notices = list(
            session.scalars(
                sa.select(Notice)
                .where(Notice.site_id == site_id, Notice.kind == "held", Notice.sent_at.is_(None))
                .order_by(Notice.id)
            )
        )
        ids = [n.comment_id for n in notices]
        comments = list(
            session.scalars(
                sa.select(Comment)
                .options(joinedload(Comment.thread), joinedload(Comment.identity))
                .where(Comment.id.in_(ids), Comment.status == Status.HELD)
                .order_by(Comment.id.desc())
            )
        )
        recipients = moderator_emails(session, site_id)
        shown, more = comments[: ns.digest_max_items], max(0, len(comments) - ns.digest_max_items)
        messages = []
        if shown and ns.enabled:
            for recipient in recipients:
                items = [DigestItem(c, new_nonce()) for c in shown]
                messages.append(
                    digest_message(
                        ns,
                        rt.settings.secret_key,
                        rt.settings.web.base_url,
                        site,
                        recipient,
                        items,
                        more,
                    )
                )
        # Raises on an SMTP failure: nothing is marked sent and the job retries.
        try:
            send_messages(ns, messages)
        except Exception:
            worker_metrics.mail_sent("digest", len(messages), ok=False)
            raise
        worker_metrics.mail_sent("digest", len(messages))
        now = utcnow()
        for notice in notices:
            notice.sent_at = now
        session.commit()
    return f"{len(messages)} mail(s) about {len(comments)} comment(s)"


def send_reply(notice_id: int) -> str:
    """Mail one subscriber about a published reply to their comment."""
    rt = runtime.get()
    ns = rt.settings.mail
    with rt.session() as session:
        notice = session.get(Notice, notice_id)
        if notice is None or notice.sent_at is not None:
            return "nothing to send"
        reply = session.get(Comment, notice.comment_id)
        still_subscribed = session.scalar(
            sa.select(ReplySubscription.id).where(
                ReplySubscription.comment_id == (reply.parent_id if reply else None),
                ReplySubscription.email == notice.recipient,
                ReplySubscription.unsubscribed_at.is_(None),
            )
        )
        if reply is not None and reply.status == Status.PUBLISHED and still_subscribed:
            site = session.get(Site, notice.site_id)
            message = reply_message(
                ns, rt.settings.secret_key, rt.settings.web.base_url, site, notice.recipient, reply
            )
            try:
                send_messages(ns, [message])
            except Exception:
                worker_metrics.mail_sent("reply", 1, ok=False)
                raise
            worker_metrics.mail_sent("reply", 1)
            outcome = "sent"
        else:
            outcome = "skipped"
        notice.sent_at = utcnow()
        session.commit()
    return outcome


def deliver_webhook(webhook_id: int, event: str, comment_id: int) -> str:
    """POST one signed event; a failure raises so RQ retries with backoff."""
    rt = runtime.get()
    job = get_current_job()
    # The job id survives retries, so receivers can dedupe on the delivery id.
    delivery = job.id if job is not None else f"{webhook_id}-{event}-{comment_id}"
    with rt.session() as session:
        hook = session.get(Webhook, webhook_id)
        comment = session.get(Comment, comment_id)
        if hook is None or comment is None:
            return "gone"
        site = session.get(Site, hook.site_id)
        data = payload(event, delivery, comment, site, rt.settings.web.base_url)
    try:
        status = deliver(hook, event, delivery, data, rt.settings)
    except DeliveryFailed as error:
        worker_metrics.webhook_delivered(False)
        code, message = failure(error)
        _log_attempt(rt, webhook_id, event, delivery, comment_id, code, message)
        raise
    worker_metrics.webhook_delivered(True)
    _log_attempt(rt, webhook_id, event, delivery, comment_id, status, None)
    return f"HTTP {status}"


def _log_attempt(rt, webhook_id, event, delivery, comment_id, status, error) -> None:
    """The attempt in the delivery log; a log that cannot be written never fails a delivery."""
    try:
        with rt.session() as session:
            record(session, webhook_id, event, delivery, comment_id=comment_id,
                   status_code=status, error=error)  # fmt: skip
            session.commit()
    except Exception:
        log.warning("could not record webhook %s delivery %s", webhook_id, delivery)
