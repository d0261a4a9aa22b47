"""The pages of "Sign in with email" (``service.auth.email_link``), all in Parley's popup.

``GET /auth/email/login?site=&origin=`` asks for a name and an address; ``POST`` mails the
link and waits. The link (``GET /auth/email/callback?t=``) shows one button that ``POST``s it:
mail scanners that open every link must not spend a single-use one. Signed in, the page hands
the reader token to the widget like a provider's callback: straight to its opener when opened
in the popup, or, opened from the mail in another tab, through a BroadcastChannel to the
waiting popup, which reports to the page.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, make_response, render_template, request, session

from service.auth.email_link import (
    LinkRefused,
    allowed_to_send,
    enabled_for,
    mail_link,
    make_link,
    new_claims,
    read_link,
    sign_in,
)
from service.auth.profiles import _email
from service.auth.readers import issue_reader_token, token_ttl
from service.models import Site
from service.runtime import current_runtime
from service.security_headers import use_policy
from service.sites import origin_allowed, origin_of
from service.text import hash_ip, same_secret

log = logging.getLogger(__name__)

bp = Blueprint("auth_email", __name__, url_prefix="/auth/email", template_folder="templates")

CONTEXT_KEY = "parley_email"
MESSAGE_TYPE = "parley:auth"


def _page(title: str, status: int = 200, *, mode: str = "", payload: dict | None = None, **kw):
    use_policy(default_src="'none'", style_src="'nonce-{nonce}'", form_action="'self'")
    html = render_template(
        "auth_email.html", title=title, mode=mode, payload={"mode": mode, **(payload or {})}, **kw
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    # The link carries a sign-in: never leak it in a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refused(text: str, status: int = 400):
    return _page("Sign-in failed", status, error=text)


def _site(db, slug: str | None) -> Site | None:
    return db.scalar(sa.select(Site).where(Site.slug == slug)) if slug else None


@bp.get("/login")
def login():
    rt = current_runtime()
    with rt.session() as db:
        site = _site(db, request.args.get("site"))
        if site is None:
            return _refused("There is no such site here.", 404)
        if not enabled_for(rt.settings, site):
            return _refused(f"{site.name} does not offer signing in with email.", 404)
        origin = request.args.get("origin")
        if origin is not None and not origin_allowed(site, origin, rt.settings.web.base_url):
            return _refused(f"{origin} is not a page of {site.name}.", 403)
        targets = [origin_of(origin)] if origin else list(site.allowed_origins or [])
        name = site.name
    context = {
        "site": site.slug,
        "targets": targets,
        "request": secrets.token_urlsafe(12),
        "csrf": secrets.token_urlsafe(16),
    }
    session[CONTEXT_KEY] = context
    return _page(
        "Sign in with email",
        mode="form",
        csrf=context["csrf"],
        text=f"We will mail you a link that signs you in to comment on {name}.",
    )


@bp.post("/login")
def send():
    rt = current_runtime()
    context: dict[str, Any] = session.get(CONTEXT_KEY) or {}
    if not context or not same_secret(str(context.get("csrf", "")), request.form.get("csrf", "")):
        return _refused("This form has expired; close this window and try again.", 403)
    name = " ".join(request.form.get("name", "").split())[:100]
    address = _email(request.form.get("email", ""))
    if not name or address is None:
        error = "Please enter your name." if not name else "Please enter a valid email address."
        return _page(
            "Sign in with email",
            422,
            mode="form",
            csrf=context["csrf"],
            error=error,
            name=name,
            email=request.form.get("email", "")[:320],
        )
    with rt.session() as db:
        site = _site(db, context.get("site"))
        if site is None or not enabled_for(rt.settings, site):
            return _refused("This site does not offer signing in with email.", 404)
        site_name = site.name
    client = hash_ip(request.remote_addr, rt.settings.secret_key) or "unknown"
    if not allowed_to_send(rt.settings, address, client):
        return _refused("Too many sign-in links were asked for; please wait a while.", 429)
    claims = new_claims(address, name, context["site"], context["targets"], context["request"])
    try:
        mail_link(rt.settings, address, site_name, make_link(rt.settings, claims))
    except (smtplib.SMTPException, OSError) as error:
        log.warning("sign-in link not sent: %s", type(error).__name__)
        return _refused("The mail could not be sent; please try again later.", 503)
    return _page(
        "Check your mail",
        mode="sent",
        payload={"request": context["request"], "targets": context["targets"]},
        text=f"We sent a sign-in link to {address}. It works once, for 15 minutes. "
        "Open it in this browser: this window then signs you in.",
    )


@bp.get("/callback")
def confirm():
    rt = current_runtime()
    token = request.args.get("t", "")
    try:
        claims = read_link(rt.settings, token)
    except LinkRefused as refused:
        return _refused(str(refused))
    return _page(
        "Sign in with email", mode="confirm", link_token=token, email=claims.email, text=None
    )


@bp.post("/callback")
def callback():
    rt = current_runtime()
    try:
        claims = read_link(rt.settings, request.form.get("t", ""))
        with rt.session() as db:
            site = _site(db, claims.site)
            if site is None or not enabled_for(rt.settings, site):
                raise LinkRefused("This site no longer offers signing in with email.")
            identity = sign_in(db, claims, site)
            token = issue_reader_token(rt.settings.secret_key, identity.id, site.id)
            who = {
                "provider": "email",
                "provider_label": "Email",
                "name": identity.name,
                "email": identity.email,
                "email_verified": True,
                "avatar_url": None,
                "profile_url": None,
            }
            db.commit()
    except LinkRefused as refused:
        return _refused(str(refused))
    message = {"type": MESSAGE_TYPE, "token": token, "expires_in": token_ttl(), "identity": who}
    return _page(
        "Signed in",
        mode="done",
        payload={"message": message, "targets": claims.targets, "request": claims.request},
        text=f"You are signed in as {who['name']}.",
    )
