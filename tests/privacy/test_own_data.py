"""GDPR articles 15, 17 and 20: a reader downloads and erases their data; a guest confirms by
a mailed, signed, expiring link; an owner erases by email or identity."""

from __future__ import annotations

import re

import sqlalchemy as sa
from click.testing import CliRunner

from service.models import Comment, Identity, MailLinkUse, ModerationEvent, ReplySubscription, Site
from tests.support.signin import base_env


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _rows(rt):
    with rt.session() as session:
        rows = session.scalars(sa.select(Comment).order_by(Comment.id)).all()
        session.expunge_all()
    return {r.id: r for r in rows}


def test_reader_downloads_their_data(client, reader, add_comment, subscribe):
    identity_id, token = reader
    mine = add_comment("My own words", identity_id=identity_id, name="Rita")
    add_comment("Someone else's", email="bob@example.com", name="Bob")
    subscribe(mine, "rita@example.com", identity_id)
    response = client.get("/api/v1/me/data?site=demo", headers=_bearer(token))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["account"]["email"] == "rita@example.com"
    assert [c["body_source"] for c in data["comments"]] == ["My own words"]
    assert data["reply_subscriptions"][0]["comment"] == mine
    assert client.get("/api/v1/me/data?site=demo").status_code == 401
    bad = client.get("/api/v1/me/data?site=demo", headers=_bearer("forged"))
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "unauthorized"


def test_reader_erases_anonymizing_by_default(client, rt, reader, add_comment, subscribe):
    identity_id, token = reader
    mine = add_comment("Keep the words", identity_id=identity_id, name="Rita")
    other = add_comment("Not mine", email="bob@example.com", name="Bob")
    subscribe(mine, "rita@example.com", identity_id)
    response = client.delete("/api/v1/me?site=demo", headers=_bearer(token))
    assert response.status_code == 200
    erased = response.get_json()["erased"]
    assert erased["mode"] == "anonymize" and erased["anonymized"] == 1
    assert erased["account_removed"] is True
    rows = _rows(rt)
    assert rows[mine].body_source == "Keep the words"
    assert rows[mine].identity_id is None and rows[mine].author_name is None
    assert rows[mine].ip_hash is None and rows[mine].user_agent is None
    assert rows[other].author_name == "Bob"
    with rt.session() as session:
        assert session.get(Identity, identity_id) is None
        assert session.scalar(sa.select(sa.func.count()).select_from(ReplySubscription)) == 0
        audit = session.scalar(sa.select(ModerationEvent).where(ModerationEvent.action == "erase"))
        assert audit.actor == f"reader #{identity_id}" and "1 comments" in audit.note
    # Signed out: the token is revoked.
    assert client.get("/api/v1/me/data?site=demo", headers=_bearer(token)).status_code == 401


def test_delete_policy_keeps_a_tombstone_over_replies(client, rt, site, reader, add_comment):
    with rt.session() as session:
        session.get(Site, site.id).policy = {"erase": "delete"}
        session.commit()
    identity_id, token = reader
    parent = add_comment("I will go", identity_id=identity_id, name="Rita")
    reply = add_comment("A reply by Bob", email="bob@example.com", name="Bob", parent=parent)
    leaf = add_comment("Gone entirely", identity_id=identity_id, name="Rita")
    erased = client.delete("/api/v1/me?site=demo", headers=_bearer(token)).get_json()["erased"]
    assert erased["tombstones"] == 1 and erased["deleted"] == 1
    rows = _rows(rt)
    assert leaf not in rows
    assert rows[parent].deleted_at is not None and rows[parent].body_html == ""
    assert rows[reply].parent_id == parent
    # The public thread shows the placeholder, marked, with no author or text.
    thread = client.get("/api/v1/comments?site=demo&thread=/posts/one").get_json()
    shown = {c["id"]: c for c in thread["comments"]}
    assert shown[parent]["deleted"] is True and shown[parent]["body_html"] is None
    assert shown[reply]["deleted"] is False


def test_guest_erases_by_mailed_link(client, rt, mailbox, add_comment, drain, subscribe):
    mine = add_comment("Guest words", email="Gus@Example.com", name="Gus")
    other = add_comment("Another guest", email="ann@example.com", name="Ann")
    subscribe(mine, "gus@example.com")
    response = client.post(
        "/api/v1/me/erase-request", json={"site": "demo", "email": "gus@example.com"}
    )
    assert response.status_code == 202
    # Unknown addresses get the same answer, and no mail.
    nobody = client.post(
        "/api/v1/me/erase-request", json={"site": "demo", "email": "nobody@example.com"}
    )
    assert nobody.status_code == 202 and nobody.get_json() == response.get_json()
    drain()
    assert mailbox.to("nobody@example.com") == []
    (mail,) = mailbox.to("gus@example.com")
    link = re.search(r"https?://\S+/privacy/erase/\S+", mail.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and b"Erase" in page.data
    assert _rows(rt)[mine].author_email == "Gus@Example.com"  # GET changes nothing
    assert "frame-ancestors" in page.headers["Content-Security-Policy"]
    done = client.post("/" + path)
    assert done.status_code == 200 and b"1 comments" in done.data
    rows = _rows(rt)
    assert rows[mine].author_email is None and rows[mine].author_name is None
    assert rows[other].author_email == "ann@example.com"
    assert client.post("/" + path).status_code == 409  # once only
    with rt.session() as session:
        assert session.scalar(sa.select(MailLinkUse.used_by)) == "erase-request"
    tampered = client.get("/" + path[:-3] + "abc")
    assert tampered.status_code == 400


def test_erase_request_validation_and_no_mail_setup(client, make_app, db_url, redis_db_url):
    bad = client.post("/api/v1/me/erase-request", json={"site": "demo", "email": "not-an-email"})
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_failed"
    unknown = client.post("/api/v1/me/erase-request", json={"site": "nope", "email": "a@b.co"})
    assert unknown.status_code == 422 and unknown.get_json()["error"]["field"] == "site"


def test_erase_request_without_mail_is_refused(make_app):
    app = make_app({})
    response = app.test_client().post(
        "/api/v1/me/erase-request", json={"site": "demo", "email": "a@example.com"}
    )
    assert response.status_code == 403
    assert "cannot send mail" in response.get_json()["error"]["message"]


def test_owner_erases_by_email_and_identity(rt, db_url, redis_db_url, reader, add_comment):
    from worker.cli import cli

    identity_id, _ = reader
    add_comment("guest", email="gus@example.com", name="Gus")
    add_comment("reader", identity_id=identity_id, name="Rita")
    runner = CliRunner(env=base_env(db_url, redis_db_url))
    result = runner.invoke(
        cli, ["erase", "--site", "demo", "--email", "GUS@example.com"], catch_exceptions=False
    )
    assert result.exit_code == 0 and "erased 1 comments" in result.output
    result = runner.invoke(
        cli,
        ["erase", "--site", "demo", "--identity", "oidc:r-1", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0 and '"anonymized": 1' in result.output
    assert all(r.author_name is None for r in _rows(rt).values())
    result = runner.invoke(cli, ["erase", "--site", "demo"], catch_exceptions=False)
    assert result.exit_code == 2
