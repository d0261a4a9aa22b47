"""The proof-of-work challenge (ALTCHA): asked for as the site's policy says, solved once,
never replayed; a POST without a valid unused solution is a 403 in the error shape."""

from __future__ import annotations

import base64
import json

import altcha
import sqlalchemy as sa

from service.auth.readers import issue_reader_token
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
    assert _post(post, "x" * 2001).status_code == 422
    assert client.get("/api/v1/challenge?site=nope").status_code == 404


def test_guests_only_and_signed_in_readers_pass(client, post, set_policy, rt, site):
    set_policy(challenge="guests")
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
            "client": {"render_token": "present"},
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert signed_in.status_code == 202


def test_suspicious_clients_are_asked_after_n_comments_or_when_borderline(client, post, set_policy):
    set_policy(challenge="suspicious", challenge_after=2)
    assert _post(post).status_code == 202
    assert _post(post).status_code == 202
    busy = _post(post)
    assert busy.status_code == 403 and busy.get_json()["error"]["challenge"] == "required"
    assert _post(post, solve(client)).status_code == 202
    # Another client (address) is not busy, but a borderline first look asks too.
    other = {"REMOTE_ADDR": "10.9.8.7"}
    no_token = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": "No render token.",
            "author": {"name": "Bo", "email": "bo@example.com"},
        },
        environ_base=other,
    )
    assert no_token.status_code == 403


def test_off_by_default_and_a_solution_nobody_needs_is_not_spent(client, post, rt):
    payload = solve(client)
    assert _post(post, "garbage").status_code == 202
    assert _post(post, payload).status_code == 202
    assert _post(post, payload).status_code == 202
