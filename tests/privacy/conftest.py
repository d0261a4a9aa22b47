"""Readers' own data: the app with mail on (a local SMTP server), a signed-in reader with
comments, and a guest with comments."""

from __future__ import annotations

import pytest

from service.auth.readers import issue_reader_token
from service.comments.submit import get_or_create_thread
from service.models import Comment, Identity, ReplySubscription, Site
from service.similarity import simhash
from service.text import render_markdown
from tests.moderation.servers import smtp_server


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def settings(settings, mailbox):
    return settings.overridden(
        mail={"smtp_host": mailbox.host, "smtp_port": mailbox.port, "mail_from": "p@example.test"}
    )


@pytest.fixture
def add_comment(rt, site):
    """Store a published comment directly (the path of a comment is tested elsewhere)."""

    def add(body: str, *, identity_id=None, email=None, name="Ada", parent=None, slug="demo"):
        with rt.session() as session:
            target = session.query(Site).filter_by(slug=slug).one()
            thread = get_or_create_thread(session, target, "/posts/one", None, None)
            row = Comment(
                thread_id=thread.id,
                site_id=target.id,
                parent_id=parent,
                depth=1 if parent else 0,
                identity_id=identity_id,
                author_name=name,
                author_email=email,
                author_url="https://ada.example/" if email else None,
                body_source=body,
                body_html=render_markdown(body),
                simhash=simhash(body),
                status="published",
                ip_hash="f" * 64,
                user_agent="Mozilla/5.0",
            )
            session.add(row)
            session.commit()
            return row.id

    return add


@pytest.fixture
def reader(rt, site):
    """A signed-in reader: (identity id, reader token for demo)."""
    with rt.session() as session:
        identity = Identity(provider="oidc", subject="r-1", name="Rita", email="rita@example.com")
        session.add(identity)
        session.commit()
        identity_id = identity.id
    return identity_id, issue_reader_token(rt.settings.secret_key, identity_id, site.id)


@pytest.fixture
def subscribe(rt, site):
    def add(comment_id: int, email: str, identity_id=None):
        with rt.session() as session:
            session.add(
                ReplySubscription(
                    site_id=site.id, comment_id=comment_id, email=email, identity_id=identity_id
                )
            )
            session.commit()

    return add
