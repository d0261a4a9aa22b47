"""External abuse checks, optional: each is off unless its URL is set.

A Perspective-API-compatible toxicity service (what Coral uses):

- ``PARLEY_PERSPECTIVE_URL``: the ``comments:analyze`` endpoint, for Google's
  ``https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze``.
- ``PARLEY_PERSPECTIVE_KEY``: the API key, sent as ``?key=``.
- ``PARLEY_PERSPECTIVE_ATTRIBUTES``: comma-separated attributes to ask for besides
  ``TOXICITY`` (default ``SEVERE_TOXICITY,IDENTITY_ATTACK,INSULT,THREAT``); they are
  named in the reason, the score is TOXICITY's.
- ``PARLEY_PERSPECTIVE_TIMEOUT``: seconds per call (default 2).

An OpenAI-compatible moderation endpoint (what Twikoo and Hyvor Talk use):

- ``PARLEY_MODERATION_URL``: the endpoint, such as ``https://api.openai.com/v1/moderations``.
- ``PARLEY_MODERATION_KEY``: the bearer token (optional for a local server).
- ``PARLEY_MODERATION_MODEL``: the ``model`` field (default ``omni-moderation-latest``).
- ``PARLEY_MODERATION_TIMEOUT``: seconds per call (default 2).

The timeouts are short because the comment waits in the queue for the answer,
and an unanswered call holds it anyway (``worker.checks.external``).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader

PERSPECTIVE_EXTRA_ATTRIBUTES = ("SEVERE_TOXICITY", "IDENTITY_ATTACK", "INSULT", "THREAT")
# Longer than this, the comment's check job would rather hold it than wait.
MAX_TIMEOUT = 10.0


@dataclass(frozen=True)
class PerspectiveSettings:
    url: str
    key: str = ""
    attributes: tuple[str, ...] = ("TOXICITY", *PERSPECTIVE_EXTRA_ATTRIBUTES)
    timeout: float = 2.0


@dataclass(frozen=True)
class ModerationSettings:
    url: str
    key: str = ""
    model: str = "omni-moderation-latest"
    timeout: float = 2.0


def parse_perspective(reader: EnvReader) -> PerspectiveSettings | None:
    """None while ``PARLEY_PERSPECTIVE_URL`` is unset."""
    url = reader.http_url("PARLEY_PERSPECTIVE_URL")
    if not url:
        return None
    raw = reader.text("PARLEY_PERSPECTIVE_ATTRIBUTES", ",".join(PERSPECTIVE_EXTRA_ATTRIBUTES))
    extra = [a.strip().upper() for a in raw.split(",") if a.strip()]
    bad = [a for a in extra if not a.replace("_", "").isalnum()]
    if bad:
        reader.problems.append(f"PARLEY_PERSPECTIVE_ATTRIBUTES has bad names: {bad}")
    # TOXICITY is the score, so it is always asked for, and first.
    attributes = tuple(dict.fromkeys(["TOXICITY", *extra]))
    return PerspectiveSettings(
        url=url,
        key=reader.text("PARLEY_PERSPECTIVE_KEY").strip(),
        attributes=attributes,
        timeout=reader.seconds(
            "PARLEY_PERSPECTIVE_TIMEOUT", PerspectiveSettings.timeout, MAX_TIMEOUT
        ),
    )


def parse_moderation(reader: EnvReader) -> ModerationSettings | None:
    """None while ``PARLEY_MODERATION_URL`` is unset."""
    url = reader.http_url("PARLEY_MODERATION_URL")
    if not url:
        return None
    return ModerationSettings(
        url=url,
        key=reader.text("PARLEY_MODERATION_KEY").strip(),
        model=reader.text("PARLEY_MODERATION_MODEL", ModerationSettings.model).strip(),
        timeout=reader.seconds(
            "PARLEY_MODERATION_TIMEOUT", ModerationSettings.timeout, MAX_TIMEOUT
        ),
    )
