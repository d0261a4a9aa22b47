"""The Akismet check, on when ``PARLEY_AKISMET_KEY`` is set (see ``service.akismet``).

Akismet's "spam" files the comment as spam; its "blatant spam" (the
``discard`` pro-tip) scores 1.0. When Akismet cannot answer (timeout, network,
bad key, unexpected reply) the comment is **held** for a person: a policy
result of 1.0 holds it even for a trusted author, and never files it as spam.
Off in ``parley eval`` (``ctx.stateful`` false): evaluation stays local.
"""

from __future__ import annotations

from functools import lru_cache

from service import caches
from service.akismet import Akismet, AkismetError
from service.settings.akismet import AkismetSettings
from worker.checks.base import CheckContext, CommentFacts, check, unanswered


@lru_cache(maxsize=4)
def client(config: AkismetSettings) -> Akismet:
    """One client (and HTTP connection pool) per process and configuration."""
    return Akismet(config)


caches.declare("clients.akismet", client.cache_clear)


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


@check("akismet", kind="spam", version="1")
def akismet(facts: CommentFacts, ctx: CheckContext):
    config = ctx.section("akismet")
    if config is None:
        return 0.0, "Akismet not configured"
    try:
        spam, blatant = client(config).comment_check(akismet_fields(facts))
    except AkismetError as error:
        return unanswered("Akismet", str(error))
    if blatant:
        return 1.0, "Akismet: blatant spam"
    if spam:
        return 0.95, "Akismet: spam"
    return 0.0, "Akismet: not spam"
