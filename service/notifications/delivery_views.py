"""HTTP face of the webhook delivery log (owners): the last attempts, a test event, a retry."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint
from pydantic import BaseModel

from service.access import current_actor, require_owner_of
from service.api import endpoint
from service.enqueue import enqueue_webhook
from service.errors import ApiError
from service.models import Site, Webhook, WebhookDelivery
from service.notifications.deliveries import PING, ping, recent
from service.runtime import current_runtime

bp = Blueprint("webhook_deliveries", __name__, url_prefix="/api/v1/moderation/webhooks")


class DeliveryOut(BaseModel):
    id: int
    webhook_id: int
    event: str
    comment_id: int | None
    delivery: str
    ok: bool
    status_code: int | None
    error: str | None
    created_at: datetime


class DeliveryList(BaseModel):
    deliveries: list[DeliveryOut]


class RetryResult(BaseModel):
    # "queued": a comment's event is back on the queue; "sent": a ping went out again.
    outcome: str
    delivery: DeliveryOut | None = None


def _out(row: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut.model_validate(row, from_attributes=True)


@endpoint(
    bp,
    "/<int:webhook_id>/deliveries",
    "GET",
    summary="A webhook's last 50 delivery attempts, newest first (owners only)",
    responses={200: DeliveryList},
    auth=True,
    errors=(401, 403, 404),
)
def deliveries(webhook_id: int):
    with current_runtime().session() as session:
        hook, _actor = require_owner_of(session, Webhook, webhook_id, "webhook")
        rows = [_out(r) for r in recent(session, hook.id)]
    return DeliveryList(deliveries=rows).model_dump(mode="json")


@endpoint(
    bp,
    "/<int:webhook_id>/test",
    "POST",
    summary="Send a signed ping event to the webhook now and record the attempt (owners only); "
    "200 with the attempt, delivered or not",
    responses={200: DeliveryOut},
    auth=True,
    errors=(401, 403, 404),
)
def test_send(webhook_id: int):
    rt = current_runtime()
    with rt.session() as session:
        hook, _actor = require_owner_of(session, Webhook, webhook_id, "webhook")
        row = ping(session, hook, session.get(Site, hook.site_id), rt.settings)
        session.commit()
        return _out(row).model_dump(mode="json")


@endpoint(
    bp,
    "/deliveries/<int:delivery_id>/retry",
    "POST",
    summary="Try a failed delivery again (owners only): a comment's event goes back on the queue "
    "with its retries; a ping is sent again at once",
    responses={200: RetryResult},
    auth=True,
    errors=(401, 403, 404, 409, 503),
)
def retry(delivery_id: int):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            raise ApiError("not_found", f"no delivery {delivery_id}")
        hook, _actor = require_owner_of(session, Webhook, row.webhook_id, "webhook")
        if row.ok:
            raise ApiError("conflict", "this delivery succeeded; nothing to retry")
        if row.event == PING:
            again = ping(session, hook, session.get(Site, hook.site_id), rt.settings)
            session.commit()
            return RetryResult(outcome="sent", delivery=_out(again)).model_dump(mode="json")
        if row.comment_id is None:
            raise ApiError("conflict", "the comment of this delivery is gone")
        job = enqueue_webhook(rt.queue, rt.settings, hook.id, row.event, row.comment_id)
        if job is None:
            raise ApiError("unavailable", "the queue is not reachable; try again shortly")
    return RetryResult(outcome="queued").model_dump(mode="json")
