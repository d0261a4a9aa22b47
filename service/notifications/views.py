"""HTTP face of notifications: opting in to reply mail, unsubscribing, and webhooks.

Opting in is an API call by a signed-in reader (the reader token the widget
holds) about their own comment. The unsubscribe link in every reply mail
lands on a page: GET asks, POST stops the mail (mail clients that follow
RFC 8058 POST to the same URL directly). A site's owners add and remove its
webhooks.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from service.access import current_actor, require_owner, require_owner_of
from service.api import endpoint
from service.auth.readers import reader_identity
from service.errors import ApiError
from service.models import Comment, ReplySubscription, Site, Webhook
from service.notifications.links import LinkError
from service.notifications.replies import read_unsubscribe_token, subscribe, unsubscribe
from service.notifications.schemas import (
    ReplySubscriptionIn,
    ReplySubscriptionOut,
    WebhookCreated,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from service.notifications.webhooks import create_webhook, delete_webhook, site_webhooks
from service.runtime import current_runtime
from service.schemas import SiteQuery
from service.sites import get_site

bp = Blueprint("notifications", __name__, template_folder="templates")


@endpoint(
    bp,
    "/api/v1/notifications/replies",
    "POST",
    summary="Mail me when a reply to my comment is published (signed-in authors whose "
    "provider verified their email; send the reader token as Authorization: Bearer)",
    body=ReplySubscriptionIn,
    responses={200: ReplySubscriptionOut},
    auth=True,
    errors=(401, 403, 404),
)
def subscribe_to_replies(body: ReplySubscriptionIn):
    rt = current_runtime()
    with rt.session() as db:
        site = get_site(db, body.site, field="site")
        identity = reader_identity(db, rt.settings.secret_key, site)
        if identity is None:
            raise ApiError("unauthorized", "sign in to get reply notifications")
        comment = db.get(Comment, body.comment)
        if comment is None or comment.thread.site_id != site.id:
            raise ApiError("not_found", f"no comment {body.comment} on {site.slug}")
        if comment.identity_id != identity.id:
            raise ApiError("forbidden", "you can only follow replies to your own comments")
        existing = db.scalar(
            sa.select(ReplySubscription).where(
                ReplySubscription.comment_id == comment.id,
                ReplySubscription.identity_id == identity.id,
            )
        )
        if existing is not None:
            existing.unsubscribed_at = None
            subscribed = True
        else:
            subscribed = subscribe(db, site, comment, identity)
        db.commit()
    reason = None if subscribed else "your sign-in provider has not verified your email"
    return ReplySubscriptionOut(subscribed=subscribed, reason=reason).model_dump(mode="json")


def _unsubscribe_page(title: str, message: str, status: int = 200, confirm: bool = False):
    html = render_template(
        "notifications_unsubscribe.html", title=title, message=message, confirm=confirm
    )
    return html, status


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe_page(token: str):
    rt = current_runtime()
    try:
        site_id, email = read_unsubscribe_token(rt.settings.secret_key, token)
    except LinkError as error:
        if error.reason == "expired":
            return _unsubscribe_page(
                "Link expired",
                "This unsubscribe link has expired (they work for 90 days). The newest reply "
                "notification you received has a fresh one.",
                410,
            )
        return _unsubscribe_page("Link not valid", "This unsubscribe link is not valid.", 400)
    with rt.session() as db:
        site = db.get(Site, site_id)
        if site is None:
            return _unsubscribe_page("Gone", "This site no longer exists.", 404)
        if request.method == "GET":
            return _unsubscribe_page(
                "Unsubscribe", f"Stop mailing {email} about replies on {site.name}?", confirm=True
            )
        unsubscribe(db, site_id, email)
        db.commit()
    return _unsubscribe_page(
        "Unsubscribed", f"{email} will get no more reply notifications from {site.name}."
    )


# -- webhooks (owners) ----------------------------------------------------------------------------
# Under the moderation API's prefix, where owners manage the rest of their site.
WEBHOOKS = "/api/v1/moderation/webhooks"


def _webhook_out(hook, slug: str) -> WebhookOut:
    return WebhookOut(
        id=hook.id,
        site=slug,
        url=hook.url,
        events=hook.events,
        created_by=hook.created_by,
        created_at=hook.created_at,
    )


@endpoint(
    bp,
    WEBHOOKS,
    "GET",
    summary="A site's webhooks (owners only; secrets are shown only when created)",
    query=SiteQuery,
    responses={200: WebhookList},
    auth=True,
    errors=(401, 403, 404),
)
def list_webhooks(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, query.site)
        require_owner(session, site.id)
        hooks = [_webhook_out(h, site.slug) for h in site_webhooks(session, site.id)]
    return WebhookList(webhooks=hooks).model_dump(mode="json")


@endpoint(
    bp,
    WEBHOOKS,
    "POST",
    summary="Add a webhook for comment.published / comment.held / comment.spam (owners only). "
    "The answer carries the HMAC-SHA256 signing secret, once.",
    body=WebhookIn,
    responses={201: WebhookCreated},
    auth=True,
    errors=(401, 403, 404),
)
def add_webhook(body: WebhookIn):
    rt = current_runtime()
    with rt.session() as session:
        current_actor(session)  # 401 before anything is looked up
        site = get_site(session, body.site, field="site")
        actor = require_owner(session, site.id)
        hook, secret = create_webhook(
            session, site.id, body.url, list(body.events), actor.label, settings=rt.settings
        )
        session.commit()
        out = WebhookCreated(webhook=_webhook_out(hook, site.slug), secret=secret)
    return out.model_dump(mode="json"), 201


@endpoint(
    bp,
    f"{WEBHOOKS}/<int:webhook_id>",
    "DELETE",
    summary="Remove a webhook (owners only; audited)",
    responses={204: None},
    auth=True,
    errors=(401, 403, 404),
)
def remove_webhook(webhook_id: int):
    rt = current_runtime()
    with rt.session() as session:
        hook, actor = require_owner_of(session, Webhook, webhook_id, "webhook")
        delete_webhook(session, hook, actor.label)
        session.commit()
    return "", 204
