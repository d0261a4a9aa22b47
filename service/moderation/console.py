"""The console's admin pages: site settings, bans, audit log, members, webhooks, API tokens.

Each page reads with the same functions its API reads with and changes things only through
the documented API (``fetch`` from the page: ``PATCH /api/v1/sites/{slug}``,
``/api/v1/moderation/...``), so a page can never do what the API would refuse, nor differently.
Who may see what is the API's rule too: moderators see bans, the audit log and members; owners
also change settings, lift bans, manage members, webhooks and tokens. A site is only ever shown
to its own moderators and owners.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Literal, get_args, get_origin

import sqlalchemy as sa
from flask import Blueprint, Response, request

from service.access import current_actor, list_members, list_tokens, member_email, token_is_live
from service.auth.sso import describe, sso_of
from service.errors import ApiError
from service.models import Site
from service.moderation.audit import audit_page
from service.moderation.bans import list_bans
from service.moderation.dashboard import _page, csrf_token, html_errors
from service.moderation.queue import check_label
from service.notifications.deliveries import recent
from service.notifications.webhooks import EVENTS, site_webhooks
from service.policy import CheckPolicy, Policy, Thresholds
from service.runtime import current_runtime

bp = Blueprint("console", __name__, url_prefix="/moderate", template_folder="templates")

# The settings page's fields: (policy key, label, what it does). Types come from Policy.
SWITCHES = (
    ("premoderate", "Pre-moderation", "Hold every comment for a person before it is published."),
    ("require_signin", "Require sign-in", "No guest comments: readers sign in to comment."),
    ("hold_first_time_guests", "Hold first-time guests",
     "Hold an author's comments until the trust check knows them."),
    ("learned_spam_alone_files_spam", "Spam model alone files spam",
     "Let the learned spam model file a comment as spam without a second spam signal "
     "(otherwise it only holds)."),
)  # fmt: skip
NUMBERS = (
    ("max_depth", "Maximum reply depth", "A reply to a comment this deep is refused."),
    ("max_links", "Links before holding", "More links than this holds a comment; 3 more files it."),
    ("min_submit_ms", "Fastest human (ms)",
     "A form sent faster than this after it appeared is treated as a bot."),
    ("trusted_after", "Trusted after", "Published comments before an author is trusted."),
    ("flood_per_minute", "Flood: per minute", "Comments by one author per minute before holding."),
    ("flood_per_hour", "Flood: per hour", "Comments by one author per hour before holding."),
    ("duplicate_window_hours", "Duplicates: window (hours)", "How far back a copy counts."),
)  # fmt: skip
LISTS = (
    ("blocklist", "Blocklist", "Blocked words, phrases and domains, one a line: a match holds."),
    ("allowed_domains", "Allowed link domains", "Links to these domains are not counted."),
    ("abuse_terms", "Extra abusive terms", "Your site's own demeaning terms, one a line."),
    ("abuse_allowed_terms", "Terms that are fine here",
     "Words of the shipped lexicon your site does not count (\"bitch\" on a breeders' site)."),
)  # fmt: skip
THRESHOLDS = (
    ("hold", "Hold at", "Any check scoring at or over this holds the comment for a person."),
    ("spam", "Spam at", "A spam check at or over this files the comment as spam."),
    ("trusted_hold", "Hold trusted authors at", "The hold level for trusted authors."),
)
CHECKS = (
    "link_reputation", "url_shortener", "link_count", "obfuscated_link", "self_promotion",
    "praise_link", "ask_link", "keyword_stuffing", "contact_channel", "duplicate", "flood",
    "blocklist",
    "personal_attack", "threat", "toxicity_model", "spam_model", "moderator_labels",
    "moderator_domains", "akismet", "perspective", "moderation_api", "honeypot",
    "submit_speed", "shouting", "length", "banned_author",
)  # fmt: skip


def _site_for(db, *, owner: bool = False):
    actor = current_actor(db)
    sites = list(db.scalars(sa.select(Site).where(Site.id.in_(actor.site_ids)).order_by(Site.slug)))
    if not sites:
        raise ApiError("forbidden", "you do not moderate any site here")
    slug = request.args.get("site") or sites[0].slug
    site = next((s for s in sites if s.slug == slug), None)
    if site is None:
        raise ApiError("forbidden", f"you are not a moderator of {slug!r}")
    if owner and not actor.owns(site.id):
        raise ApiError("forbidden", "only an owner of this site may see this page")
    return actor, sites, site


def _render(template: str, nav: str, **context):
    return _page(template, nav=nav, csrf=csrf_token(), **context)


def _other_fields() -> list[tuple[str, str, tuple[str, ...]]]:
    """Policy fields this page has no row for (added since): (key, kind, choices), kind
    "switch", "number", "list" or "choice" (a fixed set of words), so a new knob is editable
    here the day it exists."""
    covered = {k for group in (SWITCHES, NUMBERS, LISTS) for k, *_ in group}
    covered |= {"thresholds", "checks"}
    found = []
    for key, field in Policy.model_fields.items():
        if key in covered:
            continue
        default = field.default
        if isinstance(default, bool):
            found.append((key, "switch", ()))
        elif isinstance(default, (int, float)):
            found.append((key, "number", ()))
        elif isinstance(default, tuple):
            found.append((key, "list", ()))
        elif isinstance(default, str) and get_origin(field.annotation) is Literal:
            found.append((key, "choice", get_args(field.annotation)))
    return found


@bp.get("/settings")
@html_errors
def settings_page():
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db, owner=True)
        policy = Policy.of(site.policy, strict=False)
        return _render(
            "console_settings.html",
            "settings",
            actor=actor,
            sites=sites,
            site=site,
            policy=policy,
            defaults=Policy(),
            switches=SWITCHES,
            numbers=NUMBERS,
            lists=LISTS,
            thresholds=THRESHOLDS,
            checks=[(name, check_label(name), policy.checks.get(name)) for name in CHECKS],
            others=_other_fields(),
            sso=describe(sso_of(db, site)),
            check_defaults=CheckPolicy(),
            threshold_defaults=Thresholds(),
        )


@bp.get("/bans")
@html_errors
def bans_page():
    include_expired = request.args.get("include_expired") == "1"
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db)
        bans = list_bans(db, site.id, include_expired=include_expired)
        return _render(
            "console_bans.html",
            "bans",
            actor=actor,
            sites=sites,
            site=site,
            bans=bans,
            include_expired=include_expired,
        )


def _audit_filters() -> dict:
    comment = request.args.get("comment", "").strip()
    return {
        "actor": request.args.get("actor", "").strip()[:200] or None,
        "action": request.args.get("action", "").strip()[:32] or None,
        "comment_id": int(comment) if comment.isdigit() and len(comment) < 10 else None,
        "people_only": request.args.get("people_only") == "1",
    }


@bp.get("/audit")
@html_errors
def audit_page_view():
    filters = _audit_filters()
    cursor = request.args.get("cursor", "")
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db)
        rows, next_cursor = audit_page(
            db,
            site.id,
            cursor=int(cursor) if cursor.isdigit() and len(cursor) < 10 else None,
            limit=100,
            **filters,
        )
        return _render(
            "console_audit.html",
            "audit",
            actor=actor,
            sites=sites,
            site=site,
            events=rows,
            filters=filters,
            next_cursor=next_cursor,
        )


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet (OWASP "CSV injection").
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/audit.csv")
@html_errors
def audit_csv():
    """The filtered audit log as CSV, every page of it, oldest last (as on screen)."""
    filters = _audit_filters()
    rt = current_runtime()
    with rt.session() as db:
        _actor, _sites, site = _site_for(db)
        site_id, slug = site.id, site.slug

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "created_at", "actor", "action", "comment_id", "from", "to", "note"])
        cursor = None
        while True:
            with rt.session() as db:
                events, cursor = audit_page(db, site_id, cursor=cursor, limit=500, **filters)
                for e in events:
                    writer.writerow(
                        [_csv_cell(v) for v in (e.id, e.created_at.isoformat(), e.actor, e.action,
                                                e.comment_id, e.from_status, e.to_status, e.note)]
                    )  # fmt: skip
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if cursor is None:
                return

    return Response(
        rows(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="parley-audit-{slug}.csv"'},
    )


@bp.get("/members")
@html_errors
def members_page():
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db)
        members = [
            {
                "id": m.id,
                "role": m.role,
                "email": member_email(m, i),
                "name": i.name if i else None,
                "who": f"{i.provider}:{i.subject}" if i else m.email,
            }
            for m, i in list_members(db, site)
        ]
        return _render(
            "console_members.html", "members", actor=actor, sites=sites, site=site, members=members
        )


@bp.get("/webhooks")
@html_errors
def webhooks_page():
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db, owner=True)
        hooks = site_webhooks(db, site.id)
        return _render(
            "console_webhooks.html",
            "webhooks",
            actor=actor,
            sites=sites,
            site=site,
            hooks=hooks,
            deliveries={h.id: recent(db, h.id, 20) for h in hooks},
            events=EVENTS,
        )


@bp.get("/tokens")
@html_errors
def tokens_page():
    with current_runtime().session() as db:
        actor, sites, site = _site_for(db, owner=True)
        tokens = [(row, token_is_live(row)) for row, _slug in list_tokens(db, site.id)]
        return _render(
            "console_tokens.html", "tokens", actor=actor, sites=sites, site=site, tokens=tokens
        )
