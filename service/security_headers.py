"""Security headers on every HTML page Parley serves: one ``after_request`` hook.

Every ``text/html`` response (dashboard, mail-link and unsubscribe pages, the demo, the sign-in
popup, any error page) gets a strict Content-Security-Policy whose ``script-src`` is a nonce
made for that response, so markup that slipped into a page (a stored comment, a thread URL)
cannot run even if escaping failed. Templates write ``csp_nonce()`` on their own ``<script>``
(and ``<style>``) tags. ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` (for browsers
older than CSP 2) stop other sites framing a page to trick a moderator into a click.

``Referrer-Policy: same-origin``: dashboard addresses carry filters (an author's email), the
mail-link and unsubscribe pages carry their token in the path; none of it may reach the blog a
thread link leads to. ``no-referrer`` would say the same to other origins but also makes
Chromium send ``Origin: null`` on the pages' own form posts, which the signed-in moderator's
origin check rightly refuses; within Parley a Referer tells nobody anything new.

The widget is a script (``/embed.js``) and JSON, embedded by other origins' pages: those
responses are not HTML and get none of the framing or CSP headers, only ``nosniff``.

A view that needs a different policy (the popup: nothing but its own script) calls
``use_policy``; the hook still adds the nonce and the directives no page may drop. Its
``script-src`` may only add sources after the nonce (the demo, where the operator chose
Turnstile or hCaptcha, adds that provider's origins: ``service.widget.demo.demo_policy``).
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, has_request_context

_NONCE = "parley_csp_nonce"
_OVERRIDES = "parley_csp_overrides"

# What every page gets unless it says otherwise.
DEFAULT_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data: https:",
    "style-src": "'self' 'nonce-{nonce}'",
    "connect-src": "'self'",
    "form-action": "'self'",
}
# What no page may loosen.
FIXED_POLICY = {
    "script-src": "'nonce-{nonce}'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "same-origin"


def csp_nonce() -> str:
    """This response's nonce (made on first use), for ``<script nonce=…>``."""
    if not has_request_context():
        return ""
    if _NONCE not in g:
        setattr(g, _NONCE, secrets.token_urlsafe(18))
    return getattr(g, _NONCE)


def use_policy(**directives: str) -> None:
    """Directives for this response's CSP in place of the defaults (``style_src="'none'"``);
    ``{nonce}`` in a value becomes the nonce. ``script-src``, ``object-src``, ``base-uri``
    and ``frame-ancestors`` stay as they are."""
    overrides = dict(g.get(_OVERRIDES) or {})
    for name, value in directives.items():
        directive = name.replace("_", "-")
        if directive in FIXED_POLICY and not _keeps_fixed(directive, value):
            raise ValueError(f"{directive} is the same on every page")
        overrides[directive] = value
    setattr(g, _OVERRIDES, overrides)


def _keeps_fixed(directive: str, value: str) -> bool:
    """A ``script-src`` that starts with the nonce and only adds origins after it."""
    fixed = FIXED_POLICY[directive]
    added = value[len(fixed) :].split()
    return (
        directive == "script-src"
        and value.startswith(fixed + " ")
        and all(source.startswith("https://") for source in added)
    )


def content_security_policy(nonce: str, overrides: dict[str, str] | None = None) -> str:
    overrides = overrides or {}
    policy = {**DEFAULT_POLICY, **overrides, **FIXED_POLICY}
    for directive in FIXED_POLICY:
        if directive in overrides and _keeps_fixed(directive, overrides[directive]):
            policy[directive] = overrides[directive]
    return "; ".join(f"{name} {value.format(nonce=nonce)}" for name, value in policy.items())


def html_headers(nonce: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The headers an HTML page of Parley carries (the demo's second origin sends them too)."""
    return {
        "Content-Security-Policy": content_security_policy(nonce, overrides),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
    }


def _secure(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.mimetype != "text/html":
        return response
    for name, value in html_headers(csp_nonce(), g.get(_OVERRIDES)).items():
        # A view may have chosen a stricter Referrer-Policy (the popup: no-referrer).
        if name == "Referrer-Policy" and name in response.headers:
            continue
        response.headers[name] = value
    return response


def install_security_headers(app: Flask) -> None:
    app.after_request(_secure)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
