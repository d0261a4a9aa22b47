"""Optional external abuse checks, each on when its URL is set (``service.settings.external``).

- ``perspective``: a Perspective-API-compatible ``comments:analyze`` endpoint.
  POST ``{comment: {text}, requestedAttributes: {TOXICITY: {}, ...}, doNotStore: true}``
  to ``<url>?key=<key>``; the score is ``attributeScores.TOXICITY.summaryScore.value``.
- ``moderation_api``: an OpenAI-compatible moderation endpoint. POST
  ``{model, input}`` with ``Authorization: Bearer <key>``; the score is the
  highest of ``results[0].category_scores``, the reason names the flagged categories.

Both are fail-closed, as Akismet is: an error, a timeout or an answer that is
not the protocol's holds the comment for a person (``base.unanswered``), never
publishes it. Off in ``parley eval`` (``ctx.stateful`` false): evaluation stays
local and sends no reader's text anywhere.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import requests

from service import caches
from service.settings.external import ModerationSettings, PerspectiveSettings
from worker.checks.base import CheckContext, CommentFacts, check, unanswered

# Other requested attributes at or over this are named in the reason.
NAMED_AT = 0.5


class NoAnswer(Exception):
    """The service gave no usable answer; the message says why, for the moderator."""


@lru_cache(maxsize=4)
def http(config: PerspectiveSettings | ModerationSettings) -> requests.Session:
    """One HTTP connection pool per process and configuration."""
    return requests.Session()


caches.declare("clients.external_checks", http.cache_clear)


def post_json(
    config: PerspectiveSettings | ModerationSettings,
    url: str,
    payload: dict[str, Any],
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> dict[str, Any]:
    try:
        response = http(config).post(
            url, json=payload, headers=headers, params=params, timeout=config.timeout
        )
    except requests.RequestException as error:
        raise NoAnswer(type(error).__name__) from error
    if response.status_code != 200:
        raise NoAnswer(f"HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as error:
        raise NoAnswer("the answer is not JSON") from error
    if not isinstance(answer, dict):
        raise NoAnswer("unexpected answer")
    return answer


def probability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise NoAnswer(f"score {value!r} is not a probability")
    return float(value)


def perspective_scores(answer: dict[str, Any]) -> dict[str, float]:
    """Each attribute's summary score; TOXICITY must be among them."""
    try:
        scores = {
            name: probability(score["summaryScore"]["value"])
            for name, score in answer["attributeScores"].items()
        }
    except (KeyError, TypeError, AttributeError) as error:
        raise NoAnswer("unexpected answer") from error
    if "TOXICITY" not in scores:
        raise NoAnswer("no TOXICITY score")
    return scores


def text_of(facts: CommentFacts) -> str:
    # What readers would see; both services score plain text better than markup.
    return facts.text or facts.body


@check("perspective", kind="abuse", version="1")
def perspective(facts: CommentFacts, ctx: CheckContext):
    config = ctx.section("perspective")
    if config is None:
        return 0.0, "Perspective not configured"
    payload = {
        "comment": {"text": text_of(facts)},
        "requestedAttributes": {name: {} for name in config.attributes},
        "doNotStore": True,
    }
    try:
        key = {"key": config.key} if config.key else None
        scores = perspective_scores(post_json(config, config.url, payload, params=key))
    except NoAnswer as error:
        return unanswered("Perspective", str(error))
    toxicity = scores.pop("TOXICITY")
    others = [f"{name} {value:.2f}" for name, value in scores.items() if value >= NAMED_AT]
    return toxicity, f"Perspective: TOXICITY {toxicity:.2f}" + (
        f" ({', '.join(others)})" if others else ""
    )


def moderation_result(answer: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    """(flagged categories, every category's score) of the first result."""
    try:
        result = answer["results"][0]
        scores = {name: probability(v) for name, v in result["category_scores"].items()}
        flagged = [name for name, on in result.get("categories", {}).items() if on is True]
    except (KeyError, IndexError, TypeError, AttributeError) as error:
        raise NoAnswer("unexpected answer") from error
    if not scores:
        raise NoAnswer("no category scores")
    return flagged, scores


@check("moderation_api", kind="abuse", version="1")
def moderation_api(facts: CommentFacts, ctx: CheckContext):
    config = ctx.section("moderation")
    if config is None:
        return 0.0, "moderation endpoint not configured"
    headers = {"Authorization": f"Bearer {config.key}"} if config.key else None
    payload = {"model": config.model, "input": text_of(facts)}
    try:
        flagged, scores = moderation_result(post_json(config, config.url, payload, headers))
    except NoAnswer as error:
        return unanswered("the moderation endpoint", str(error))
    worst = max(scores, key=scores.__getitem__)
    if flagged:
        verdict = f"flagged {', '.join(flagged)}"
    else:
        verdict = f"not flagged (highest {worst} {scores[worst]:.2f})"
    return scores[worst], f"moderation ({config.model}): {verdict}"
