"""Webhooks: a site's endpoints told about comment.published, comment.held and
comment.spam.

Each delivery POSTs a JSON payload with these headers:

    X-Parley-Event:      comment.held
    X-Parley-Delivery:   the delivery id (the same on every retry: dedupe on it)
    X-Parley-Timestamp:  Unix seconds when this attempt was signed
    X-Parley-Signature:  sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body,
compares in constant time, and rejects timestamps older than a few minutes
(replays). ``verify_signature`` does exactly that. Any answer other than a
2xx, or no answer within the timeout, is a failure: the worker retries with
backoff (PARLEY_WEBHOOK_RETRY_INTERVALS). Payloads carry the comment's
state at delivery time and never its author's email or IP hash.

A webhook reaches only public addresses (``destinations``: checked when it
is added and at every delivery, connected to by the checked address, no
redirects followed) unless PARLEY_WEBHOOK_ALLOW_PRIVATE=1; its secret is
stored sealed (``sealed_secrets``) and opened only to sign.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from service.errors import ApiError
from service.models import Comment, Site, Webhook
from service.moderation import audit
from service.notifications.destinations import DestinationRefused, destination, post_to
from service.notifications.sealed_secrets import SecretUnreadable, seal, unseal
from service.settings import Settings
from service.urls import safe_url

EVENTS = ("comment.published", "comment.held", "comment.spam")
SIGNATURE_TOLERANCE_SECONDS = 300


class DeliveryFailed(Exception):
    pass


def check_url(url: str, allow_private: bool) -> str:
    """The URL if its host resolves only to addresses a webhook may reach (see destinations)."""
    try:
        destination(url, allow_private)
    except DestinationRefused as refused:
        raise ApiError("validation_failed", f"url: {refused}", field="url") from None
    return url


def shown_url(url: str) -> str:
    """The URL as the audit log names it: its origin only.

    Receivers put their credential in the address as often as beside it: Slack's and Discord's
    hooks carry it in the path, others in ``?token=``, old ones as user:password@. The audit log
    is read by every moderator and kept for good, so it names the host and the webhook's id;
    owners see the whole address in the webhook list.
    """
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    userinfo = "***@" if "@" in parts.netloc else ""
    rest = "/…" if parts.path.strip("/") or parts.query or parts.fragment else ""
    return f"{parts.scheme}://{userinfo}{host}{rest}"


def create_webhook(
    session: Session,
    site_id: int,
    url: str,
    events: list[str],
    actor_label: str,
    *,
    settings: Settings,
) -> tuple[Webhook, str]:
    """The new webhook and its signing secret, in clear this once (the row keeps it sealed)."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown or not events:
        raise ApiError(
            "validation_failed", f"events: choose from {', '.join(EVENTS)}", field="events"
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = Webhook(
        site_id=site_id,
        url=check_url(url, settings.webhooks.allow_private),
        secret=seal(settings.secret_key, secret),
        events=sorted(set(events)),
        created_by=actor_label,
    )
    session.add(hook)
    session.flush()
    audit.record(
        session,
        site_id=site_id,
        actor=actor_label,
        action="webhook_added",
        note=f"webhook {hook.id}: {shown_url(url)} ({', '.join(hook.events)})",
    )
    return hook, secret


def delete_webhook(session: Session, hook: Webhook, actor_label: str) -> None:
    audit.record(
        session,
        site_id=hook.site_id,
        actor=actor_label,
        action="webhook_removed",
        note=f"webhook {hook.id}: {shown_url(hook.url)}",
    )
    session.delete(hook)
    session.flush()


def site_webhooks(session: Session, site_id: int) -> list[Webhook]:
    return list(
        session.scalars(sa.select(Webhook).where(Webhook.site_id == site_id).order_by(Webhook.id))
    )


def webhooks_for(session: Session, site_id: int, event: str) -> list[Webhook]:
    # Events are a short JSON list; filtering in Python keeps SQLite and
    # PostgreSQL alike (a site has a handful of webhooks).
    return [w for w in site_webhooks(session, site_id) if event in (w.events or [])]


def payload(event: str, delivery: str, comment: Comment, site: Site, base_url: str) -> dict:
    identity = comment.identity
    return {
        "event": event,
        "delivery": delivery,
        "site": site.slug,
        "comment": {
            "id": comment.id,
            "thread": comment.thread.key,
            # Receivers render it; a thread stored before URLs were checked must not hand
            # them a javascript: link.
            "thread_url": safe_url(comment.thread.url),
            "parent": comment.parent_id,
            "status": comment.status,
            "status_reason": comment.status_reason,
            "author": {
                "name": identity.name if identity else comment.author_name,
                "provider": identity.provider if identity else None,
            },
            "body_html": comment.body_html,
            "created_at": comment.created_at.isoformat(),
            "moderate_url": f"{base_url}/moderate?site={site.slug}&status={comment.status}",
        },
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    tolerance: int = SIGNATURE_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does: right HMAC, and signed recently."""
    try:
        age = (time.time() if now is None else now) - int(timestamp)
    except ValueError:
        return False
    if abs(age) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def deliver(hook: Webhook, event: str, delivery: str, data: dict, settings: Settings) -> int:
    """POST one signed payload; the status code, or DeliveryFailed (the job retries).

    The host is checked again here: its DNS may have changed since the webhook
    was added, and the connection goes to the address this check accepted.
    """
    import urllib3  # on first use: most processes never deliver a webhook

    ws = settings.webhooks
    try:
        place = destination(hook.url, ws.allow_private)
        secret = unseal(settings.secret_key, hook.secret)
    except (DestinationRefused, SecretUnreadable) as refused:
        raise DeliveryFailed(f"webhook {hook.id}: refused: {refused}") from None
    body = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Parley-Webhooks/1",
        "X-Parley-Event": event,
        "X-Parley-Delivery": delivery,
        "X-Parley-Timestamp": timestamp,
        "X-Parley-Signature": signature(secret, timestamp, body),
    }
    try:
        status = post_to(place, body, headers, ws.timeout_seconds)
    except urllib3.exceptions.HTTPError as error:
        raise DeliveryFailed(f"webhook {hook.id}: {error}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"webhook {hook.id}: HTTP {status}")
    return status
