"""The proof-of-work challenge: ALTCHA (the ``altcha`` package), self-hosted, no third party.

``GET /api/v1/challenge?site=`` hands out a challenge signed with a key derived from the secret
key: find the number ``n`` (at most ``MAX_NUMBER``) with ``SHA-256(salt + n) == challenge``.
The salt carries the site and an expiry (``CHALLENGE_MINUTES``). The widget solves it in the
background while the reader types (on average ``MAX_NUMBER / 2`` hashes, well under a second
in a browser) and sends the ALTCHA payload with the comment (``client.challenge``).

Whether a comment needs one is the site's ``challenge`` policy (``needs_challenge``). A needed
solution must be valid, for this site, unexpired and unused: each one is spent in the same
transaction as the comment it lets in (``challenge_uses``, unique), so a replay is refused.
Without one the POST answers 403 in the error shape with ``challenge`` saying why (required,
invalid, used). A solution sent when none is needed is ignored and not spent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta

import altcha
import sqlalchemy as sa
from flask import request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments.schemas import CommentIn
from service.errors import ApiError
from service.models import ChallengeUse, Comment, Identity, Site, utcnow
from service.policy import Policy
from service.runtime import Runtime
from service.sites import policy_of
from service.text import hash_ip

MAX_NUMBER = 100_000
CHALLENGE_MINUTES = 10
_LINK = re.compile(r"https?://|www\.", re.I)


def _key(secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"parley.challenge", hashlib.sha256).hexdigest()


def new_challenge(secret_key: str, site: Site) -> dict:
    expires = datetime.now(UTC) + timedelta(minutes=CHALLENGE_MINUTES)
    challenge = altcha.create_challenge_v1(
        hmac_key=_key(secret_key),
        max_number=MAX_NUMBER,
        expires=expires,
        params={"site": site.slug},
    )
    return challenge.to_dict()


def needs_challenge(
    session: Session,
    site: Site,
    policy: Policy,
    data: CommentIn,
    identity: Identity | None,
    ip_hash: str | None,
) -> str | None:
    """Why this comment needs a solved challenge ("always", "guest", "busy", "borderline"),
    or None."""
    mode = policy.challenge
    if mode == "off":
        return None
    if mode == "always":
        return "always"
    if mode == "guests" and identity is None:
        return "guest"
    client = data.client
    if (
        client is None
        or client.honeypot
        or not client.render_token
        or len(_LINK.findall(data.body)) > policy.max_links
    ):
        return "borderline"
    if policy.challenge_after > 0 and ip_hash:
        since = utcnow() - timedelta(minutes=max(1, policy.challenge_window_minutes))
        recent = session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(
                Comment.site_id == site.id,
                Comment.ip_hash == ip_hash,
                Comment.created_at >= since,
            )
        )
        if (recent or 0) >= policy.challenge_after:
            return "busy"
    return None


def check(rt: Runtime, session: Session, site: Site, data: CommentIn, identity) -> None:
    """Ask for (and spend) a solution where the site's policy wants one for this comment."""
    policy = policy_of(site, strict=False)
    ip_hash = hash_ip(request.remote_addr, rt.settings.secret_key)
    if needs_challenge(session, site, policy, data, identity, ip_hash):
        payload = data.client.challenge if data.client else None
        spend_solution(session, rt.settings.secret_key, site, payload)


def _refuse(why: str, message: str) -> ApiError:
    return ApiError("forbidden", message, challenge=why)


def spend_solution(session: Session, secret_key: str, site: Site, payload: str | None) -> None:
    """Check the ALTCHA payload and spend it in the caller's transaction; 403 if it is missing,
    wrong, for another site, expired or used."""
    if not payload:
        raise _refuse("required", "solve the challenge before posting (GET /api/v1/challenge)")
    try:
        ok, _ = altcha.verify_solution_v1(payload, _key(secret_key), check_expires=True)
        parsed = json.loads(base64.b64decode(payload)) if ok else None
    except Exception:  # hostile input must be a refusal, never a 500
        ok, parsed = False, None
    if not isinstance(parsed, dict):
        raise _refuse("invalid", "the challenge solution is not valid or has expired")
    params = altcha.extract_params_v1(parsed)
    expires = (params.get("expires") or ["0"])[0]
    if (
        parsed.get("algorithm") != "SHA-256"
        or params.get("site") != [site.slug]
        or not expires.isdigit()
    ):
        raise _refuse("invalid", "the challenge solution is not valid or has expired")
    solved = f"{parsed.get('challenge')}:{parsed.get('number')}"
    digest = hashlib.sha256(solved.encode()).hexdigest()
    now = utcnow()
    session.execute(sa.delete(ChallengeUse).where(ChallengeUse.expires_at < now))
    try:
        with session.begin_nested():
            session.add(
                ChallengeUse(
                    digest=digest,
                    expires_at=datetime.fromtimestamp(int(expires), UTC) + timedelta(minutes=1),
                )
            )
    except IntegrityError:
        raise _refuse("used", "this challenge solution was already used") from None
