"""The Akismet check, on when ``PARLEY_AKISMET_KEY`` is set (see ``service.akismet``).

Akismet's "spam" files the comment as spam; its "blatant spam" (the
``discard`` pro-tip) scores 1.0. When Akismet cannot answer (timeout, network,
bad key, unexpected reply) the comment is **held** for a person: a policy
result of 1.0 holds it even for a trusted author, and never files it as spam.
Off in ``parley eval`` (``ctx.stateful`` false): evaluation stays local.
"""

from __future__ import annotations

from functools import lru_cache

from service.akismet import Akismet, AkismetError, AkismetSettings, akismet_settings
from worker.checks.base import CheckContext, CheckResult, CommentFacts

VERSION = "1"


@lru_cache(maxsize=4)
def client(config: AkismetSettings) -> Akismet:
    """One client (and HTTP connection pool) per process and configuration."""
    return Akismet(config)


def akismet_fields(facts: CommentFacts) -> dict[str, str | None]:
    # Parley keeps only a hash of the reader's IP address, so user_ip is not
    # sent; Akismet answers without it, on the other fields.
    return {
        "comment_type": "reply" if facts.parent_id else "comment",
        "comment_author": facts.author_name,
        "comment_author_email": facts.author_email,
        "comment_author_url": facts.author_url,
        "comment_content": facts.body,
        "user_agent": facts.user_agent,
        "blog_charset": "UTF-8",
    }


def akismet(facts: CommentFacts, ctx: CheckContext) -> CheckResult:
    config = akismet_settings(ctx.settings)
    if config is None or not ctx.stateful:
        return CheckResult("akismet", 0.0, "Akismet not configured", VERSION)
    try:
        spam, blatant = client(config).comment_check(akismet_fields(facts))
    except AkismetError as error:
        reason = f"Akismet did not answer ({error}); held for a person to decide"
        return CheckResult("akismet", 1.0, reason, VERSION, kind="policy")
    if blatant:
        return CheckResult("akismet", 1.0, "Akismet: blatant spam", VERSION)
    if spam:
        return CheckResult("akismet", 0.95, "Akismet: spam", VERSION)
    return CheckResult("akismet", 0.0, "Akismet: not spam", VERSION)


akismet.name, akismet.kind, akismet.version = "akismet", "spam", VERSION
