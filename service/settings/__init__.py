"""Settings: the one reader of PARLEY_* environment variables.

``Settings.from_env`` is called once by whoever builds the app, the worker or
gunicorn's config; everything else receives the resulting object and reads
``settings.<section>.<field>``. Each section is a frozen dataclass in its own
module here, with its defaults and its parser; feature packages import their
section's type from here, never the reverse. Every parser reports into one
``EnvReader``, so an operator who got three variables wrong, in three
sections, learns about all three from one ``SettingsError``.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from service.envvars import EnvReader
from service.settings.akismet import AkismetSettings, parse_akismet
from service.settings.auth import AuthSettings, parse_auth
from service.settings.captcha import CaptchaSettings, parse_captcha
from service.settings.external import (
    ModerationSettings,
    PerspectiveSettings,
    parse_moderation,
    parse_perspective,
)
from service.settings.jobs import JobSettings, parse_jobs
from service.settings.limits import LimitSettings, parse_limits
from service.settings.mail import MailSettings, parse_mail
from service.settings.operations import OperationsSettings, parse_operations
from service.settings.web import WebSettings, parse_web
from service.settings.webhooks import WebhookSettings, parse_webhooks
from service.settings.widget import WidgetSettings, parse_widget

DEFAULT_DATA_DIR = Path("instance")
ENVIRONMENTS = ("development", "production", "test")


class SettingsError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  - " + "\n  - ".join(problems))


def data_dir_of(environ: Mapping[str, str]) -> Path:
    """Where SQLite, Redis data and the dev secret key live (``parley run`` needs it first)."""
    return Path(EnvReader(environ).text("PARLEY_DATA_DIR", str(DEFAULT_DATA_DIR)))


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = ""
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    # SQLite only: FULL syncs the write-ahead log at every commit (a comment answered 202
    # survives a power cut); NORMAL syncs at checkpoints only (an application crash loses
    # nothing, a power cut may lose the last commits), several times the commits per second.
    sqlite_synchronous: str = "full"
    data_dir: Path = DEFAULT_DATA_DIR
    web: WebSettings = field(default_factory=WebSettings)
    jobs: JobSettings = field(default_factory=JobSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)
    widget: WidgetSettings = field(default_factory=WidgetSettings)
    operations: OperationsSettings = field(default_factory=OperationsSettings)
    # None while Akismet is off (no PARLEY_AKISMET_KEY).
    akismet: AkismetSettings | None = None
    # None while each external abuse check is off (no PARLEY_PERSPECTIVE_URL / _MODERATION_URL).
    perspective: PerspectiveSettings | None = None
    moderation: ModerationSettings | None = None
    # None while the challenge is the self-hosted ALTCHA (no Turnstile or hCaptcha keys).
    captcha: CaptchaSettings | None = None

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        reader = EnvReader(os.environ if environ is None else environ)
        problems = reader.problems

        env = reader.text("PARLEY_ENV", cls.env)
        if env not in ENVIRONMENTS:
            problems.append(f"PARLEY_ENV must be development, production or test, not {env!r}")

        secret_key = reader.text("PARLEY_SECRET_KEY")
        if not secret_key:
            if env == "production":
                problems.append("PARLEY_SECRET_KEY is required in production")
            else:
                secret_key = secrets.token_urlsafe(32)
                print(
                    "parley: PARLEY_SECRET_KEY not set; generated a throwaway key "
                    "(sign-ins will not survive a restart)",
                    file=sys.stderr,
                )

        data_dir = data_dir_of(reader.environ)
        database_url = reader.text(
            "PARLEY_DATABASE_URL", f"sqlite:///{(data_dir / 'parley.db').resolve()}"
        )
        if not database_url.startswith(("sqlite", "postgresql")):
            problems.append("PARLEY_DATABASE_URL must be a sqlite:// or postgresql:// URL")

        sqlite_synchronous = reader.text("PARLEY_SQLITE_SYNCHRONOUS", cls.sqlite_synchronous)
        if sqlite_synchronous not in ("full", "normal"):
            problems.append(
                f"PARLEY_SQLITE_SYNCHRONOUS must be full or normal, not {sqlite_synchronous!r}"
            )

        web = parse_web(reader)
        settings = cls(
            env=env,
            secret_key=secret_key,
            database_url=database_url,
            redis_url=reader.text("PARLEY_REDIS_URL", cls.redis_url),
            sqlite_synchronous=sqlite_synchronous,
            data_dir=data_dir,
            web=web,
            jobs=parse_jobs(reader),
            limits=parse_limits(reader),
            auth=parse_auth(reader, production=env == "production"),
            mail=parse_mail(reader),
            webhooks=parse_webhooks(reader),
            widget=parse_widget(reader, port=web.port),
            operations=parse_operations(reader),
            akismet=parse_akismet(reader, base_url=web.base_url),
            perspective=parse_perspective(reader),
            moderation=parse_moderation(reader),
            captcha=parse_captcha(reader),
        )
        if problems:
            raise SettingsError(problems)
        return settings

    @classmethod
    def for_tests(cls, **overrides: Any) -> Settings:
        """Settings with no environment involved, for tests and scripts; see ``overridden``."""
        return cls(env="test", secret_key="test-secret-key-not-for-production").overridden(
            **overrides
        )

    def overridden(self, **overrides: Any) -> Settings:
        """A copy with some values changed.

        A section takes either a whole section object or a mapping of the fields to change
        in the current one: ``overridden(web={"submit_rate_per_minute": 2})``.
        """
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        for name, value in overrides.items():
            if isinstance(value, Mapping):
                overrides[name] = replace(getattr(self, name), **value)
        return replace(self, **overrides)
