"""Rate limits: Flask-Limiter, counted in Redis, on every route that writes and on sign-in.

Each limited endpoint belongs to a group (``ROUTES``) whose per-minute limit comes from the
settings (``settings.web.submit_rate_per_minute`` for comments, ``settings.limits`` for the
rest), read on every request. A request counts twice: once for its client address (after
``PARLEY_PROXY_HOPS``, keyed-hashed like every stored IP) and once for its identity when it
brings one (a bearer token, a signed-in moderator's session). Over either, the answer is 429 in
the error shape, with Retry-After.

Redis down must not turn a write into a 500: the limiter falls back to per-process counters in
memory and goes back to Redis once it answers again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable

from flask import Flask, request
from flask import session as cookie_session
from flask_limiter import Limiter, RateLimitExceeded

from service.access import SESSION_KEY, bearer_token
from service.errors import ApiError, error_response
from service.runtime import current_runtime
from service.text import hash_ip

# endpoint -> group; tests/api/test_rate_limits.py checks that every route that writes is here.
ROUTES: dict[str, str] = {
    "comments.create_comment": "submit",
    "moderation.act": "moderate",
    "moderation.bulk": "moderate",
    "moderation.delete": "moderate",
    "moderation.delete_by_post": "moderate",
    "moderation.ban": "moderate",
    "moderation.lift": "moderate",
    "moderation.grant_role": "moderate",
    "moderation.revoke_role": "moderate",
    "dashboard.act": "moderate",
    "dashboard.undo_last": "moderate",
    "sites.update_site_settings": "moderate",
    "dashboard.mail_link_act": "moderate",
    "tokens.make_token": "moderate",
    "tokens.revoke": "moderate",
    "notifications.add_webhook": "moderate",
    "notifications.remove_webhook": "moderate",
    "webhook_deliveries.test_send": "moderate",
    "webhook_deliveries.retry": "moderate",
    "notifications.subscribe_to_replies": "write",
    "notifications.unsubscribe_page": "write",
    "imports.start_import": "moderate",
    "import_page.upload": "moderate",
    "privacy.erase_me": "write",
    "privacy.erase_request": "write",
    "privacy.erase_page": "write",
    "readers.vote": "write",
    "readers.edit": "write",
    "readers.delete_own": "write",
    "readers.report": "write",
    "readers.like": "write",
    "readers.preview": "write",
    "readers.pin": "moderate",
    "readers.close": "moderate",
    "readers.dismiss_reports": "moderate",
    "auth.login": "signin",
    "auth.callback": "signin",
    "auth.callback_form_post": "signin",
    "auth.logout": "signin",
    "auth.sso": "signin",
    "auth_email.login": "signin",
    "auth_email.send": "signin",
    "auth_email.confirm": "signin",
    "auth_email.callback": "signin",
}

_MESSAGES = {
    "submit": "too many comments from you",
    "moderate": "too many moderation requests from you",
    "signin": "too many sign-in attempts from you",
    "write": "too many requests from you",
}


def per_minute(group: str) -> int:
    settings = current_runtime().settings
    if group == "submit":
        return settings.web.submit_rate_per_minute
    return getattr(settings.limits, f"{group}_per_minute")


def _client_key() -> str:
    rt = current_runtime()
    return "ip:" + (hash_ip(request.remote_addr, rt.settings.secret_key) or "unknown")


def _identity_key() -> str:
    """Who the request says it is, without a database round trip: the token itself (hashed,
    keyed) or the signed session's identity id. Empty when it says nothing."""
    token = bearer_token()
    if token:
        secret = current_runtime().settings.secret_key
        return "token:" + hashlib.sha256(f"{secret}:{token}".encode()).hexdigest()[:32]
    identity_id = cookie_session.get(SESSION_KEY)
    return f"identity:{identity_id}" if identity_id else ""


class _NoTraceback(logging.Filter):
    """Flask-Limiter logs a swallowed storage error with its traceback; keep the one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


# One instance, so that building many apps in one process adds it once (addFilter dedupes).
_NO_TRACEBACK = _NoTraceback()


def install_limits(app: Flask) -> Limiter:
    """Limit every endpoint in ``ROUTES`` on ``app`` (after its blueprints are registered)."""
    rt = app.extensions["parley"]
    limiter = Limiter(
        key_func=_client_key,
        storage_uri=rt.settings.redis_url,
        # The same short timeouts as the app's own Redis client: a gone Redis must not hold
        # a request, and the in-memory fallback takes over.
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 2},
        strategy="fixed-window",
        key_prefix="parley",
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        headers_enabled=False,
    )
    limiter.init_app(app)
    logging.getLogger("flask-limiter").addFilter(_NO_TRACEBACK)

    for endpoint, group in ROUTES.items():
        view = app.view_functions.get(endpoint)
        if view is None:  # a blueprint this app does not register
            continue
        limited = view
        for key in (_client_key, _identity_key):
            limited = limiter.limit(
                _limit_of(group),
                key_func=key,
                exempt_when=_exempt(group, key),
                scope=f"{group}:{key.__name__}",
                error_message=_MESSAGES[group],
            )(limited)
        app.view_functions[endpoint] = _unless_off(group, view, limited)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded):
        retry_after = _retry_after(limiter, error)
        message = f"{error.description}; try again in {retry_after} seconds"
        return error_response(ApiError("rate_limited", message, retry_after=retry_after))

    return limiter


def _unless_off(group: str, view: Callable, limited: Callable) -> Callable:
    """``limited`` while the group has a limit; with it off (0), ``view`` itself: every limit
    would be exempt anyway, and the limiter's look at the request costs more than the
    rest of a cheap request."""

    @functools.wraps(limited)
    def choose(*args, **kwargs):
        return (limited if per_minute(group) > 0 else view)(*args, **kwargs)

    return choose


def _limit_of(group: str) -> Callable[[], str]:
    return lambda: f"{max(per_minute(group), 1)}/minute"


def _exempt(group: str, key: Callable[[], str]) -> Callable[[], bool]:
    return lambda: per_minute(group) <= 0 or not key()


def _retry_after(limiter: Limiter, error: RateLimitExceeded) -> int:
    window = error.limit.limit.get_expiry()
    try:
        current = limiter.current_limit
        reset_at = current.reset_at if current else time.time() + window
    except Exception:  # the storage went away between the hit and this look
        reset_at = time.time() + window
    return max(1, min(window, math.ceil(reset_at - time.time())))
