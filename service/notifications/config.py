"""Settings of the notifications area, read from PARLEY_* variables.

Registered in ``service.settings._features`` as "notifications"; read it with
``notification_settings(settings)``, which also answers for Settings built
without it (tests, scripts): mail off, webhooks on with the default backoff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from service.envvars import EnvReader

SECURITY_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class NotificationSettings:
    # Mail is off unless PARLEY_SMTP_HOST is set.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    # none | starttls | tls (implicit TLS, as on port 465).
    smtp_security: str = "none"
    mail_from: str = "parley@localhost"
    # A spam wave becomes one mail per moderator per window, not one per comment.
    digest_window_seconds: int = 300
    # How long one-click approve/reject links in moderator mail stay valid.
    link_ttl_seconds: int = 72 * 3600
    # At most this many comments get one-click links in one digest.
    digest_max_items: int = 50
    webhook_timeout_seconds: float = 10.0
    webhook_retry_intervals: tuple[int, ...] = (10, 60, 300, 1800)

    @property
    def mail_enabled(self) -> bool:
        return bool(self.smtp_host)


def notification_settings(settings: Any) -> NotificationSettings:
    value = settings.features.get("notifications")
    return value if isinstance(value, NotificationSettings) else NotificationSettings()


def parse_notifications(environ: Mapping[str, str]) -> tuple[NotificationSettings, list[str]]:
    reader = EnvReader(environ)
    problems, get, integer = reader.problems, environ.get, reader.integer
    port = integer("PARLEY_SMTP_PORT", 25, 1)
    # Without an explicit choice, follow the port's convention.
    default_security = {465: "tls", 587: "starttls"}.get(port, "none")
    security = get("PARLEY_SMTP_SECURITY", "") or default_security
    if security not in SECURITY_MODES:
        problems.append(f"PARLEY_SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}")
    user, password = get("PARLEY_SMTP_USER", ""), get("PARLEY_SMTP_PASSWORD", "")
    if bool(user) != bool(password):
        problems.append("PARLEY_SMTP_USER and PARLEY_SMTP_PASSWORD go together")
    host = get("PARLEY_SMTP_HOST", "")
    mail_from = get("PARLEY_MAIL_FROM", "")
    if host and "@" not in mail_from:
        problems.append("PARLEY_MAIL_FROM (an address) is required when PARLEY_SMTP_HOST is set")
    intervals = reader.seconds_list(
        "PARLEY_WEBHOOK_RETRY_INTERVALS", NotificationSettings.webhook_retry_intervals
    )
    value = NotificationSettings(
        smtp_host=host,
        smtp_port=port,
        smtp_user=user,
        smtp_password=password,
        smtp_security=security,
        mail_from=mail_from or NotificationSettings.mail_from,
        digest_window_seconds=integer("PARLEY_MAIL_DIGEST_WINDOW", 300),
        link_ttl_seconds=integer("PARLEY_MAIL_LINK_TTL_HOURS", 72, 1) * 3600,
        webhook_retry_intervals=intervals,
    )
    return value, problems
