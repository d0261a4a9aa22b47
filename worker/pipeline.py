"""run_checks: every enabled check, in order, each answering its ``CheckResult``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.models import Comment, Site
from service.policy import Policy
from service.text import plain_text
from worker.checks import all_checks
from worker.checks.base import Check, CheckContext, CheckResult, CommentFacts
from worker.metrics import timed_check


def facts_for(comment: Comment, site: Site) -> CommentFacts:
    identity = comment.identity
    return CommentFacts(
        id=comment.id,
        body=comment.body_source,
        text=plain_text(comment.body_html),
        site_id=site.id,
        site_slug=site.slug,
        site_origins=tuple(site.allowed_origins or ()),
        thread_id=comment.thread_id,
        parent_id=comment.parent_id,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        identity_id=comment.identity_id,
        identity_provider=identity.provider if identity else None,
        ip_hash=comment.ip_hash,
        user_agent=comment.user_agent,
        created_at=comment.created_at,
        client=dict(comment.client or {}),
        simhash=comment.simhash,
    )


def enabled_checks(policy: Policy, checks: Iterable[Check] | None = None) -> list[Check]:
    """A site switches a check off with ``checks: {name: {"enabled": false}}``."""
    return [c for c in (all_checks() if checks is None else checks) if policy.check_enabled(c.name)]


def run_checks(
    facts: CommentFacts, ctx: CheckContext, checks: Sequence[Check] | None = None
) -> list[CheckResult]:
    # A check that raises is a bug or an outage: let it propagate so the job
    # retries, and after the last retry the comment is held, never published.
    return [timed_check(check, facts, ctx) for check in enabled_checks(ctx.policy, checks)]
