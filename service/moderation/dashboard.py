"""The moderation dashboard at /moderate: server-rendered pages over the same
functions as the moderation API.

Who: a signed-in moderator (the auth area's session resolver) or anyone
presenting a moderator token as ``Authorization: Bearer`` (what scripts and
the browser tests do). Every action is a plain form POST that redirects back
(POST/redirect/GET), so the page works without JavaScript; a few lines of
script only add keyboard shortcuts (j/k to move, a/r/s to act, x to select).

Cookies ride along on cross-site form posts, so a signed-in moderator's forms
carry a per-session CSRF token; the auth area's resolver also refuses POSTs
from other origins. A bearer token is never sent by a browser on its own and
needs no CSRF token.

The one-click links in moderator mail land here too (``/moderate/mail/<token>``):
GET shows the comment and a button, POST acts, because mail scanners fetch
every link they see.
"""

from __future__ import annotations

import functools
import json
import secrets
from datetime import datetime
from typing import get_args
from urllib.parse import urlencode

import redis
import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, session
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from service.access import Actor, bearer_token, current_actor, find_member
from service.errors import ApiError
from service.models import Comment, Site, utcnow
from service.moderation.actions import apply_action
from service.moderation.bulk import BULK_ACTIONS, bulk_apply
from service.moderation.i18n import console_language, translator
from service.moderation.live import newest as newest_comment
from service.moderation.queue import check_label, list_queue
from service.moderation.schemas import QueueQuery
from service.moderation.undo import Step, undo
from service.notifications.links import LinkError, is_used, read_link_token, spend
from service.notifications.mail import excerpt
from service.runtime import current_runtime
from service.text import clean_html, same_secret
from service.urls import safe_url

bp = Blueprint("dashboard", __name__, url_prefix="/moderate", template_folder="templates")

CSRF_KEY = "parley_moderate_csrf"
# The last bulk action's changes, for "Undo" (service.moderation.undo).
UNDO_KEY = "parley_moderate_undo"
# The status tabs: whatever the queue's API accepts (a new status there is a new tab here).
_TAB_ORDER = ("held", "reported", "spam", "published", "rejected", "pending")
STATUSES = tuple(
    sorted(
        get_args(QueueQuery.model_fields["status"].annotation),
        key=lambda s: (s == "all", _TAB_ORDER.index(s) if s in _TAB_ORDER else len(_TAB_ORDER)),
    )
)
GROUPS = ("", "thread", "reason", "author")
# The checks a moderator can filter the queue by (what deciding chips name).
REASON_FILTERS = (
    "link_reputation", "url_shortener", "link_count", "obfuscated_link", "self_promotion",
    "praise_link", "ask_link", "keyword_stuffing", "contact_channel", "duplicate", "flood",
    "blocklist",
    "personal_attack", "threat", "toxicity_model", "spam_model", "moderator_labels",
    "moderator_domains", "akismet", "perspective", "moderation_api", "banned_author",
    "honeypot", "submit_speed", "shouting", "length", "checks_failed",
)  # fmt: skip
BAN_DAYS = (None, 1, 7, 30, 365)
ACTION_LABELS = {
    "approve": "Approve",
    "reject": "Reject",
    "spam": "Spam",
    "ham": "Not spam",
    "delete": "Delete",
    "ban": "Ban author",
}


@bp.app_template_filter("safe_url")
def _safe_url_filter(value: object) -> str | None:
    """A link target, or None (the template then shows text, no link)."""
    return safe_url(value)


@bp.app_template_filter("comment_html")
def _comment_html_filter(html: str | None) -> Markup:
    # Stored HTML is cleaned again on the way out, as the widget does in the reader's browser:
    # a row written before today's rules, or by a bug, still cannot put markup on this page.
    return Markup(clean_html(html or ""))


@bp.app_template_filter("ago")
def _ago_filter(when: datetime | None) -> str:
    """ "5 min ago": how a moderator reads time; the exact UTC time is the title."""
    if when is None:
        return ""
    seconds = max(0, int((utcnow() - when).total_seconds()))
    for size, unit in ((86400 * 365, "y"), (86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def _page(template: str, status: int = 200, **context):
    lang = console_language()
    context.setdefault("lang", lang)
    context.setdefault("t", translator(lang))
    return render_template(template, **context), status


def html_errors(view):
    """Errors on these pages are pages, not the API's JSON."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ApiError as error:
            if error.code == "unauthorized":
                providers = current_app.extensions.get("parley_auth") or []
                return _page(
                    "moderate_signin.html", 401, providers=list(providers), message=error.message
                )
            return _page(
                "moderate_message.html", error.status, title="Not allowed", message=error.message
            )

    return wrapper


def csrf_token() -> str:
    if CSRF_KEY not in session:
        session[CSRF_KEY] = secrets.token_urlsafe(24)
    return session[CSRF_KEY]


def _check_csrf() -> None:
    if bearer_token() is not None:
        return
    sent, expected = request.form.get("csrf", ""), session.get(CSRF_KEY)
    if not same_secret(expected, sent):
        raise ApiError("forbidden", "this form is stale; reload the page and try again")


def _sites(db, actor: Actor) -> list[Site]:
    return list(db.scalars(sa.select(Site).where(Site.id.in_(actor.site_ids)).order_by(Site.slug)))


def _query(sites: list[Site]) -> tuple[QueueQuery | None, str | None]:
    data = {k: v for k, v in request.args.items() if k in QueueQuery.model_fields}
    data.setdefault("site", sites[0].slug)
    try:
        return QueueQuery.model_validate(data), None
    except ValidationError as error:
        first = error.errors()[0]
        return None, f"{'.'.join(map(str, first['loc']))}: {first['msg']}"


@bp.get("")
@html_errors
def queue():
    rt = current_runtime()
    with rt.session() as db:
        actor = current_actor(db)
        sites = _sites(db, actor)
        if not sites:
            raise ApiError("forbidden", "you do not moderate any site here")
        query, problem = _query(sites)
        if query is None:
            return _page("moderate_message.html", 400, title="Bad filter", message=problem)
        site = next((s for s in sites if s.slug == query.site), None)
        if site is None:
            raise ApiError("forbidden", f"you are not a moderator of {query.site!r}")
        items, next_cursor = list_queue(db, site, query)
    # The live stream starts after the newest comment the site had as this page was read.
    stream_after = newest_comment(rt, site.id)
    filters = {
        k: v
        for k, v in query.model_dump().items()
        if v is not None and k not in ("cursor", "limit")
    }
    group = request.args.get("group", "")
    return _page(
        "moderate_dashboard.html",
        actor=actor,
        sites=sites,
        site=site,
        query=query,
        items=items,
        groups=_grouped(items, group if group in GROUPS else ""),
        group=group if group in GROUPS else "",
        group_names=GROUPS,
        reason_filters=[(name, check_label(name)) for name in REASON_FILTERS],
        statuses=STATUSES,
        actions=ACTION_LABELS,
        ban_days=BAN_DAYS,
        csrf=csrf_token(),
        here=request.full_path.rstrip("?"),
        filters=filters,
        stream_after=stream_after,
        undo_label=(session.get(UNDO_KEY) or {}).get("label"),
        next_url=f"/moderate?{urlencode({**filters, 'cursor': next_cursor})}"
        if next_cursor
        else None,
    )


def _grouped(items: list, group: str) -> list[tuple[str | None, list]]:
    """(heading, items) in the queue's order; one untitled group when not grouping."""
    if not group:
        return [(None, items)]
    groups: dict[str, list] = {}
    for item in items:
        if group == "thread":
            key = item.thread_title or item.thread
        elif group == "reason":
            key = item.reasons[0].label if item.reasons else "no reason recorded"
        else:
            key = item.author.name or item.author.email or "anonymous"
        groups.setdefault(key, []).append(item)
    return list(groups.items())


@bp.get("/cards")
@html_errors
def fresh_cards():
    """Cards for the queue's live arrival (HTML): those of ``ids`` (the comments the site's event
    stream named) that match the page's filters, or else those newer than ``after`` (the slow
    poll the page falls back to when its stream is down)."""
    rt = current_runtime()
    try:
        after = int(request.args.get("after", "0"))
    except ValueError:
        after = 0
    raw_ids = request.args.get("ids", "")
    ids = [int(i) for i in raw_ids.split(",")[:200] if i.isascii() and i.isdigit() and len(i) < 10]
    with rt.session() as db:
        actor = current_actor(db)
        sites = _sites(db, actor)
        if not sites:
            raise ApiError("forbidden", "you do not moderate any site here")
        query, problem = _query(sites)
        if query is None:
            return _page("moderate_message.html", 400, title="Bad filter", message=problem)
        site = next((s for s in sites if s.slug == query.site), None)
        if site is None:
            raise ApiError("forbidden", f"you are not a moderator of {query.site!r}")
        if raw_ids:
            query = query.model_copy(update={"limit": 200})
        items, _ = list_queue(db, site, query, only_ids=ids if raw_ids else None)
    if not raw_ids:
        items = [i for i in items if i.id > after]
    return _page(
        "moderate_cards.html", items=items, actions=ACTION_LABELS, site=site, current_id=None
    )


def _back() -> str:
    # Only ever back to the dashboard itself.
    back = request.form.get("back", "")
    return back if back.startswith("/moderate") and not back.startswith("//") else "/moderate"


def _selection() -> tuple[list[int], str]:
    """(ids, action): a row's own button ("one" = "<id>:<action>") or the bulk bar."""
    one = request.form.get("one")
    if one:
        raw_id, _, action = one.partition(":")
        raw_ids = [raw_id]
    else:
        action, raw_ids = request.form.get("action", ""), request.form.getlist("ids")
    if action not in BULK_ACTIONS:
        raise ApiError("validation_failed", f"unknown action {action!r}")
    try:
        ids = [int(i) for i in raw_ids]
    except ValueError:
        raise ApiError("validation_failed", "comment ids are numbers") from None
    return ids, action


@bp.post("/act")
@html_errors
def act():
    rt = current_runtime()
    _check_csrf()
    ids, action = _selection()
    if not ids:
        flash("Select at least one comment first.")
        return redirect(_back(), 303)
    days = request.form.get("ban_days", "")
    options = {}
    if action == "ban":
        options = {"expires_in_days": int(days) if days.isdigit() and int(days) else None}
    with rt.session() as db:
        actor = current_actor(db)
        results = bulk_apply(db, ids, action, actor, **options)
        db.commit()
    done = [r for r in results if r.ok]
    flash(f"{ACTION_LABELS[action]}: {len(done)} of {len(results)} comment(s) done.")
    for r in results:
        if not r.ok:
            flash(f"#{r.id}: {r.error_message}")
    _remember_for_undo(action, len(ids), results)
    return redirect(_back(), 303)


UNDO_TTL_SECONDS = 3600


def _remember_for_undo(action: str, count: int, results) -> None:
    """Keep what the action changed for "Undo": in Redis (a bulk action of hundreds would not
    fit in the session cookie), under a random key the session holds, for an hour."""
    steps = [[r.id, r.from_status, r.status] for r in results if r.ok and r.changed]
    bans = sorted({r.ban_id for r in results if r.ok and r.ban_id is not None})
    session.pop(UNDO_KEY, None)
    if action == "delete" or not (steps or bans):
        return  # a deletion cannot be undone; nothing else to offer
    key = "parley:undo:" + secrets.token_urlsafe(16)
    try:
        current_runtime().redis.set(
            key, json.dumps({"steps": steps, "bans": bans}), ex=UNDO_TTL_SECONDS
        )
    except (redis.RedisError, OSError):
        return  # no undo while Redis is away; the action itself is committed
    session[UNDO_KEY] = {"label": f"{ACTION_LABELS[action]} ({len(steps)} comment(s))", "key": key}


def _take_undo() -> dict | None:
    held = session.pop(UNDO_KEY, None)
    if not held or not str(held.get("key", "")).startswith("parley:undo:"):
        return None
    try:
        raw = current_runtime().redis.getdel(held["key"])
    except (redis.RedisError, OSError):
        raise ApiError("unavailable", "undo needs Redis, which is not reachable") from None
    return json.loads(raw) if raw else None


@bp.post("/undo")
@html_errors
def undo_last():
    rt = current_runtime()
    _check_csrf()
    last = _take_undo()
    if not last:
        flash("Nothing to undo.")
        return redirect(_back(), 303)
    with rt.session() as db:
        actor = current_actor(db)
        outcome = undo(
            db,
            [Step(int(i), str(f), str(t)) for i, f, t in last.get("steps", [])],
            [int(b) for b in last.get("bans", [])],
            actor,
        )
        db.commit()
    flash(
        f"Undone: {outcome.restored} comment(s) back where they were"
        + (f", {outcome.bans_lifted} ban(s) lifted" if outcome.bans_lifted else "")
        + "."
    )
    if outcome.skipped:
        flash("Left alone (moved by someone since): " + ", ".join(f"#{i}" for i in outcome.skipped))
    return redirect(_back(), 303)


# --- One-click links from moderator mail ------------------------------------


def _claims(token: str):
    ttl = current_runtime().settings.mail.link_ttl_seconds
    return read_link_token(current_runtime().settings.secret_key, token, ttl)


def _link_failure(error: LinkError):
    status = {"expired": 410, "used": 410, "moved": 409}.get(error.reason, 400)
    return _page(
        "moderate_message.html", status, title="This link cannot be used", message=error.message
    )


def _link_comment(db, claims) -> Comment:
    """The comment a link may act on; why not, in the order a moderator needs to hear it."""
    if is_used(db, claims.nonce):
        raise LinkError("used", "this link was already used")
    comment = db.get(Comment, claims.comment_id)
    if comment is None or comment.thread.site_id != claims.site_id:
        raise LinkError("invalid", "this comment no longer exists")
    if comment.status != claims.status:
        # A colleague moved it after the mail went out; their decision stands.
        raise LinkError(
            "moved",
            f"comment #{comment.id} is now {comment.status} (it was {claims.status} when this "
            "mail was sent); open the dashboard to change it",
        )
    return comment


@bp.get("/mail/<token>")
def mail_link(token: str):
    rt = current_runtime()
    try:
        claims = _claims(token)
        with rt.session() as db:
            comment = _link_comment(db, claims)
            return _page(
                "moderate_mail_link.html",
                claims=claims,
                comment=comment,
                text=excerpt(comment, 2000),
                label=ACTION_LABELS[claims.action],
            )
    except LinkError as error:
        return _link_failure(error)


@bp.post("/mail/<token>")
def mail_link_act(token: str):
    rt = current_runtime()
    try:
        claims = _claims(token)
        with rt.session() as db:
            member = find_member(db, claims.site_id, email=claims.recipient)
            if member is None:
                raise LinkError("invalid", "you no longer moderate this site")
            comment = _link_comment(db, claims)
            actor = Actor(
                label=f"mail:{claims.recipient}",
                role=member.role,
                site_ids=frozenset({claims.site_id}),
                owned_site_ids=frozenset({claims.site_id})
                if member.role == "owner"
                else frozenset(),
            )
            spend(db, claims)
            outcome = apply_action(db, comment, claims.action, actor, claims.site_id)
            db.commit()
    except LinkError as error:
        return _link_failure(error)
    except IntegrityError:
        # Two clicks raced; the other one spent the link.
        return _link_failure(LinkError("used", "this link was already used"))
    except ApiError as error:
        return _page(
            "moderate_message.html", error.status, title="Nothing changed", message=error.message
        )
    return _page(
        "moderate_message.html",
        title="Done",
        message=f"Comment #{outcome.comment_id} is now {outcome.to_status}.",
    )
