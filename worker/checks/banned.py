"""The banned-author check: a banned author may still write, but never publishes.

A ban (``service.moderation.bans``) names an identity, a guest email and/or a
hashed IP; any of them matching this comment on the same site is enough. The
result is a "policy" result scoring 1.0, which the decision turns into at
least a hold (a confident spam check may still file it as spam), and its
reason names the ban so the moderator sees which one fired.
"""

from __future__ import annotations

from service.moderation.bans import describe, matching_ban
from worker.checks.base import CheckContext, CommentFacts, check


@check("banned_author", kind="policy", version="1")
def banned_author(facts: CommentFacts, ctx: CheckContext):
    if ctx.session is None or facts.site_id is None:
        return 0.0, "not checked (no database)"
    ban = matching_ban(
        ctx.session,
        facts.site_id,
        identity_id=facts.identity_id,
        email=facts.author_email,
        ip_hash=facts.ip_hash,
        now=facts.created_at,
    )
    if ban is None:
        return 0.0, "author is not banned"
    return 1.0, f"author is banned ({describe(ban)})"
