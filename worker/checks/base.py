"""The contract every check keeps, and the registry of checks.

A check is a function ``(facts, ctx) -> (score, reason)`` declared with
``@check(name, kind, version)``. It looks at one comment (``CommentFacts``)
with read access to the database (``CheckContext``) and answers a score in
[0, 1], where 1 means "certainly bad", and a sentence a moderator can read.
The declaration does the rest: it registers the check (the pipeline runs the
registered checks in the order they were declared) and stamps its name, kind
and version on every ``CheckResult``, so a retrained model's scores can be
told apart from the old one's in the moderation queue. A check whose version
is its model's passes a function of the context as ``version``; a check that
must answer another kind for one result (Akismet unreachable is a policy
matter, not spam) returns a ``Finding`` with that ``kind``.

Checks never change the comment; ``worker.pipeline`` records their results
and ``worker.decision`` turns them into a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from service.policy import Policy

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


# What a check is about; decision.py weighs the kinds differently: a confident
# "spam" result files the comment as spam, "abuse" and "policy" results hold it
# for a person, "trust" results can only lower suspicion.
KINDS = ("spam", "abuse", "policy", "trust")


@dataclass(frozen=True)
class CheckResult:
    check: str
    score: float
    reason: str
    version: str
    kind: str = "spam"

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"{self.check}: score {self.score} outside [0, 1]")
        if self.kind not in KINDS:
            raise ValueError(f"{self.check}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class CommentFacts:
    """Everything a check may know about a comment, detached from the ORM."""

    body: str  # markdown source as the reader typed it
    text: str = ""  # plain text of the sanitized HTML (what readers would see)
    id: int | None = None
    site_id: int | None = None
    site_slug: str = ""
    site_origins: tuple[str, ...] = ()  # where the site embeds comments: links there are its own
    thread_id: int | None = None
    parent_id: int | None = None
    author_name: str | None = None
    author_email: str | None = None
    author_url: str | None = None
    identity_id: int | None = None
    identity_provider: str | None = None
    ip_hash: str | None = None
    user_agent: str | None = None
    created_at: datetime | None = None
    # Signals the widget sends with a submission (honeypot, render timestamp).
    client: dict[str, Any] = field(default_factory=dict)
    # The body's SimHash as stored at submit (service.similarity); None outside the worker.
    simhash: int | None = None


@dataclass
class CheckContext:
    """Read-only surroundings of a check run.

    ``session`` is None when checks run without a database (``parley eval``):
    stateful checks must then answer a neutral result rather than fail.
    """

    session: Session | None = None
    policy: Policy = field(default_factory=Policy)
    settings: Any = None
    stateful: bool = True

    def section(self, name: str) -> Any:
        """A settings section for a check that calls out (``settings.akismet``), or None.

        None in stateless runs (warm-up, ``parley eval``), which may have no settings at
        all and must send no reader's text anywhere, and while the section is off.
        """
        return getattr(self.settings, name, None) if self.stateful and self.settings else None


class Finding(NamedTuple):
    """What a check's body answers; a plain ``(score, reason)`` tuple is one too."""

    score: float
    reason: str
    kind: str | None = None  # this result only; None: the check's declared kind


def unanswered(service: str, detail: str) -> Finding:
    """What a check answers when the service it asks could not (network, timeout, bad reply).

    Fail-closed: a policy result at 1.0 holds the comment for a person, even for a
    trusted author, and never files it as spam; a comment is never published
    because a service that should have judged it was down.
    """
    return Finding(
        1.0, f"{service} did not answer ({detail}); held for a person to decide", "policy"
    )


Body = Callable[[CommentFacts, CheckContext], tuple]


@dataclass(frozen=True)
class Check:
    """A declared check: call it with ``(facts, ctx)`` for its ``CheckResult``."""

    name: str
    kind: str
    version: str | Callable[[CheckContext], str]
    body: Body = field(repr=False)

    def __call__(self, facts: CommentFacts, ctx: CheckContext) -> CheckResult:
        finding = Finding(*self.body(facts, ctx))
        version = self.version if isinstance(self.version, str) else self.version(ctx)
        return CheckResult(
            self.name, finding.score, finding.reason, version, finding.kind or self.kind
        )


# Every declared check by name, in declaration order (worker.checks imports the
# families in the order they run).
REGISTRY: dict[str, Check] = {}


def check(name: str, kind: str, version: str | Callable[[CheckContext], str]):
    """Declare and register a check; ``name`` and ``version`` are stored with its results."""
    if kind not in KINDS:
        raise ValueError(f"{name}: unknown kind {kind!r}")

    def declare(body: Body) -> Check:
        declared = Check(name, kind, version, body)
        REGISTRY[name] = declared
        return declared

    return declare
