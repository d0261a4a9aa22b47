"""Rate limits on the routes that write and on sign-in (service/limits.py applies them).

Each is a number of requests per minute, counted per client address and, separately, per
identity (an API or reader token, a signed-in moderator); 0 turns that group off. Comment
submission keeps its own knob, ``PARLEY_SUBMIT_RATE`` (``settings.web``).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader


@dataclass(frozen=True)
class LimitSettings:
    # Moderation actions, bans, roles, webhooks: API and dashboard.
    moderate_per_minute: int = 300
    # Sign-in popups and callbacks, logout: what a password-guessing or token-minting loop hits.
    signin_per_minute: int = 30
    # Every other write: reply subscriptions, unsubscribe links.
    write_per_minute: int = 60


def parse_limits(reader: EnvReader) -> LimitSettings:
    integer = reader.integer
    return LimitSettings(
        moderate_per_minute=integer(
            "PARLEY_RATE_LIMIT_MODERATE", LimitSettings.moderate_per_minute, 0
        ),
        signin_per_minute=integer("PARLEY_RATE_LIMIT_SIGNIN", LimitSettings.signin_per_minute, 0),
        write_per_minute=integer("PARLEY_RATE_LIMIT_WRITE", LimitSettings.write_per_minute, 0),
    )
