"""The console's admin pages in Chromium, end to end against a real stack: a signed-in owner
changes the site's settings (and is refused a bad one), manages members, bans, webhooks and
tokens, reads and exports the audit log; moderators and other sites' owners are refused.

The owner's sign-in is a real server-side session (``service.access.start_session``) in a
signed cookie, as the OIDC callback leaves it; tests/widget/test_dashboard_session.py covers
the provider round trip. ``PARLEY_SCREENSHOTS=docs/screenshots`` writes the settings page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from service.access import SESSION_KEY, create_token, start_session
from service.models import Ban, Identity, ModerationEvent, Site, SiteMember, Webhook
from tests.moderation.helpers import post_from
from tests.support import workers
from tests.support.apps import DEMO, OTHER
from tests.support.live_server import free_port, serve_wsgi

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

OWNER = "olive@example.test"


@pytest.fixture
def stack(make_app, settings):
    """A Parley on a real origin (its base URL is where it listens, so cookie writes from its
    own pages are same-origin), with webhooks allowed to reach loopback."""
    port = free_port()
    app = make_app(
        settings.overridden(
            web={"base_url": f"http://127.0.0.1:{port}"}, webhooks={"allow_private": True}
        ),
        sites=(DEMO, OTHER),
    )
    with serve_wsgi(app, port=port, name="console-admin") as server:
        yield app, server.url


def _owner_cookie(app) -> dict:
    rt = app.extensions["parley"]
    with rt.session() as session:
        identity = Identity(
            provider="oidc", subject="olive", name="Olive Owner", email=OWNER, email_verified=True
        )
        session.add(identity)
        session.flush()
        site = session.query(Site).filter_by(slug="demo").one()
        session.add(SiteMember(site_id=site.id, identity_id=identity.id, role="owner"))
        sid = start_session(session, identity, 3600)
        session.commit()
    value = app.session_interface.get_signing_serializer(app).dumps({SESSION_KEY: sid})
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value}


def _token(app, slug: str, role: str) -> str:
    rt = app.extensions["parley"]
    with rt.session() as session:
        token = create_token(session, session.query(Site).filter_by(slug=slug).one(), role)
        session.commit()
    return token


def _site(app, slug="demo") -> Site:
    with app.extensions["parley"].session() as session:
        site = session.query(Site).filter_by(slug=slug).one()
        session.expunge(site)
        return site


def test_an_owner_runs_the_site_from_the_console(stack, browser, receiver, tmp_path):
    from playwright.sync_api import expect

    app, url = stack
    rt = app.extensions["parley"]
    cookie = _owner_cookie(app)
    context = browser.new_context(base_url=url, viewport={"width": 1000, "height": 1000})
    context.add_cookies([{**cookie, "url": url}])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    shots = Path(os.environ.get("PARLEY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    try:
        # Settings: a bad origin is refused with the API's message, nothing stored.
        page.goto("/moderate/settings?site=demo")
        expect(page.locator("h1")).to_contain_text("Settings of Demo blog")
        page.fill("#origins", "https://blog.example.com\nnot an origin")
        page.click("#save")
        expect(page.locator("#problem")).to_contain_text("is not an origin")
        assert _site(app).policy == {}

        page.fill("#origins", "https://blog.example.com\nhttps://www.example.com")
        page.check("#p-premoderate")
        page.fill("#p-max_depth", "3")
        page.fill("#p-blocklist", "casino\nreplica watches")
        page.fill("tr[data-check=toxicity_model] [data-field=hold]", "0.8")
        page.uncheck("tr[data-check=akismet] [data-field=enabled]")
        page.click("#save")
        expect(page.locator("#done")).to_contain_text("Settings saved.")
        site = _site(app)
        assert site.allowed_origins == ["https://blog.example.com", "https://www.example.com"]
        assert site.policy == {
            "premoderate": True,
            "max_depth": 3,
            "blocklist": ["casino", "replica watches"],
            "checks": {"toxicity_model": {"hold": 0.8}, "akismet": {"enabled": False}},
        }
        # The page shows what is stored; saving it unchanged changes nothing.
        expect(page.locator("#p-max_depth")).to_have_value("3")
        page.goto("/moderate/settings?site=demo")
        page.screenshot(path=str(shots / "settings.png"), full_page=False, animations="disabled")
        page.fill("#p-max_depth", "")  # empty: back to the default
        page.click("#save")
        expect(page.locator("#p-max_depth")).to_have_value("5")
        assert "max_depth" not in _site(app).policy

        # Members: add a moderator, make them owner, remove them.
        page.goto("/moderate/members?site=demo")
        page.fill("#member-email", "mo@example.com")
        page.click("#add-member button[type=submit]")
        row = page.locator("#members tr", has_text="mo@example.com")
        expect(row).to_contain_text("moderator")
        row.get_by_role("button", name="Make owner").click()
        role = page.locator("#members tr", has_text="mo@example.com").locator("td").nth(2)
        expect(role).to_have_text("owner")
        page.locator("#members tr", has_text="mo@example.com").get_by_role(
            "button", name="Remove"
        ).click()
        expect(page.locator("#members tr", has_text="mo@example.com")).to_have_count(0)

        # Bans: ban a comment's author for 7 days, then lift it.
        comment = post_from(app.test_client(), "Buy now", "Spammer", "s@spam.example", "10.5.0.1")
        page.goto("/moderate/bans?site=demo")
        page.fill("#ban-comment", str(comment))
        page.select_option("#ban-days", "7")
        page.fill("#ban-reason", "watch spam")
        page.click("#add-ban button[type=submit]")
        expect(page.locator("#done")).to_contain_text("Author banned.")
        expect(page.locator("#bans")).to_contain_text("watch spam")
        with rt.session() as session:
            [ban] = session.query(Ban).all()
            assert ban.expires_at is not None and ban.email == "s@spam.example"
        page.locator(f"tr[data-ban='{ban.id}'] button").click()
        expect(page.locator("#no-bans")).to_be_visible()

        # Webhooks: add one (the secret shows once); a test event that fails, retried; the
        # worker's deliveries in the same log; remove it.
        page.goto("/moderate/webhooks?site=demo")
        page.fill("#hook-url", receiver.url)
        page.click("#add-webhook button[type=submit]")
        expect(page.locator("#secret")).to_contain_text("whsec_")
        expect(page.locator("#webhooks")).to_contain_text(receiver.url)
        with rt.session() as session:
            assert session.query(Webhook).one().events == ["comment.held"]
        receiver.fail_first = 1
        page.click("#webhooks button[data-test]")
        expect(page.locator(".deliveries tr.failed .result")).to_have_text("failed · HTTP 500")
        page.locator(".deliveries tr.failed button", has_text="Retry").click()
        expect(page.locator(".deliveries tr.ok .result")).to_have_text("delivered · HTTP 200")
        assert [a[0]["X-Parley-Event"] for a in receiver.attempts] == ["ping", "ping"]
        held = post_from(app.test_client(), "Hold me", "Guest", "g@example.com", "10.5.0.2")
        workers.drain(rt)
        page.reload()
        expect(page.locator(".deliveries tr.ok", has_text=f"#{held}")).to_contain_text(
            "comment.held"
        )
        page.locator("#webhooks button", has_text="Remove").click()
        expect(page.locator("#webhooks")).to_contain_text("No webhooks.")

        # Tokens: a signed-in owner makes one (shown once) and revokes it.
        page.goto("/moderate/tokens?site=demo")
        page.fill("#token-label", "backup script")
        page.select_option("#token-days", "7")
        page.click("#add-token button[type=submit]")
        expect(page.locator("#secret")).to_contain_text("pmt_")
        secret = page.locator("#secret").inner_text()
        made = page.locator("#tokens tr", has_text="backup script")
        expect(made).to_contain_text("moderator")
        assert (
            app.test_client()
            .get(
                "/api/v1/moderation/comments?site=demo",
                headers={"Authorization": f"Bearer {secret}"},
            )
            .status_code
            == 200
        )
        made.get_by_role("button", name="Revoke").click()
        expect(page.locator("#tokens tr", has_text="backup script")).to_contain_text("revoked")
        assert (
            app.test_client()
            .get(
                "/api/v1/moderation/comments?site=demo",
                headers={"Authorization": f"Bearer {secret}"},
            )
            .status_code
            == 401
        )

        # Audit log: every step above is there, filterable, and exports as CSV.
        page.goto("/moderate/audit?site=demo&action=site_updated")
        expect(page.locator("#events tr[data-event]")).to_have_count(2)
        expect(page.locator("#events")).to_contain_text("oidc:olive")
        csv = page.request.get(page.locator("#csv").get_attribute("href"))
        assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
        lines = csv.text().strip().splitlines()
        assert lines[0].startswith("id,created_at,actor,action") and len(lines) == 3
        assert all(",site_updated," in line for line in lines[1:])
        with rt.session() as session:
            actions = {e.action for e in session.query(ModerationEvent)}
        assert {"site_updated", "ban", "unban", "webhook_added", "webhook_removed"} <= actions
    finally:
        context.close()


def test_admin_pages_refuse_who_may_not_see_them(stack, browser):
    from playwright.sync_api import expect

    app, url = stack
    moderator = _token(app, "demo", "moderator")
    other_owner = _token(app, "other", "owner")
    for token, refused in (
        (moderator, ("settings", "webhooks", "tokens")),
        (other_owner, ("settings", "webhooks", "tokens", "bans", "audit", "members")),
    ):
        context = browser.new_context(
            base_url=url, extra_http_headers={"Authorization": f"Bearer {token}"}
        )
        try:
            page = context.new_page()
            for name in refused:
                response = page.goto(f"/moderate/{name}?site=demo")
                assert response.status == 403, name
                expect(page.locator("#message")).to_contain_text(
                    re.compile("only an owner|not a moderator of 'demo'")
                )
            assert page.request.get("/moderate/audit.csv?site=demo").status == (
                403 if token == other_owner else 200
            )
        finally:
            context.close()
    # A moderator reads bans and members but is offered no owner's buttons.
    context = browser.new_context(
        base_url=url, extra_http_headers={"Authorization": f"Bearer {moderator}"}
    )
    try:
        page = context.new_page()
        page.goto("/moderate/members?site=demo")
        expect(page.locator("#add-member")).to_have_count(0)
        expect(page.locator("nav.console a", has_text="Settings")).to_have_count(0)
        # And the API says no if the moderator tries anyway.
        answer = page.request.patch("/api/v1/sites/demo", data={"policy": {"premoderate": True}})
        assert answer.status == 403
        assert _site(app).policy == {}
    finally:
        context.close()


def test_an_owner_sets_sign_in_by_the_sites_accounts_and_the_newer_knobs(stack, browser):
    """The settings page's SSO panel and the policy words added since the page was drawn
    (sort order, challenge, erasure) go through the same PATCH as everything else."""
    from playwright.sync_api import expect

    from service.models import SiteSso

    app, url = stack
    rt = app.extensions["parley"]
    context = browser.new_context(base_url=url, viewport={"width": 1000, "height": 1000})
    context.add_cookies([{**_owner_cookie(app), "url": url}])
    context.set_default_timeout(15_000)
    page = context.new_page()
    secret = "s" * 40
    try:
        page.goto("/moderate/settings?site=demo")
        page.select_option("#p-default_sort", "top")
        page.select_option("#p-challenge", "guests")
        page.click("#save")
        expect(page.locator("#done")).to_contain_text("Settings saved.")
        assert _site(app).policy == {"default_sort": "top", "challenge": "guests"}
        expect(page.locator("#p-default_sort")).to_have_value("top")

        expect(page.locator("#sso-now")).to_have_text("off")
        page.select_option("#sso-method", "secret")
        page.fill("#sso-secret", "too short")
        page.click("#save-sso")
        expect(page.locator("#problem")).to_contain_text("at least 32 bytes")
        with rt.session() as session:
            assert session.query(SiteSso).count() == 0

        page.fill("#sso-secret", secret)
        page.click("#save-sso")
        expect(page.locator("#done")).to_contain_text("Sign-in settings saved.")
        expect(page.locator("#sso-now")).to_have_text("a shared secret (HS256)")
        assert secret not in page.content()
        with rt.session() as session:
            (row,) = session.query(SiteSso).all()
            assert row.secret and secret not in row.secret and row.trust_email is False

        # Trusting verified addresses keeps the stored secret (the field is left empty).
        page.check("#sso-trust")
        with page.expect_navigation():  # a saved change reloads the page
            page.click("#save-sso")
        expect(page.locator("#sso-now")).to_have_text("a shared secret (HS256)")
        expect(page.locator("#sso-trust")).to_be_checked()
        with rt.session() as session:
            (row,) = session.query(SiteSso).all()
            assert row.trust_email is True and row.secret

        page.select_option("#sso-method", "off")
        with page.expect_navigation():
            page.click("#save-sso")
        expect(page.locator("#sso-now")).to_have_text("off")
        with rt.session() as session:
            assert session.query(SiteSso).count() == 0
    finally:
        context.close()
