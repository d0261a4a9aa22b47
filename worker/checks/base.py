"""The contract every check keeps.

A check looks at one comment (``CommentFacts``) with read access to the
database (``CheckContext``) and answers a ``CheckResult``: a score in [0, 1]
where 1 means "certainly bad", a sentence a moderator can read, and the
version of the check that produced it (so a retrained model's scores can be
told apart from the old one's in the moderation queue).

Checks never change the comment; ``worker.pipeline`` records their results
and ``worker.decision`` turns them into a status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

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
    policy: dict[str, Any] = field(default_factory=dict)
    settings: Any = None
    stateful: bool = True


class Check(Protocol):
    name: str
    version: str

    def __call__(self, facts: CommentFacts, ctx: CheckContext) -> CheckResult: ...
