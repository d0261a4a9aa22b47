"""Every HTML page Parley serves carries the same strict headers (service/security_headers.py):
a CSP whose script-src is a nonce made for that response (and every script tag on the page
carries it), frame-ancestors 'none' and X-Frame-Options DENY, object-src and base-uri 'none',
nosniff and a Referrer-Policy. The widget's script and JSON, which other origins embed, carry
no framing or CSP headers.

Here (tests/auth) because the sign-in popup needs the OpenID provider this folder's app has;
the dashboard, mail-link, unsubscribe and demo pages are served by the same app.
"""

from __future__ import annotations

import re

import pytest
import requests

from service.access import create_token
from service.models import Site
from service.notifications.links import LinkClaims, make_link_token, new_nonce
from service.notifications.replies import unsubscribe_token
from service.widget.demo_server import make_server as make_demo_server
from tests.support.apps import SITE_ORIGIN
from tests.support.hostile import insert_old_comment
from tests.support.live_server import free_port, serving
from tests.support.signin import OIDC_NAME

_NONCE = re.compile(r"script-src 'nonce-([A-Za-z0-9_-]{16,})'")
_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


def assert_locked_down(headers, html: str) -> str:
    """The headers every Parley page has; returns the nonce."""
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    match = _NONCE.search(csp)
    assert match, csp
    nonce = match[1]
    assert directives["script-src"] == f"'nonce-{nonce}'"  # no 'unsafe-inline', no hosts
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "form-action" in directives
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    for tag in _SCRIPT_TAG.findall(html):
        assert f'nonce="{nonce}"' in tag, tag
    return nonce


@pytest.fixture
def held(rt, site) -> int:
    return insert_old_comment(rt, site.id, "/h")


def html_pages(web, rt, site, held: int) -> dict[str, object]:
    with rt.session() as session:
        token = create_token(session, session.get(Site, site.id), "moderator")
        session.commit()
    secret = rt.settings.secret_key
    link = make_link_token(
        secret, LinkClaims(held, "approve", "mod@example.test", site.id, new_nonce(), "held")
    )
    return {
        "dashboard": web.get("/moderate", headers={"Authorization": f"Bearer {token}"}),
        "dashboard sign-in": web.get("/moderate"),
        "mail link": web.get(f"/moderate/mail/{link}"),
        "stale mail link": web.get("/moderate/mail/not-a-token"),
        "unsubscribe": web.get(
            "/notifications/unsubscribe/" + unsubscribe_token(secret, site.id, "a@example.com")
        ),
        "demo": web.get("/demo"),
        "auth popup": web.get(f"/auth/{OIDC_NAME}/callback?state=forged"),
    }


def test_every_html_page_has_a_fresh_nonce_and_no_framing(web, rt, site, held):
    first = html_pages(web, rt, site, held)
    second = html_pages(web, rt, site, held)

    for name, response in first.items():
        assert response.mimetype == "text/html", name
        html = response.get_data(as_text=True)
        nonce = assert_locked_down(response.headers, html)
        again = assert_locked_down(second[name].headers, second[name].get_data(as_text=True))
        assert nonce != again, f"{name}: the nonce must differ per response"
    # The pages that have scripts run them by nonce (not by 'unsafe-inline').
    assert "<script nonce=" in first["dashboard"].get_data(as_text=True)
    assert "nonce=" in first["auth popup"].get_data(as_text=True)
    demo = first["demo"].get_data(as_text=True)
    assert demo.count("<script nonce=") == 2  # embed.js and count.js
    # The callback URL carries the authorization code: the popup says no Referer at all.
    assert first["auth popup"].headers["Referrer-Policy"] == "no-referrer"
    popup_csp = first["auth popup"].headers["Content-Security-Policy"]
    assert "default-src 'none'" in popup_csp and "form-action 'none'" in popup_csp


def test_embedded_resources_carry_no_framing_or_page_policy(web, site):
    for path in ("/embed.js", "/count.js", "/api/v1/comments?site=demo&thread=/x"):
        response = web.get(path, headers={"Origin": SITE_ORIGIN})
        assert response.status_code == 200, path
        assert "X-Frame-Options" not in response.headers, path
        assert "Content-Security-Policy" not in response.headers, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_the_demos_second_origin_sends_the_same_headers():
    port = free_port()
    parley = "http://127.0.0.1:9"
    server = make_demo_server("127.0.0.1", port, parley, {"/host-page": "<p>a host page</p>"})
    with serving(server, name="demo-origin"):
        first = requests.get(f"http://127.0.0.1:{port}/the-quiet-garden", timeout=10)
        second = requests.get(f"http://127.0.0.1:{port}/the-quiet-garden", timeout=10)
        host_page = requests.get(f"http://127.0.0.1:{port}/host-page", timeout=10)

    nonce = assert_locked_down(first.headers, first.text)
    assert nonce != assert_locked_down(second.headers, second.text)
    assert f"connect-src 'self' {parley}" in first.headers["Content-Security-Policy"]
    # Pages a test serves as someone else's site are served as given.
    assert "Content-Security-Policy" not in host_page.headers
