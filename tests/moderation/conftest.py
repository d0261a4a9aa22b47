"""Moderation tests: the app with mail on (a local SMTP server), an owner token,
a moderator who reads mail, and helpers that post and moderate comments."""

from __future__ import annotations

import socket

import pytest

from service.access import create_token
from service.models import Site, SiteMember
from tests.moderation.helpers import HOOK_HOST
from tests.moderation.servers import http_receiver, smtp_server
from tests.support.signin import base_env
from tests.support.web_process import gunicorn
from tests.support.workers import worker_process

MODERATOR_EMAIL = "mod@example.test"


@pytest.fixture
def mailbox():
    with smtp_server() as box:
        yield box


@pytest.fixture
def receiver():
    with http_receiver() as receiver:
        yield receiver


@pytest.fixture
def settings(settings, mailbox):
    """The root settings plus mail through the local SMTP server; webhook
    retries at once (a burst worker has no scheduler to wait for backoff)."""
    return settings.overridden(
        mail={
            "smtp_host": mailbox.host,
            "smtp_port": mailbox.port,
            "mail_from": "parley@example.test",
        },
        webhooks={"retry_intervals": (0, 0, 0), "timeout_seconds": 5},
    )


@pytest.fixture
def owner_token(rt, site) -> str:
    with rt.session() as session:
        token = create_token(session, session.get(Site, site.id), "owner")
        session.commit()
    return token


@pytest.fixture
def mod_mail(rt, site) -> str:
    """A moderator of the demo site known by email, who gets the digests."""
    with rt.session() as session:
        session.add(SiteMember(site_id=site.id, email=MODERATOR_EMAIL, role="moderator"))
        session.commit()
    return MODERATOR_EMAIL


@pytest.fixture
def intranet(rt):
    """PARLEY_WEBHOOK_ALLOW_PRIVATE=1: webhooks may reach loopback (the receiver) and
    private ranges."""
    rt.settings = rt.settings.overridden(webhooks={"allow_private": True})


@pytest.fixture
def dns(monkeypatch):
    """Steers what HOOK_HOST resolves to, every other name resolving as usual:
    ``dns.answers`` has one list of addresses per lookup (the last repeats),
    ``dns.lookups`` counts them."""
    real = socket.getaddrinfo

    class Resolver:
        answers: list[list[str]] = [["127.0.0.1"]]
        lookups = 0

        def __call__(self, host, port, *args, **kwargs):
            if host != HOOK_HOST:
                return real(host, port, *args, **kwargs)
            answer = self.answers[min(self.lookups, len(self.answers) - 1)]
            self.lookups += 1
            return [info for a in answer for info in real(a, port, *args, **kwargs)]

    resolver = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    return resolver


@pytest.fixture
def web(db_url, redis_db_url, rt, tmp_path):
    """The web tier as operators run it (gunicorn, its stream hub) on this test's database and
    Redis; its base URL."""
    env = {**base_env(db_url, redis_db_url), "PARLEY_WEB_WORKERS": "1", "PARLEY_WEB_THREADS": "4"}
    with gunicorn(env, tmp_path / "web.log") as base:
        yield base


@pytest.fixture
def parley_worker(db_url, redis_db_url, rt):
    """``parley worker`` in its own process, deciding what this test submits."""
    with worker_process(base_env(db_url, redis_db_url)) as worker:
        yield worker
