"""Mail to moderators and readers: the SMTP server, the sender, the digest's pace.

Mail is off unless ``PARLEY_SMTP_HOST`` is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader

SECURITY_MODES = ("none", "starttls", "tls")


@dataclass(frozen=True)
class MailSettings:
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

    @property
    def enabled(self) -> bool:
        return bool(self.smtp_host)


def parse_mail(reader: EnvReader) -> MailSettings:
    problems, text, integer = reader.problems, reader.text, reader.integer
    port = integer("PARLEY_SMTP_PORT", MailSettings.smtp_port, 1)
    # Without an explicit choice, follow the port's convention.
    security = text("PARLEY_SMTP_SECURITY", {465: "tls", 587: "starttls"}.get(port, "none"))
    if security not in SECURITY_MODES:
        problems.append(f"PARLEY_SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}")
    user, password = text("PARLEY_SMTP_USER"), text("PARLEY_SMTP_PASSWORD")
    if bool(user) != bool(password):
        problems.append("PARLEY_SMTP_USER and PARLEY_SMTP_PASSWORD go together")
    host = text("PARLEY_SMTP_HOST")
    mail_from = text("PARLEY_MAIL_FROM")
    if host and "@" not in mail_from:
        problems.append("PARLEY_MAIL_FROM (an address) is required when PARLEY_SMTP_HOST is set")
    return MailSettings(
        smtp_host=host,
        smtp_port=port,
        smtp_user=user,
        smtp_password=password,
        smtp_security=security,
        mail_from=mail_from or MailSettings.mail_from,
        digest_window_seconds=integer(
            "PARLEY_MAIL_DIGEST_WINDOW", MailSettings.digest_window_seconds
        ),
        link_ttl_seconds=integer("PARLEY_MAIL_LINK_TTL_HOURS", 72, 1) * 3600,
    )
