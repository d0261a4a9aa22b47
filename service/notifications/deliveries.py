"""The webhook delivery log: every attempt recorded, a test event on demand, a retry.

The worker records each attempt of ``worker.notify.deliver_webhook`` here; an owner sends a
``ping`` from the console (delivered at once, from the web process, through the same guarded
``deliver``), reads the last attempts, and retries a failed one (a comment's event goes back on
the queue with its usual retries; a ping is sent again).
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.models import Site, Webhook, WebhookDelivery
from service.notifications.webhooks import DeliveryFailed, deliver
from service.settings import Settings

PING = "ping"
_HTTP = re.compile(r"HTTP (\d{3})$")
LOG_SIZE = 50


def failure(error: Exception) -> tuple[int | None, str]:
    """(status code, short error) of a failed attempt; never the URL (it may hold a secret)."""
    text = str(error)
    found = _HTTP.search(text)
    if found:
        return int(found.group(1)), f"HTTP {found.group(1)}"
    if "refused:" in text:
        return None, "refused: " + text.partition("refused:")[2].strip()[:200]
    return None, "no answer (connection failed or timed out)"


def record(
    session: Session,
    webhook_id: int,
    event: str,
    delivery: str,
    *,
    comment_id: int | None = None,
    status_code: int | None = None,
    error: str | None = None,
) -> WebhookDelivery:
    row = WebhookDelivery(
        webhook_id=webhook_id,
        event=event,
        comment_id=comment_id,
        delivery=delivery[:64],
        ok=error is None,
        status_code=status_code,
        error=error[:300] if error else None,
    )
    session.add(row)
    session.flush()
    return row


def recent(session: Session, webhook_id: int, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    return list(
        session.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def ping(session: Session, hook: Webhook, site: Site, settings: Settings) -> WebhookDelivery:
    """Send a ``ping`` event now and record it; flushes, the caller commits."""
    delivery = "ping-" + secrets.token_hex(8)
    data = {"event": PING, "delivery": delivery, "site": site.slug, "webhook": hook.id}
    try:
        status = deliver(hook, PING, delivery, data, settings)
    except DeliveryFailed as error:
        code, message = failure(error)
        return record(session, hook.id, PING, delivery, status_code=code, error=message)
    return record(session, hook.id, PING, delivery, status_code=status)
