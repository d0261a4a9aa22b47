"""The proof-of-work challenge (ALTCHA): asked for as the site's policy says, solved once,
never replayed; a POST without a valid unused solution is a 403 in the error shape."""

from __future__ import annotations

import base64
import json

import altcha
import sqlalchemy as sa

from service.auth.readers import issue_reader_token
from service.comments.render_token import issue_render_token
from service.models import Comment, Identity
from tests.support.apps import OTHER, ensure_sites


def solve(client, site: str = "demo") -> str:
    answer = client.get("/api/v1/challenge", query_string={"site": site})
    assert answer.status_code == 200
    ch = answer.get_json()
    assert ch["algorithm"] == "SHA-256" and ch["maxnumber"] == 100_000
    solution = altcha.solve_challenge_v1(ch["challenge"], ch["salt"], "SHA-256", ch["maxnumber"])
    data = {**{k: ch[k] for k in ("algorithm", "challenge", "salt", "signature")}}
    data["number"] = solution.number
    return base64.b64encode(json.dumps(data).encode()).decode()


def _post(post, challenge=None, **fields):
    client = {"render_token": "present", **({"challenge": challenge} if challenge else {})}
    return post("A comment that may need a solution.", client=client, **fields)


def _count(rt) -> int:
    with rt.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Comment))


def test_a_site_that_always_asks_takes_each_solution_once(client, post, set_policy, rt):
    set_policy(challenge="always")
    refused = _post(post)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["challenge"] == "required"
    assert _count(rt) == 0
    payload = solve(client)
    assert _post(post, payload).status_code == 202
    replay = _post(post, payload)
    assert replay.status_code == 403 and replay.get_json()["error"]["challenge"] == "used"
    assert _count(rt) == 1


def test_forged_foreign_and_garbage_solutions_are_refused(client, post, set_policy, rt):
    set_policy(challenge="always")
    ensure_sites(rt, [OTHER])
    good = json.loads(base64.b64decode(solve(client)))
    wrong_number = {**good, "number": good["number"] + 1}
    other_site = solve(client, site="other")
    for payload in (
        base64.b64encode(json.dumps(wrong_number).encode()).decode(),
        other_site,
        "not base64 at all!",
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(json.dumps({**good, "algorithm": "SHA-1"}).encode()).decode(),
    ):
        answer = _post(post, payload)
        assert answer.status_code == 403, payload
        assert answer.get_json()["error"]["challenge"] == "invalid"
    assert _post(post, "x" * 4097).status_code == 422
    assert client.get("/api/v1/challenge?site=nope").status_code == 404


def test_guests_only_and_signed_in_readers_pass(client, post, set_policy, rt, site):
    set_policy(challenge="guests", min_submit_ms=0)
    assert _post(post).status_code == 403
    with rt.session() as session:
        ada = Identity(provider="oidc", subject="ada-challenge", name="Ada")
        session.add(ada)
        session.commit()
        token = issue_reader_token(rt.settings.secret_key, ada.id, site.id)
    signed_in = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": "Signed in, no puzzle.",
            "client": {"render_token": _token(rt, site)},
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert signed_in.status_code == 202


def _token(rt, site, thread: str = "/posts/hello") -> str:
    return issue_render_token(rt.settings.secret_key, site.id, thread)


def _send(client, body="A calm comment.", address="10.0.0.1", email="bo@example.com", **signals):
    return client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": body,
            "author": {"name": "Bo", "email": email},
            "client": signals,
        },
        environ_base={"REMOTE_ADDR": address},
    )


def _reasons(answer) -> list[str]:
    assert answer.status_code == 403, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "forbidden" and error["challenge"] == "required"
    return error["reasons"]


def test_suspicious_clients_are_asked_after_n_comments_from_one_address(
    client, set_policy, rt, site
):
    set_policy(challenge="suspicious", challenge_after=2, min_submit_ms=0)
    assert _send(client, render_token=_token(rt, site)).status_code == 202
    assert _send(client, render_token=_token(rt, site)).status_code == 202
    assert _reasons(_send(client, render_token=_token(rt, site))) == ["busy"]
    solved = _send(client, render_token=_token(rt, site), challenge=solve(client))
    assert solved.status_code == 202
    # The comment keeps why it was asked, for the moderator reading its signals.
    with rt.session() as session:
        comment = session.get(Comment, solved.get_json()["comment"]["id"])
        assert comment.client["challenge"] == ["busy"]
    # Another address is not busy.
    assert _send(client, address="10.0.0.2", render_token=_token(rt, site)).status_code == 202


def test_each_suspicious_fact_is_named(client, set_policy, rt, site):
    set_policy(challenge="suspicious", challenge_after=0, min_submit_ms=0, max_links=2)
    good = _token(rt, site)
    assert _reasons(
        _send(client, address="10.1.0.1", honeypot="http://spam", render_token=good)
    ) == ["honeypot"]
    assert _reasons(_send(client, address="10.1.0.2")) == ["render_token_missing"]
    assert _reasons(_send(client, address="10.1.0.3", render_token="forged")) == [
        "render_token_forged"
    ]
    other = _token(rt, site, "/posts/other")
    assert _reasons(_send(client, address="10.1.0.4", render_token=other)) == [
        "render_token_other_thread"
    ]
    spent = _token(rt, site)
    assert _send(client, address="10.1.0.5", render_token=spent).status_code == 202
    assert _reasons(_send(client, address="10.1.0.5", render_token=spent)) == [
        "render_token_reused"
    ]
    links = "See https://a.example, https://b.example and https://c.example."
    assert _reasons(
        _send(client, body=links, address="10.1.0.6", render_token=_token(rt, site))
    ) == ["many_links"]
    # Refused before anything was stored or spent: the same token still vouches.
    assert _send(client, address="10.1.0.7", render_token=good).status_code == 202


def test_too_fast_after_the_form_appeared(client, set_policy, rt, site):
    set_policy(challenge="suspicious", challenge_after=0, min_submit_ms=60_000)
    assert _reasons(_send(client, render_token=_token(rt, site))) == ["too_fast"]
    set_policy(min_submit_ms=0)
    assert _send(client, render_token=_token(rt, site)).status_code == 202


def test_a_link_in_a_guests_first_comment_asks_until_they_have_one_published(
    client, set_policy, rt, site, drain
):
    set_policy(challenge="suspicious", challenge_after=0, min_submit_ms=0)
    link = "More at https://example.org/garden"
    first = _send(client, body=link, email="new@example.com", render_token=_token(rt, site))
    assert _reasons(first) == ["links_first_comment"]
    plain = _send(
        client,
        body="Lovely garden, thank you.",
        email="new@example.com",
        render_token=_token(rt, site),
    )
    assert plain.status_code == 202
    drain()
    assert listing_statuses(rt) == ["published"]
    again = _send(client, body=link, email="new@example.com", render_token=_token(rt, site))
    assert again.status_code == 202


def listing_statuses(rt) -> list[str]:
    with rt.session() as session:
        return [str(s) for s in session.scalars(sa.select(Comment.status).order_by(Comment.id))]


def test_signed_in_readers_with_a_link_are_not_suspected_for_it(client, set_policy, rt, site):
    set_policy(challenge="suspicious", challenge_after=0, min_submit_ms=0)
    with rt.session() as session:
        ada = Identity(provider="oidc", subject="ada-links", name="Ada")
        session.add(ada)
        session.commit()
        token = issue_reader_token(rt.settings.secret_key, ada.id, site.id)
    answer = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": "My notes: https://example.org/notes",
            "client": {"render_token": _token(rt, site)},
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 202


def test_off_by_default_and_a_solution_nobody_needs_is_not_spent(client, post, rt):
    payload = solve(client)
    assert _post(post, "garbage").status_code == 202
    assert _post(post, payload).status_code == 202
    assert _post(post, payload).status_code == 202
