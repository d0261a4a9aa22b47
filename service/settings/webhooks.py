"""Webhook deliveries: how long one may take and when a failed one is tried again."""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader


@dataclass(frozen=True)
class WebhookSettings:
    timeout_seconds: float = 10.0
    retry_intervals: tuple[int, ...] = (10, 60, 300, 1800)


def parse_webhooks(reader: EnvReader) -> WebhookSettings:
    return WebhookSettings(
        retry_intervals=reader.seconds_list(
            "PARLEY_WEBHOOK_RETRY_INTERVALS", WebhookSettings.retry_intervals
        ),
    )
