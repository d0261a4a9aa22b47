"""HTTP face of sign-in: the provider list, the popup flow, ``/auth/me`` and logout.

Readers sign in inside a popup on Parley's own origin (``/auth/<name>/login?site=<slug>``), so
the OAuth state, nonce and PKCE verifier live in Parley's first-party session cookie and no
third-party cookie is involved. The callback hands a reader token, bound to the site, to the
opener with ``postMessage`` aimed at the site's registered origins only, then closes. Every
failure (cancelled, stale state, replayed code, bad id_token) comes back the same way, as
``{"type": "parley:auth", "error": <code>, "message": <sentence>}``.

Moderators use the same routes without ``site`` (``?next=/moderate``): the callback stores the
identity in the session cookie and redirects to ``next``.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import Blueprint, current_app, make_response, redirect, render_template, request, session

from service.access import (
    SESSION_KEY,
    bearer_token,
    check_same_origin,
    end_all_sessions,
    end_session,
    memberships,
    session_identity,
    start_session,
)
from service.api import endpoint
from service.auth.email_link import enabled_for as email_enabled_for
from service.auth.identities import upsert_identity
from service.auth.providers import ProfileError, Provider, Providers
from service.auth.readers import (
    issue_reader_token,
    reader_identity,
    revoke_reader_token,
    token_ttl,
)
from service.auth.schemas import (
    IdentityOut,
    LoggedOut,
    LogoutQuery,
    Me,
    ProviderList,
    ProviderOut,
    SignedIn,
    SiteQuery,
    SsoIn,
)
from service.auth.sso import (
    SsoRefused,
    SsoUnavailable,
    refused_as_api_error,
    sign_in_with_token,
    site_label,
)
from service.errors import ApiError, where_raised
from service.models import Identity, Site
from service.runtime import current_runtime
from service.security_headers import use_policy
from service.sites import check_origin, get_site, origin_allowed, origin_of

log = logging.getLogger(__name__)

bp = Blueprint(
    "auth", __name__, url_prefix="/auth", static_folder="static", template_folder="templates"
)

MESSAGE_TYPE = "parley:auth"
# Where the latest popup reports to, for failures whose state is gone (stale or forged).
POPUP_KEY = "parley_popup"
# Abandoned sign-ins leave state in the cookie; keep it well under the 4 KB cookie limit.
MAX_PENDING = 5


@bp.record_once
def _setup(state) -> None:
    """Per app, inside create_app: the Authlib registry."""
    app = state.app
    settings = app.extensions["parley"].settings
    app.extensions["parley_auth"] = Providers.build(app, settings.auth)


def _providers() -> Providers:
    return current_app.extensions["parley_auth"]


def _callback_url(name: str) -> str:
    # Exact and fixed: the URL registered with the provider, never derived from the request.
    return f"{current_runtime().settings.web.base_url}/auth/{name}/callback"


# -- the popup page ----------------------------------------------------------------------------


def _page(
    title: str,
    text: str,
    message: dict[str, Any],
    targets: list[str],
    status: int,
    back: str | None = None,
):
    # The popup runs its one script and nothing else: no styles but its own, no forms.
    use_policy(default_src="'none'", style_src="'nonce-{nonce}'", form_action="'none'")
    html = render_template(
        "auth_popup.html",
        title=title,
        text=text,
        message=message,
        targets=targets,
        back=back,
        payload={"message": message, "targets": targets},
    )
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    # The callback URL carries the authorization code: never leak it in a Referer.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _failure(context: dict, code: str, message: str, status: int = 400):
    body = {"type": MESSAGE_TYPE, "error": code, "message": message}
    targets = list(context.get("targets") or [])
    # A moderator's sign-in runs in the main window: offer the way back to where it started.
    return _page("Sign-in failed", message, body, targets, status, back=context.get("next"))


def _identity_out(identity: Identity, db=None) -> IdentityOut:
    provider = _providers().get(identity.provider)
    label = provider.config.label if provider else None
    if label is None and db is not None:
        label = site_label(db, identity.provider)  # a site's own accounts: the site's name
    if label is None and identity.provider == "email":
        label = "Email"
    return IdentityOut(
        provider=identity.provider,
        provider_label=label or identity.provider,
        name=identity.name,
        email=identity.email,
        email_verified=identity.email_verified,
        avatar_url=identity.avatar_url,
        profile_url=identity.profile_url,
    )


# -- starting a sign-in ------------------------------------------------------------------------


def _safe_next(value: str | None) -> str | None:
    """A path on Parley itself, or None: ``next`` must never send anyone elsewhere."""
    if value is None:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 33 for c in value):
        return None
    parts = urlsplit(value)
    return None if parts.scheme or parts.netloc else value


def _prune_pending() -> None:
    now = time.time()
    pending = sorted(
        (key for key in session if key.startswith("_state_")),
        key=lambda key: (session[key] or {}).get("exp", 0),
    )
    for index, key in enumerate(pending):
        expired = (session[key] or {}).get("exp", 0) < now
        if expired or index < len(pending) - (MAX_PENDING - 1):
            session.pop(key, None)


@bp.get("/<name>/login")
def login(name: str):
    rt = current_runtime()
    slug = request.args.get("site")
    if slug is not None:
        with rt.session() as db:
            site = db.scalar(sa.select(Site).where(Site.slug == slug))
        if site is None:
            return _failure({}, "unknown_site", f"There is no site {slug!r} here.", 404)
        origin = request.args.get("origin")
        if origin is not None:
            if not origin_allowed(site, origin, rt.settings.web.base_url):
                # Never posting to an origin the site did not register: refuse outright.
                return _failure(
                    {}, "origin_not_allowed", f"{origin} is not a page of {site.name}.", 403
                )
            targets = [origin_of(origin)]
        else:
            targets = list(site.allowed_origins or []) or [origin_of(rt.settings.web.base_url)]
        context: dict[str, Any] = {"site": site.slug, "targets": targets}
    else:
        next_path = _safe_next(request.args.get("next"))
        if next_path is None:
            return _failure({}, "bad_request", "next must be a path on this server.", 400)
        context = {"next": next_path}

    provider = _providers().get(name)
    if provider is None:
        return _failure(
            context, "unknown_provider", f"Signing in with {name!r} is not enabled.", 404
        )

    _prune_pending()
    session[POPUP_KEY] = context
    callback = _callback_url(name)
    try:
        started = provider.client.create_authorization_url(redirect_uri=callback)
    except Exception as error:  # discovery document unreachable or malformed
        log.warning("cannot start %s sign-in: %s", name, error)
        return _failure(
            context,
            "provider_unavailable",
            f"{provider.config.label} is not answering; please try again later.",
            502,
        )
    url = started.pop("url")
    # Authlib keeps state, nonce and code_verifier in the (signed) session under the state.
    provider.client.save_authorize_data(redirect_uri=callback, context=context, **started)
    return redirect(url)


# -- finishing it ------------------------------------------------------------------------------


def _exchange(provider: Provider):
    """Code for token (PKCE verifier and nonce checked), then the normalized profile."""
    # Imported here, with the provider's client: a web process without social sign-in
    # never loads Authlib, requests or JOSE (service.auth.providers).
    import requests
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    label = provider.config.label
    try:
        provider.refresh_client_secret()
        token = provider.client.authorize_access_token(claims_options=provider.claims_options())
        if provider.is_oidc and "userinfo" not in token:
            raise ProfileError("no id_token in the token response")
        return provider.profile(token, _form_post_user(provider)), None
    except JoseError as error:
        log.info("%s id_token rejected: %s", provider.name, error)
        return None, ("id_token_invalid", f"{label}'s answer did not match this sign-in.")
    except AuthlibBaseError as error:
        log.info("%s token request failed: %s", provider.name, error)
        code = getattr(error, "error", None) or "oauth_error"
        return None, (
            "code_rejected",
            f"{label} did not accept this sign-in ({code}); please try again.",
        )
    except requests.RequestException as error:
        log.warning("%s unreachable: %s", provider.name, error)
        return None, ("provider_unavailable", f"{label} is not answering; please try again later.")
    except (ProfileError, ValueError) as error:
        log.info("%s profile unusable: %s", provider.name, error)
        return None, ("profile_unavailable", f"{label} did not tell us who you are.")
    except Exception as error:
        # One line, no values: a provider's answer can carry the reader's profile.
        log.error(
            "%s sign-in failed: %s at %s", provider.name, type(error).__name__, where_raised(error)
        )
        return None, ("sign_in_failed", "Something went wrong on our side; please try again.")


# The form fields a form_post callback may carry on to the GET callback.
FORM_POST_FIELDS = ("code", "state", "error", "iss", "user")


@bp.post("/<name>/callback")
def callback_form_post(name: str):
    """Sign in with Apple answers with a form POST from its own site (``response_mode=
    form_post``), which brings no SameSite=Lax cookie, so the sign-in's state is out of reach
    here. A 303 turns it into a top-level GET on Parley, which does bring it."""
    provider = _providers().get(name)
    if provider is None or provider.config.authorize_params.get("response_mode") != "form_post":
        return _failure({}, "unknown_provider", f"Signing in with {name!r} is not enabled.", 404)
    params = {k: request.form[k][:4096] for k in FORM_POST_FIELDS if k in request.form}
    response = redirect(f"{_callback_url(name)}?{urlencode(params)}", 303)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _form_post_user(provider: Provider) -> dict[str, Any] | None:
    """The reader's name Apple posts on their first sign-in only (``user``, unsigned JSON):
    a display name, never an identifier or an address."""
    raw = request.args.get("user")
    if provider.config.authorize_params.get("response_mode") != "form_post" or not raw:
        return None
    try:
        user = json.loads(raw)
    except ValueError:
        return None
    name = user.get("name") if isinstance(user, dict) else None
    if not isinstance(name, dict):
        return None
    parts = [name.get("firstName"), name.get("lastName")]
    full = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return {"name": full} if full else None


@bp.get("/<name>/callback")
def callback(name: str):
    rt = current_runtime()
    provider = _providers().get(name)
    state = request.args.get("state")
    framework = provider.client.framework if provider else None
    state_data = framework.get_state_data(session, state) if framework and state else None
    context = (state_data or {}).get("context") or session.get(POPUP_KEY) or {}
    if provider is None:
        return _failure(
            context, "unknown_provider", f"Signing in with {name!r} is not enabled.", 404
        )

    error = request.args.get("error")
    if error is not None:
        if state_data is not None:
            framework.clear_state_data(session, state)
        if error == "access_denied":
            return _failure(context, "cancelled", "You cancelled the sign-in.")
        code = error if error.replace("_", "").isalnum() and len(error) < 64 else "unknown"
        return _failure(
            context, "provider_error", f"{provider.config.label} refused the sign-in ({code})."
        )
    if state_data is None:
        return _failure(
            context,
            "state_mismatch",
            "This sign-in was not started in this browser or was already finished; "
            "please try again.",
        )
    if not provider.check_response_issuer(request.args.get("iss")):
        framework.clear_state_data(session, state)
        return _failure(context, "issuer_mismatch", "The answer came from the wrong provider.")

    profile, failure = _exchange(provider)
    if failure is not None:
        return _failure(context, *failure)

    with rt.session() as db:
        identity = upsert_identity(db, profile)
        token = session_id = None
        if "site" in context:
            site = db.scalar(sa.select(Site).where(Site.slug == context["site"]))
            if site is None:
                return _failure(context, "unknown_site", "This site no longer exists.", 404)
            token = issue_reader_token(rt.settings.secret_key, identity.id, site.id)
        else:
            session_id = start_session(db, identity, rt.settings.auth.session_lifetime)
        db.commit()
        who = _identity_out(identity)

    if session_id is not None:
        # A moderator on Parley's own pages: a fresh session (a new id at every sign-in, so a
        # planted cookie is never promoted), then back to work.
        session.clear()
        session[SESSION_KEY] = session_id
        return redirect(context.get("next") or "/")

    session.pop(POPUP_KEY, None)
    message = {
        "type": MESSAGE_TYPE,
        "token": token,
        "expires_in": token_ttl(),
        "identity": who.model_dump(mode="json"),
    }
    text = f"You are signed in as {who.name or 'a ' + who.provider_label + ' user'}."
    return _page("Signed in", text, message, context["targets"], 200)


# -- the JSON endpoints ------------------------------------------------------------------------


@endpoint(
    bp,
    "/providers",
    "GET",
    summary="The sign-in providers enabled here, with their icons, for the widget",
    query=SiteQuery,
    responses={200: ProviderList},
    errors=(404,),
)
def list_providers(query: SiteQuery):
    rt = current_runtime()
    site = None
    if query.site is not None:
        with rt.session() as db:
            site = get_site(db, query.site)
    base = rt.settings.web.base_url
    items = [
        ProviderOut(
            name=p.name,
            label=p.config.label,
            icon=f"{base}/auth/static/icons/{p.config.icon}.svg",
            login_url=f"{base}/auth/{p.name}/login",
        )
        for p in _providers()
    ]
    if site is not None and email_enabled_for(rt.settings, site):
        items.append(
            ProviderOut(
                name="email",
                label="Email",
                icon=f"{base}/auth/static/icons/email.svg",
                login_url=f"{base}/auth/email/login",
            )
        )
    return ProviderList(providers=items).model_dump(mode="json")


def _require_site(query: SiteQuery) -> str:
    if query.site is None:
        raise ApiError("validation_failed", "site: is required with a bearer token", field="site")
    return query.site


@endpoint(
    bp,
    "/me",
    "GET",
    summary="Who is signed in: the reader of the bearer token (with site=), or this session",
    query=SiteQuery,
    responses={200: Me},
    auth=True,
    errors=(401, 404),
)
def me(query: SiteQuery):
    rt = current_runtime()
    with rt.session() as db:
        if bearer_token() is not None:
            site = get_site(db, _require_site(query))
            identity = reader_identity(db, rt.settings.secret_key, site)
            return Me(identity=_identity_out(identity, db)).model_dump(mode="json")
        identity = session_identity(db)
        if identity is None:
            raise ApiError("unauthorized", "you are not signed in")
        site_ids = {m.site_id for m in memberships(db, identity)}
        slugs = db.scalars(sa.select(Site.slug).where(Site.id.in_(site_ids)).order_by(Site.slug))
        return Me(identity=_identity_out(identity), moderates=list(slugs)).model_dump(mode="json")


@endpoint(
    bp,
    "/logout",
    "POST",
    summary="Sign out: revoke the bearer token (with site=) and end this session "
    "(everywhere=true: every session of this moderator, on every browser)",
    query=LogoutQuery,
    responses={200: LoggedOut},
    auth=True,
    errors=(401, 403, 404),
)
def logout(query: LogoutQuery):
    rt = current_runtime()
    token = bearer_token()
    if token is not None:
        with rt.session() as db:
            site = get_site(db, _require_site(query))
            revoke_reader_token(db, rt.settings.secret_key, token, site.id)
    session_id = session.get(SESSION_KEY)
    ended = 0
    if isinstance(session_id, str) and token is not None:
        # A reader signing out on another site's page: the moderator session stays as it is.
        try:
            check_same_origin()
        except ApiError:
            session_id = None
    elif isinstance(session_id, str):
        # Another site must not be able to log a moderator out (or out everywhere).
        check_same_origin()
    if isinstance(session_id, str):
        with rt.session() as db:
            row = end_session(db, session_id)
            ended = 1 if row is not None else 0
            if row is not None and query.everywhere:
                ended += end_all_sessions(db, row.identity_id)
            db.commit()
    cleared = isinstance(session_id, str)
    if cleared or token is None:
        session.clear()
    return LoggedOut(
        revoked_token=token is not None, cleared_session=cleared, ended_sessions=ended
    ).model_dump(mode="json")


@endpoint(
    bp,
    "/sso",
    "POST",
    summary="Sign a site's own reader in with the JWT the host signed (host-site SSO): "
    "the same reader token the sign-in popup gives",
    body=SsoIn,
    responses={200: SignedIn},
    errors=(401, 403, 404, 503),
)
def sso(body: SsoIn):
    rt = current_runtime()
    with rt.session() as db:
        site = get_site(db, body.site)
        check_origin(site, request.headers.get("Origin"), rt.settings.web.base_url)
        try:
            identity = sign_in_with_token(db, rt.settings, site, body.token)
        except SsoRefused as refused:
            # The reason is for the site owner, in the log; the reader gets one sentence.
            log.warning("SSO token refused for site %s: %s", site.slug, refused)
            raise refused_as_api_error() from None
        except SsoUnavailable as unavailable:
            log.warning("SSO keys of site %s unavailable: %s", site.slug, unavailable)
            raise ApiError(
                "unavailable", "the site's sign-in keys cannot be fetched; try again later"
            ) from None
        token = issue_reader_token(rt.settings.secret_key, identity.id, site.id)
        who = _identity_out(identity, db)
        db.commit()
    return SignedIn(token=token, expires_in=token_ttl(), identity=who).model_dump(mode="json")
