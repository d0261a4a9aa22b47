"""A site's moderation policy: every knob, its type and its default, in one place.

A site stores its policy as JSON (``sites.policy``), holding only what it
changes; ``Policy.of(stored)`` reads it with these defaults. The service reads
``premoderate``-like switches and ``max_depth``; the checks and the decision
(``worker.checks``, ``worker.decision``) read the rest. ``parley sites create
--policy`` validates with the same model (``Policy.checked``), so a typo or a
wrong type is refused with the key's name before it is stored.

Unknown keys in a stored policy are kept in the JSON and ignored here, so an
old or hand-edited policy never stops a site; only the CLI refuses them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

log = logging.getLogger(__name__)

# Blocklist entries and domains are compared as text, whatever JSON type they were stored as.
Text = Annotated[str, BeforeValidator(str)]


class _Part(BaseModel):
    # "allow": unknown keys are collected (``model_extra``) so the CLI can name them.
    model_config = ConfigDict(frozen=True, extra="allow")


class Thresholds(_Part):
    """Scores at which a check's result holds or files a comment (``worker.decision``)."""

    spam: float = 0.9  # a "spam" result at or over this files the comment as spam
    hold: float = 0.5  # any result at or over this holds it for a person
    trusted_hold: float = 0.9  # the hold level for a trusted author


class CheckPolicy(_Part):
    """One check's switch and its own thresholds (``checks: {"toxicity_model": {"hold": 0.8}}``)."""

    enabled: bool = True
    spam: float | None = None  # None: the site's threshold
    hold: float | None = None
    trusted_hold: float | None = None


class Policy(_Part):
    # Who may comment and what is held regardless of the checks.
    premoderate: bool = False  # hold every comment for a person
    require_signin: bool = False  # no guest comments
    email_signin: bool = False  # readers may sign in with a link mailed to them (needs mail)
    hold_first_time_guests: bool = False  # hold an author until the trust check knows them
    # A spam model's verdict alone files as spam (else it needs a second spam signal).
    learned_spam_alone_files_spam: bool = False
    max_depth: int = 5  # reply nesting: a reply to a comment this deep is refused
    # What erasing a reader's data does to their comments (service/privacy): "anonymize"
    # keeps the text without name, email, link or address; "delete" removes it (a comment
    # with replies stays as an empty placeholder so the replies keep their place).
    erase: Literal["anonymize", "delete"] = "anonymize"

    # The decision, site-wide and per check.
    thresholds: Thresholds = Thresholds()
    checks: dict[str, CheckPolicy] = {}

    # Text rules (worker.checks.text_rules).
    max_links: int = 2  # more links than this holds, 3 more files as spam
    allowed_domains: tuple[Text, ...] = ()  # links there are not counted
    blocklist: tuple[Text, ...] = ()  # blocked words, phrases and domains
    min_submit_ms: float = 2500  # faster than this after the form appeared is a bot

    # Abuse checks (worker.checks.abuse): the site's own demeaning terms, and
    # words of the shipped lexicon it does not count ("bitch" on a dog breeders' site).
    abuse_terms: tuple[Text, ...] = ()
    abuse_allowed_terms: tuple[Text, ...] = ()

    # History checks (worker.checks.history).
    duplicate_window_hours: int = 72  # how far back a copy counts
    duplicate_lookback: int = 200  # how many recent comments are compared
    flood_per_minute: int = 5  # comments by one author before the flood check holds
    flood_per_hour: int = 30
    trusted_after: int = 3  # published comments before an author is trusted

    # What readers may do besides commenting (service/comments/: votes, edits, reports,
    # likes, closing, challenge; docs/widget.md).
    down_votes: bool = False  # readers may vote a comment down as well as up
    default_sort: Literal["oldest", "newest", "top"] = "oldest"  # the widget's first order
    edit_window_minutes: int = 15  # how long authors may edit or delete; 0: never
    report_threshold: int = 3  # open reports that hold a published comment; 0: never
    auto_close_days: int = 0  # close a thread this long after its first comment; 0: never
    # When a comment needs a proof-of-work solution (service/comments/challenge.py): "off";
    # "suspicious" (a client that already posted challenge_after comments on the site in
    # challenge_window_minutes, or a borderline first look: honeypot filled, no render token,
    # more links than max_links); "guests" (every guest comment, and suspicious ones);
    # "always". Off by default: API clients that post without the widget keep working.
    challenge: Literal["off", "suspicious", "guests", "always"] = "off"
    challenge_after: int = 3
    challenge_window_minutes: int = 10

    @classmethod
    def of(cls, stored: Mapping[str, Any] | None, *, strict: bool = True) -> Policy:
        """The policy a site stored, with the defaults for what it left out.

        A value of the wrong type raises ``ValueError`` naming the key (the
        worker then holds the comment for a person: a broken policy must not
        publish unchecked). With ``strict=False`` (the web process, which must
        answer) such keys fall back to their defaults, with a warning.
        """
        stored = dict(stored or {})
        try:
            return cls.model_validate(stored)
        except ValidationError as error:
            if strict:
                raise ValueError(f"site policy is not valid: {_describe(error)}") from None
            broken = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            log.warning("site policy: using defaults for %s (%s)", sorted(broken), _describe(error))
            return cls.of({k: v for k, v in stored.items() if k not in broken}, strict=False)

    @classmethod
    def checked(cls, given: Mapping[str, Any]) -> Policy:
        """A policy someone is about to store: wrong types and unknown keys are refused."""
        policy = cls.of(given)
        unknown = policy.unknown_keys()
        if unknown:
            known = ", ".join(sorted(cls.model_fields))
            raise ValueError(f"unknown policy key(s) {', '.join(unknown)} (known: {known})")
        return policy

    def unknown_keys(self) -> list[str]:
        found = [*(self.model_extra or {})]
        found += [f"thresholds.{k}" for k in self.thresholds.model_extra or {}]
        for name, own in self.checks.items():
            found += [f"checks.{name}.{k}" for k in own.model_extra or {}]
        return found

    def check_enabled(self, name: str) -> bool:
        own = self.checks.get(name)
        return own is None or own.enabled

    def thresholds_for(self, name: str) -> Thresholds:
        """The site's thresholds, overridden by the check's own where it sets them."""
        own = self.checks.get(name)
        if own is None:
            return self.thresholds
        overrides = {
            k: getattr(own, k) for k in Thresholds.model_fields if getattr(own, k) is not None
        }
        return self.thresholds.model_copy(update=overrides) if overrides else self.thresholds


def _describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or '(policy)'}: {e['msg']}" for e in error.errors()
    )
