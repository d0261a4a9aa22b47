"""Host-site SSO in Chromium: a page of the host site, on another origin than Parley, hands the
widget a JWT its server signed; the reader comments as their host account, with no popup."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.auth import jwks
from service.auth.sso import configure_sso
from service.models import Comment, Identity, Site
from tests.support.apps import SiteSpec, ensure_sites
from tests.support.sso import SSO_SECRET, JwksHost, claims_for, sign_hs256, unsigned
from tests.support.stack import FAST_POLICY, comment_id, new_thread

pytestmark = pytest.mark.browser

SLUG = "hostnews"
SITE_NAME = "Host News"


@pytest.fixture(scope="module")
def sso_site(stack):
    """A site whose pages are on the host origin, with SSO by a shared secret."""
    ensure_sites(stack.rt, [SiteSpec(SLUG, SITE_NAME, (stack.host,), FAST_POLICY)])
    with stack.rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == SLUG))
        configure_sso(session, site, settings=stack.rt.settings, actor="test", secret=SSO_SECRET)
        session.commit()
    return SLUG


def article(stack, thread: str, attrs: str = "", head: str = "") -> str:
    url = stack.article(thread, site=SLUG, attrs=attrs)
    if head:
        stack.pages[url.removeprefix(stack.host)] = stack.pages[
            url.removeprefix(stack.host)
        ].replace("</head>", f"{head}</head>")
    return url


def test_the_host_s_reader_comments_as_themselves_without_a_popup(stack, sso_site, context, page):
    thread = new_thread("sso")
    jwt = sign_hs256(claims_for(SLUG, sub="member-42", name="Mina Member", jti="page-1"))
    page.goto(article(stack, thread, attrs=f'data-parley-sso="{jwt}"'))
    widget = page.locator("#parley")
    who = widget.locator(".who")
    expect(who.locator("p")).to_have_text(
        f"You are commenting as Mina Member ({SITE_NAME} account)."
    )
    expect(who.get_by_role("button")).to_have_count(0)  # no Log out: the host owns the session
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_hidden()
    assert len(context.pages) == 1  # no popup

    widget.get_by_role("textbox", name="Comment", exact=True).fill("Posting as my host account.")
    widget.get_by_role("button", name="Post Comment").click()
    item = widget.locator("ol.thread > li.comment")
    expect(item.locator(".author")).to_have_text("Mina Member")
    with stack.rt.session() as session:
        comment = session.get(Comment, comment_id(item))
        identity = session.get(Identity, comment.identity_id)
        assert (identity.provider, identity.subject) == (f"site:{SLUG}", "member-42")

    # A reload keeps the sign-in without trading the (single-use) token a second time.
    page.reload()
    expect(who).to_contain_text("Mina Member")
    # The host logs its reader out: parley.signOut() brings the guest form back.
    page.evaluate("parley.signOut()")
    expect(who).to_be_hidden()
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_visible()


BAD_TOKENS = {
    "expired": lambda: sign_hs256(claims_for(SLUG, exp=claims_for(SLUG)["iat"] - 600)),
    "wrongly signed": lambda: sign_hs256(claims_for(SLUG), "not-the-site-secret-" + "x" * 20),
    "alg none": lambda: unsigned(claims_for(SLUG)),
    "wrong aud": lambda: sign_hs256(claims_for("demo")),
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_a_bad_host_token_leaves_the_reader_a_guest(stack, sso_site, page, case):
    url = article(stack, new_thread("sso-bad"), attrs=f'data-parley-sso="{BAD_TOKENS[case]()}"')
    with page.expect_response(lambda r: r.url.endswith("/auth/sso")) as answer:
        page.goto(url)
    assert answer.value.status == 401
    widget = page.locator("#parley")
    expect(widget.get_by_role("textbox", name="Name", exact=True)).to_be_visible()
    expect(widget.locator(".who")).to_be_hidden()


def test_a_replayed_host_token_is_refused(stack, sso_site, browser):
    jwt = sign_hs256(claims_for(SLUG, sub="member-7", name="Once Only", jti="replay-me"))
    url = article(stack, new_thread("sso-replay"), attrs=f'data-parley-sso="{jwt}"')
    statuses = []
    for _ in range(2):
        context = browser.new_context()  # a fresh browser each time: nothing stored
        try:
            page = context.new_page()
            with page.expect_response(lambda r: r.url.endswith("/auth/sso")) as answer:
                page.goto(url)
            statuses.append(answer.value.status)
            who = page.locator("#parley .who")
            if answer.value.status == 200:
                expect(who).to_contain_text("Once Only")
            else:
                expect(
                    page.locator("#parley").get_by_role("textbox", name="Name", exact=True)
                ).to_be_visible()
                expect(who).to_be_hidden()
        finally:
            context.close()
    assert statuses == [200, 401]


@pytest.fixture
def jwks_site(stack, monkeypatch):
    """A site whose host publishes its keys (ES256) on loopback: PARLEY_SSO_ALLOW_PRIVATE."""
    original = stack.rt.settings
    stack.rt.settings = original.overridden(auth={"sso_allow_private": True})
    monkeypatch.setattr(jwks, "REFRESH_FLOOR", 0.0)
    host = JwksHost("EC")
    with host.serve():
        with stack.rt.session() as session:
            site = session.scalar(sa.select(Site).where(Site.slug == SLUG))
            if site is None:
                ensure_sites(stack.rt, [SiteSpec(SLUG, SITE_NAME, (stack.host,), FAST_POLICY)])
                site = session.scalar(sa.select(Site).where(Site.slug == SLUG))
            configure_sso(session, site, settings=stack.rt.settings, actor="t", jwks_url=host.url)
            session.commit()
        yield host
        with stack.rt.session() as session:
            site = session.scalar(sa.select(Site).where(Site.slug == SLUG))
            configure_sso(session, site, settings=stack.rt.settings, actor="t", secret=SSO_SECRET)
            session.commit()
    stack.rt.settings = original


PARLEY_SSO = """<script>
window.parleySSO = () => fetch("/host-session").then((r) => r.json()).then((d) => d.jwt);
</script>"""


def test_parley_sso_with_published_keys_and_a_rotated_key(stack, jwks_site, browser):
    host = jwks_site
    url = article(stack, new_thread("sso-jwks"), head=PARLEY_SSO)
    for name in ("Kim Keys", "Rory Rotated"):
        # The host's "session endpoint": what its server signs for the signed-in reader.
        token = host.sign(claims_for(SLUG, sub=name.lower().replace(" ", "-"), name=name))
        stack.pages["/host-session"] = json.dumps({"jwt": token})
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            who = page.locator("#parley .who")
            expect(who.locator("p")).to_have_text(
                f"You are commenting as {name} ({SITE_NAME} account)."
            )
            assert len(context.pages) == 1
        finally:
            context.close()
        host.rotate()  # the second reader's token is signed by a key Parley has not seen
    assert host.fetches == 3  # configuring, the first token, then the new kid


COUNTING_SSO = """<script>
window.parleySSO = () => fetch("/host-session-hs").then((r) => r.json()).then((d) => d.jwt);
</script>"""
EXPIRE_SOON = """() => {
    const key = Object.keys(localStorage).find((k) => k.endsWith(":hostnews:auth"));
    const auth = JSON.parse(localStorage.getItem(key));
    auth.expires = Date.now() + 1000;
    localStorage.setItem(key, JSON.stringify(auth));
}"""


def test_parley_sso_is_asked_again_as_the_sign_in_runs_out(stack, sso_site, page):
    trades = []
    page.on("request", lambda r: r.url.endswith("/auth/sso") and trades.append(r.url))
    claims = claims_for(SLUG, sub="renew-1", name="Rene Wal")
    stack.pages["/host-session-hs"] = json.dumps({"jwt": sign_hs256(claims)})
    page.goto(article(stack, new_thread("sso-renew"), head=COUNTING_SSO))
    who = page.locator("#parley .who p")
    expect(who).to_contain_text("Rene Wal")
    assert len(trades) == 1

    # The same JWT again, while the reader token holds: nothing to trade.
    page.reload()
    expect(who).to_contain_text("Rene Wal")
    page.wait_for_load_state("networkidle")
    assert len(trades) == 1
    # The reader token about to run out: what the host gives is traded again at once.
    page.evaluate(EXPIRE_SOON)
    with page.expect_response(lambda r: r.url.endswith("/auth/sso")) as answer:
        page.reload()
    assert answer.value.status == 200 and len(trades) == 2
    # A new JWT from the host (its reader changed their name) is traded too.
    fresh = sign_hs256({**claims, "name": "Rene Wal II"})
    stack.pages["/host-session-hs"] = json.dumps({"jwt": fresh})
    page.reload()
    expect(who).to_contain_text("Rene Wal II")
    assert len(trades) == 3

    # The host has no one signed in any more (parleySSO gives null): the widget follows.
    stack.pages["/host-session-hs"] = json.dumps({"jwt": None})
    page.reload()
    expect(page.locator("#parley .who")).to_be_hidden()
    expect(page.locator("#parley").get_by_role("textbox", name="Name", exact=True)).to_be_visible()
