"""Webhook SSRF (issue 12, finding 4) and the webhook low items: a webhook
reaches only public addresses, checked when it is added and at every delivery,
and connected to by the checked address (no DNS rebinding); no credentials in
URLs or the audit log; secrets sealed at rest.

Resolution is steered by wrapping ``socket.getaddrinfo`` for one made-up name
(every other name resolves as usual); every delivery goes to a real HTTP
receiver on 127.0.0.1, so those tests turn PARLEY_WEBHOOK_ALLOW_PRIVATE on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
import urllib3

from service.models import ModerationEvent, Webhook
from service.notifications.destinations import destination, post_to
from service.notifications.sealed_secrets import unseal
from service.notifications.webhooks import shown_url, verify_signature
from service.settings import Settings
from tests.moderation.helpers import HOOK_HOST, bearer, post_from
from tests.moderation.servers import http_receiver, tls_for

# Every spelling of an address a webhook must not reach, as an attacker writes it.
REFUSED = {
    "loopback": "http://127.0.0.1:8080/hook",
    "loopback elsewhere in 127/8": "http://127.8.9.10/hook",
    "a name for loopback": "http://localhost:6379/hook",
    "decimal IPv4": "http://2130706433/hook",
    "octal IPv4": "http://0177.0.0.1/hook",
    "hex IPv4": "http://0x7f.1/hook",
    "short IPv4": "http://127.1/hook",
    "IPv4-mapped IPv6": "http://[::ffff:127.0.0.1]/hook",
    "IPv6 loopback": "http://[::1]/hook",
    "cloud metadata": "http://169.254.169.254/latest/meta-data/",
    "IPv6 link-local": "http://[fe80::1]/hook",
    "private 10/8": "http://10.0.0.5/hook",
    "private 172.16/12": "https://172.16.4.4/hook",
    "private 192.168/16": "http://192.168.1.1/hook",
    "IPv6 ULA": "http://[fd12:3456::1]/hook",
    "shared address space": "http://100.64.0.1/hook",
    "unspecified": "http://0.0.0.0:8000/hook",
    "multicast": "http://224.0.0.1/hook",
    "NAT64 of loopback": "http://[64:ff9b::7f00:1]/hook",
    "credentials": "https://user:pass@example.com/hook",
    "a user alone": "https://token@example.com/hook",
    "not http": "file:///etc/passwd",
}


def add_hook(client, token, url, events=("comment.published",)):
    return client.post(
        "/api/v1/moderation/webhooks",
        headers=bearer(token),
        json={"site": "demo", "url": url, "events": list(events)},
    )


def test_every_ssrf_address_form_is_refused_when_the_webhook_is_added(rt, client, owner_token):
    accepted = {}
    for label, url in REFUSED.items():
        response = add_hook(client, owner_token, url)
        body = response.get_json()
        if response.status_code != 422 or set(body) != {"error"}:
            accepted[label] = (response.status_code, body)
            continue
        assert body["error"]["code"] == "validation_failed", label
        assert body["error"]["message"].startswith("url: "), label
    assert accepted == {}
    with rt.session() as session:
        assert session.query(Webhook).count() == 0
        assert session.query(ModerationEvent).filter_by(action="webhook_added").count() == 0


def test_a_name_that_resolves_to_a_private_address_is_refused(client, owner_token, dns):
    dns.answers = [["93.184.215.14", "10.1.2.3"]]  # one private answer is enough
    response = add_hook(client, owner_token, f"https://{HOOK_HOST}/hook")
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    assert message == f"url: {HOOK_HOST} resolves to an address webhooks may not reach"
    assert "10.1.2.3" not in message  # no map of the internal network for the asker


def test_an_intranet_install_allows_private_but_never_metadata_or_credentials(
    client, owner_token, intranet
):
    assert add_hook(client, owner_token, "http://127.0.0.1:9/hook").status_code == 201
    assert add_hook(client, owner_token, "http://[fd12:3456::1]/hook").status_code == 201
    assert add_hook(client, owner_token, "http://[::1]:9/hook").status_code == 201
    assert add_hook(client, owner_token, "http://192.168.1.1/hook").status_code == 201
    for url in (
        "http://169.254.169.254/latest/meta-data/",
        "http://user:pass@127.0.0.1:9/hook",
        "http://0.0.0.0:9/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
    ):
        response = add_hook(client, owner_token, url)
        assert response.status_code == 422, url
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_dns_that_turns_private_after_creation_is_refused_at_delivery(
    client, rt, site, drain, receiver, owner_token, dns
):
    # Public when the owner adds it, loopback (the receiver) when the worker delivers.
    dns.answers = [["93.184.215.14"], ["127.0.0.1"]]
    port = urlsplit(receiver.url).port
    assert add_hook(client, owner_token, f"http://{HOOK_HOST}:{port}/hook").status_code == 201

    post_from(client, "Rebind me", "Ada", "ada@example.com", "10.2.0.1")
    drain()

    assert receiver.attempts == []  # nothing reached the private address
    [failed] = rt.queue.failed_job_registry.get_job_ids()
    job = rt.queue.fetch_job(failed)
    assert job.func_name == "worker.notify.deliver_webhook"
    assert "refused: hooks.example.test resolves to an address" in job.latest_result().exc_string


def test_delivery_connects_to_the_address_it_checked(
    client, rt, site, drain, receiver, owner_token, dns, intranet
):
    # Checked at creation and at delivery as 127.0.0.1 (the receiver); any later
    # lookup — a client resolving again to connect — gets 127.0.0.2, where
    # nothing listens, so the delivery arrives only if the checked address is used.
    dns.answers = [["127.0.0.1"], ["127.0.0.1"], ["127.0.0.2"]]
    port = urlsplit(receiver.url).port
    created = add_hook(client, owner_token, f"http://{HOOK_HOST}:{port}/hook")
    secret = created.get_json()["secret"]

    post_from(client, "Pinned", "Ada", "ada@example.com", "10.2.0.2")
    drain()

    assert dns.lookups == 2
    [(headers, body, status)] = receiver.attempts
    assert status == 200
    assert headers["Host"] == f"{HOOK_HOST}:{port}"  # the name, though the IP was dialled
    assert verify_signature(
        secret, headers["X-Parley-Timestamp"], body, headers["X-Parley-Signature"]
    )


def test_redirects_are_not_followed(client, rt, site, drain, receiver, owner_token, intranet):
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data/"
    assert add_hook(client, owner_token, receiver.url).status_code == 201

    post_from(client, "Redirect me", "Ada", "ada@example.com", "10.2.0.3")
    drain()

    assert [status for *_, status in receiver.attempts] == [302] * 4  # first try + 3 retries
    [failed] = rt.queue.failed_job_registry.get_job_ids()
    assert "HTTP 302" in rt.queue.fetch_job(failed).latest_result().exc_string


def test_the_secret_column_holds_ciphertext(client, rt, owner_token, intranet):
    created = add_hook(client, owner_token, "http://127.0.0.1:9/hook")
    secret = created.get_json()["secret"]

    with rt.session() as session:
        stored = session.execute(sa.text("SELECT secret FROM webhooks")).scalar_one()
    assert secret.startswith("whsec_") and secret not in stored and not stored.startswith("whsec_")
    assert unseal(rt.settings.secret_key, stored) == secret
    with pytest.raises(Exception, match="another PARLEY_SECRET_KEY"):
        unseal("some-other-key", stored)


def test_no_credentials_reach_the_audit_log(client, rt, site, owner_token):
    # A row stored before URLs with credentials were refused.
    with rt.session() as session:
        hook = Webhook(
            site_id=site.id,
            url="https://bob:hunter2@hooks.example.com/services/T0/B0/pathsecret?token=qsecret",
            secret="sealed",
            events=["comment.held"],
            created_by="test",
        )
        session.add(hook)
        session.commit()
        hook_id = hook.id

    response = client.delete(f"/api/v1/moderation/webhooks/{hook_id}", headers=bearer(owner_token))

    assert response.status_code == 204
    with rt.session() as session:
        [note] = [
            e.note for e in session.query(ModerationEvent).filter_by(action="webhook_removed")
        ]
    assert "hunter2" not in note and "bob" not in note
    assert "pathsecret" not in note and "qsecret" not in note
    assert note == f"webhook {hook_id}: https://***@hooks.example.com/…"
    assert shown_url("https://hooks.example.com/x?a=b@c") == "https://hooks.example.com/…"
    assert shown_url("https://hooks.example.com:8443/") == "https://hooks.example.com:8443"


def test_allow_private_is_read_from_the_environment():
    assert Settings.from_env({"PARLEY_ENV": "test"}).webhooks.allow_private is False
    on = Settings.from_env({"PARLEY_ENV": "test", "PARLEY_WEBHOOK_ALLOW_PRIVATE": "1"})
    assert on.webhooks.allow_private is True


def test_tls_to_the_pinned_address_still_checks_the_name(tmp_path, dns):
    # Dialled at 127.0.0.1, the certificate must still be for the URL's name.
    for certified, ok in ((HOOK_HOST, True), ("elsewhere.example.test", False)):
        context, ca_file = tls_for(certified, tmp_path)
        with http_receiver(context) as receiver:
            port = urlsplit(receiver.url).port
            place = destination(f"https://{HOOK_HOST}:{port}/hook", allow_private=True)
            assert str(place.address) == "127.0.0.1"
            if ok:
                assert post_to(place, b"{}", {}, 5, ca_certs=str(ca_file)) == 200
                [(headers, _, _)] = receiver.attempts
                assert headers["Host"] == f"{HOOK_HOST}:{port}"
            else:
                with pytest.raises(urllib3.exceptions.SSLError, match="hostname|match"):
                    post_to(place, b"{}", {}, 5, ca_certs=str(ca_file))
                assert receiver.attempts == []
