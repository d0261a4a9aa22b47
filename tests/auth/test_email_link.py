"""The email sign-in link's rules, through Parley's pages with a test client and real SMTP."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from service.auth import email_link
from tests.moderation.servers import smtp_server
from tests.support.apps import SiteSpec
from tests.support.signin import SITE_ORIGIN

SITES = (
    SiteSpec("demo", "Demo blog", (SITE_ORIGIN,), {"email_signin": True}),
    SiteSpec("other", "Other blog", ("http://other.example.test",)),
)
FORM = re.compile(r'name="csrf" value="([^"]+)"')
TOKEN = re.compile(r'name="t" value="([^"]+)"')


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def app(make_app, mailbox):
    env = {
        "PARLEY_SMTP_HOST": mailbox.host,
        "PARLEY_SMTP_PORT": str(mailbox.port),
        "PARLEY_MAIL_FROM": "parley@example.test",
    }
    return make_app(env, SITES)


@pytest.fixture
def web(app):
    return app.test_client()


def ask(web, address="reader@example.test", name="Rea Der", site="demo"):
    page = web.get(f"/auth/email/login?site={site}&origin={SITE_ORIGIN}")
    assert page.status_code == 200, page.get_data(as_text=True)
    csrf = FORM.search(page.get_data(as_text=True)).group(1)
    return web.post("/auth/email/login", data={"csrf": csrf, "name": name, "email": address})


def link_token(mailbox, address="reader@example.test") -> str:
    body = mailbox.to(address)[-1].get_content()
    return re.search(r"/auth/email/callback\?t=(\S+)", body).group(1)


def test_the_link_signs_in_once_and_opening_it_spends_nothing(web, mailbox):
    assert ask(web).status_code == 200
    token = link_token(mailbox)
    # A mail scanner opening the link (GET) only sees the button.
    for _ in range(2):
        shown = web.get(f"/auth/email/callback?t={token}")
        assert shown.status_code == 200 and TOKEN.search(shown.get_data(as_text=True))
    done = web.post("/auth/email/callback", data={"t": token})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and '"token"' in html and '"email_verified": true' in html
    assert f'"targets": ["{SITE_ORIGIN}"]' in html
    again = web.post("/auth/email/callback", data={"t": token})
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)


def test_forged_and_expired_links_are_refused(web, mailbox):
    forged = URLSafeTimedSerializer("another-key", salt=email_link.SALT).dumps({"e": "x@y.z"})
    assert "not valid" in web.get(f"/auth/email/callback?t={forged}").get_data(as_text=True)
    ask(web)
    token = link_token(mailbox)
    real_ttl = email_link.LINK_TTL
    email_link.LINK_TTL = -1
    try:
        expired = web.post("/auth/email/callback", data={"t": token})
    finally:
        email_link.LINK_TTL = real_ttl
    assert expired.status_code == 400 and "expired" in expired.get_data(as_text=True)


def test_sending_is_limited_per_address(web, mailbox):
    for _ in range(3):
        assert ask(web, "busy@example.test").status_code == 200
    assert ask(web, "busy@example.test").status_code == 429
    assert len(mailbox.to("busy@example.test")) == 3
    assert ask(web, "someone.else@example.test").status_code == 200


def test_the_form_needs_its_own_page_and_the_site_s_switch(web, mailbox):
    cold = web.post("/auth/email/login", data={"name": "X", "email": "x@example.test"})
    assert cold.status_code == 403
    assert web.get("/auth/email/login?site=other").status_code == 404
    assert (
        web.get("/auth/email/login?site=demo&origin=https://evil.example.test").status_code == 403
    )
    bad = ask(web, "not-an-address")
    assert bad.status_code == 422 and "valid email" in bad.get_data(as_text=True)
    assert mailbox.messages == []
    listed = web.get("/auth/providers?site=demo").json["providers"]
    assert [p["name"] for p in listed] == ["email"]
    assert web.get("/auth/providers?site=other").json["providers"] == []
