"""The challenge: by default the proof of work ALTCHA (the ``altcha`` package), self-hosted, no
third party; or Cloudflare Turnstile / hCaptcha where the operator set their keys
(``settings.captcha``, checked by ``service.comments.captcha``).

``GET /api/v1/challenge?site=`` hands out a challenge signed with a key derived from the secret
key: find the number ``n`` (at most ``MAX_NUMBER``) with ``SHA-256(salt + n) == challenge``.
The salt carries the site and an expiry (``CHALLENGE_MINUTES``). The widget solves it in the
background while the reader types (on average ``MAX_NUMBER / 2`` hashes, well under a second
in a browser) and sends the ALTCHA payload with the comment (``client.challenge``).

Whether a comment needs one is the site's ``challenge`` policy (``needs_challenge``); under
``suspicious`` that is the first look's reasons (``first_look``: cheap facts of the request,
each named). A needed solution must be valid, for this site, unexpired and unused: each one is
spent in the same transaction as the comment it lets in (``challenge_uses``, unique), so a
replay is refused. Without one the POST answers 403 in the error shape with ``challenge``
saying what was wrong (required, invalid, used; unavailable when the provider could not be
asked) and ``reasons`` why one was needed; the comment, when one lets it in, keeps the reasons
in its client signals. A solution sent when none is needed is ignored and not spent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.comments import captcha
from service.comments.render_token import peek_render_token
from service.comments.schemas import CommentIn
from service.errors import ApiError
from service.models import ChallengeUse, Comment, Identity, Site, utcnow
from service.policy import Policy
from service.runtime import Runtime
from service.sites import policy_of
from service.status import Status
from service.text import hash_ip

log = logging.getLogger(__name__)

MAX_NUMBER = 100_000
CHALLENGE_MINUTES = 10
_LINK = re.compile(r"https?://|www\.", re.I)


def _key(secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"parley.challenge", hashlib.sha256).hexdigest()


def new_challenge(secret_key: str, site: Site) -> dict:
    import altcha  # on first use: sites without the challenge never load it

    expires = datetime.now(UTC) + timedelta(minutes=CHALLENGE_MINUTES)
    challenge = altcha.create_challenge_v1(
        hmac_key=_key(secret_key),
        max_number=MAX_NUMBER,
        expires=expires,
        params={"site": site.slug},
    )
    return challenge.to_dict()


def first_look(
    rt: Runtime,
    session: Session,
    site: Site,
    policy: Policy,
    data: CommentIn,
    identity: Identity | None,
    ip_hash: str | None,
) -> list[str]:
    """The cheap facts in the request that make a comment suspicious, before it is stored
    (each one a short name, in this order; empty when nothing is):

    - ``honeypot``: the field people never see was filled in;
    - ``render_token_missing|forged|other_thread|reused``: the form was not shown by the
      widget for this thread, or its token was already spent (read, not spent, here);
    - ``too_fast``: sent sooner than the site's ``min_submit_ms`` after the form appeared;
    - ``many_links``: more links than the site's ``max_links``;
    - ``links_first_comment``: a guest with no published comment on the site yet posts a link;
    - ``busy``: this address (hashed) already posted ``challenge_after`` comments on the site
      within ``challenge_window_minutes``.
    """
    reasons: list[str] = []
    client = data.client
    if client is not None and client.honeypot:
        reasons.append("honeypot")
    timing = peek_render_token(
        rt.settings.secret_key,
        client.render_token if client else None,
        site.id,
        data.thread,
        rt.redis,
    )
    if timing.verdict != "ok":
        reasons.append(f"render_token_{timing.verdict}")
    elif timing.elapsed_ms is not None and timing.elapsed_ms < policy.min_submit_ms:
        reasons.append("too_fast")
    links = len(_LINK.findall(data.body))
    if links > policy.max_links:
        reasons.append("many_links")
    elif links and identity is None and data.author is not None:
        known = session.scalar(
            sa.select(Comment.id)
            .where(
                Comment.site_id == site.id,
                Comment.author_email == str(data.author.email),
                Comment.identity_id.is_(None),
                Comment.status == Status.PUBLISHED,
            )
            .limit(1)
        )
        if known is None:
            reasons.append("links_first_comment")
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
            reasons.append("busy")
    return reasons


def needs_challenge(
    rt: Runtime,
    session: Session,
    site: Site,
    policy: Policy,
    data: CommentIn,
    identity: Identity | None,
    ip_hash: str | None,
) -> list[str]:
    """Why this comment needs a solved challenge (``always``, ``guest``, or the first look's
    reasons under ``suspicious`` and ``guests``); empty when it needs none."""
    mode = policy.challenge
    if mode == "off":
        return []
    if mode == "always":
        return ["always"]
    if mode == "guests" and identity is None:
        return ["guest"]
    return first_look(rt, session, site, policy, data, identity, ip_hash)


def check(rt: Runtime, session: Session, site: Site, data: CommentIn, identity) -> list[str]:
    """Ask for (and spend) a solution where the site's policy wants one for this comment;
    returns why one was asked (kept with the comment's signals for moderators)."""
    policy = policy_of(site, strict=False)
    ip_hash = hash_ip(request.remote_addr, rt.settings.secret_key)
    reasons = needs_challenge(rt, session, site, policy, data, identity, ip_hash)
    if reasons:
        payload = data.client.challenge if data.client else None
        captcha = rt.settings.captcha
        try:
            if captcha is None:
                spend_solution(session, rt.settings.secret_key, site, payload)
            else:
                spend_token(session, captcha, payload, request.remote_addr)
        except ApiError as error:
            error.extra["reasons"] = reasons
            log.info("challenge refused (%s): %s", error.extra["challenge"], ", ".join(reasons))
            raise
    return reasons


def spend_token(session: Session, config, token: str | None, remote_ip: str | None) -> None:
    """Check a Turnstile or hCaptcha token with the provider and spend it; 403 if it is
    missing, refused, already used, or the provider cannot say (fail-closed)."""
    if not token:
        raise _refuse("required", "complete the challenge before posting")
    digest = hashlib.sha256(token.encode()).hexdigest()
    # A replay is refused without asking the provider, whose own duplicate check may lag.
    # Only read here: no write (and on SQLite no write lock) is held while the provider is
    # asked; the token is spent after, in the caller's transaction.
    if session.scalar(sa.select(ChallengeUse.id).where(ChallengeUse.digest == digest)):
        raise _refuse("used", "this challenge solution was already used")
    try:
        ok, codes = captcha.verify_token(config, token, remote_ip)
    except captcha.CaptchaUnavailable:
        raise _refuse(
            "unavailable", "the challenge could not be checked just now; please try again"
        ) from None
    if not ok:
        if "timeout-or-duplicate" in codes:
            raise _refuse("used", "this challenge answer has expired or was already used")
        raise _refuse("invalid", "the challenge answer is not valid")
    # Tokens live 5 minutes (Turnstile; hCaptcha's less): worthless after that anyway.
    _spend(session, digest, utcnow() + timedelta(minutes=6))


def _refuse(why: str, message: str) -> ApiError:
    return ApiError("forbidden", message, challenge=why)


def spend_solution(session: Session, secret_key: str, site: Site, payload: str | None) -> None:
    """Check the ALTCHA payload and spend it in the caller's transaction; 403 if it is missing,
    wrong, for another site, expired or used."""
    import altcha

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
    _spend(session, digest, datetime.fromtimestamp(int(expires), UTC) + timedelta(minutes=1))


def _spend(session: Session, digest: str, expires_at: datetime) -> None:
    """Record an answer as used (until ``expires_at``, when it is worthless anyway); 403
    "used" if it already was."""
    session.execute(sa.delete(ChallengeUse).where(ChallengeUse.expires_at < utcnow()))
    try:
        with session.begin_nested():
            session.add(ChallengeUse(digest=digest, expires_at=expires_at))
    except IntegrityError:
        raise _refuse("used", "this challenge solution was already used") from None
