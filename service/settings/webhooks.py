"""Webhook deliveries: how long one may take, when a failed one is tried again,
and whether a webhook may reach private addresses (intranet installs)."""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader


@dataclass(frozen=True)
class WebhookSettings:
    timeout_seconds: float = 10.0
    retry_intervals: tuple[int, ...] = (10, 60, 300, 1800)
    # Loopback and private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are
    # refused unless the operator says the receivers are on their own network.
    allow_private: bool = False


def parse_webhooks(reader: EnvReader) -> WebhookSettings:
    return WebhookSettings(
        retry_intervals=reader.seconds_list(
            "PARLEY_WEBHOOK_RETRY_INTERVALS", WebhookSettings.retry_intervals
        ),
        allow_private=reader.integer("PARLEY_WEBHOOK_ALLOW_PRIVATE", 0, low=0, high=1) == 1,
    )
