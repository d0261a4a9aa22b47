"""A moderator signed in with a session cookie acts from the dashboard's own forms, in Chromium.

The dashboard once told the browser ``<meta name="referrer" content="no-referrer">``, which
makes Chromium send ``Origin: null`` on the page's own form posts, and the signed-in
moderator's origin check refused every one. Parley's pages now send ``Referrer-Policy:
same-origin`` (service/security_headers.py). Here, in the widget stack, because it has the
OpenID provider and a live Parley on a real origin.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Site, SiteMember
from tests.support.signin import OIDC_LABEL
from tests.support.stack import new_thread

pytestmark = pytest.mark.browser

ALICE = "alice@example.test"


@pytest.fixture
def alice_moderates_strict(stack):
    with stack.rt.session() as session:
        site = session.scalar(sa.select(Site).where(Site.slug == "strict"))
        member = SiteMember(site_id=site.id, email=ALICE, role="moderator")
        session.add(member)
        session.commit()
        member_id = member.id
    yield
    with stack.rt.session() as session:
        session.execute(sa.delete(SiteMember).where(SiteMember.id == member_id))
        session.commit()


def test_a_signed_in_moderator_approves_from_the_dashboard(stack, page, alice_moderates_strict):
    comment = stack.post(new_thread("session-mod"), "Held for a moderator, please.", site="strict")
    assert comment["status"] == "held"

    page.goto(f"{stack.parley}/moderate?site=strict")
    page.get_by_role("link", name=OIDC_LABEL).click()
    page.locator("#login").fill("alice")
    page.locator("#submit").click()
    row = page.locator(f"#comment-{comment['id']}")
    expect(row).to_be_visible()

    row.locator("button[data-action=approve]").click()

    expect(page.locator(".flash").first).to_contain_text("Approve: 1 of 1")
    assert stack.status(comment["id"]) == "published"
    assert page.dialogs == []
