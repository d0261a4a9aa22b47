"""Settings: the one reader of PARLEY_* environment variables.

``Settings.from_env`` is called once by whoever builds the app or the worker;
everything else receives the resulting object. It collects every problem and
raises one ``SettingsError`` that lists them all, so an operator fixes a bad
deployment in one go rather than one variable per restart.
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

DEFAULT_DATA_DIR = Path("instance")


class SettingsError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  - " + "\n  - ".join(problems))


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    secret_key: str = ""
    database_url: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    base_url: str = "http://127.0.0.1:8000"
    port: int = 8000
    data_dir: Path = DEFAULT_DATA_DIR
    queue_name: str = "parley"
    # How long a comment may stay pending before the sweeper looks at its job.
    sweep_after_seconds: int = 30
    sweep_interval_seconds: int = 15
    job_timeout_seconds: int = 60
    job_retries: int = 3
    job_retry_intervals: tuple[int, ...] = (1, 5, 30)
    max_wait_seconds: int = 10
    max_body_chars: int = 10_000
    page_size: int = 50
    # Rate limit per client IP on comment submission, per minute (0 = off).
    submit_rate_per_minute: int = 30
    # Reverse proxies in front of the web process (X-Forwarded-For hops to trust).
    proxy_hops: int = 0
    # Extra settings contributed by feature areas (auth providers, SMTP, ...),
    # still read only here; see ``_features``.
    features: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        problems: list[str] = []
        get = environ.get

        env = get("PARLEY_ENV", "development")
        if env not in ("development", "production", "test"):
            problems.append(f"PARLEY_ENV must be development, production or test, not {env!r}")

        secret_key = get("PARLEY_SECRET_KEY", "")
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

        reader = EnvReader(environ)
        integer = reader.integer

        port = integer("PARLEY_PORT", 8000, 1)
        data_dir = Path(get("PARLEY_DATA_DIR", str(DEFAULT_DATA_DIR)))
        database_url = (
            get("PARLEY_DATABASE_URL") or f"sqlite:///{(data_dir / 'parley.db').resolve()}"
        )
        if not database_url.startswith(("sqlite", "postgresql")):
            problems.append("PARLEY_DATABASE_URL must be a sqlite:// or postgresql:// URL")

        intervals = reader.seconds_list("PARLEY_JOB_RETRY_INTERVALS", (1, 5, 30))

        features, feature_problems = _features(environ)
        problems.extend(feature_problems)

        settings = cls(
            env=env,
            secret_key=secret_key,
            database_url=database_url,
            redis_url=get("PARLEY_REDIS_URL", cls.redis_url),
            base_url=get("PARLEY_BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            port=port,
            data_dir=data_dir,
            queue_name=get("PARLEY_QUEUE", cls.queue_name),
            sweep_after_seconds=integer("PARLEY_SWEEP_AFTER", cls.sweep_after_seconds),
            sweep_interval_seconds=integer("PARLEY_SWEEP_INTERVAL", cls.sweep_interval_seconds, 1),
            job_timeout_seconds=integer("PARLEY_JOB_TIMEOUT", cls.job_timeout_seconds, 1),
            job_retries=integer("PARLEY_JOB_RETRIES", cls.job_retries),
            job_retry_intervals=intervals,
            max_wait_seconds=integer("PARLEY_MAX_WAIT", cls.max_wait_seconds, 0),
            submit_rate_per_minute=integer("PARLEY_SUBMIT_RATE", cls.submit_rate_per_minute),
            proxy_hops=integer("PARLEY_PROXY_HOPS", 0),
            features=features,
        )
        problems.extend(reader.problems)
        if problems:
            raise SettingsError(problems)
        return settings

    @classmethod
    def for_tests(cls, **overrides: Any) -> Settings:
        """Settings with no environment involved, for tests and scripts."""
        base = cls(env="test", secret_key="test-secret-key-not-for-production")
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        return replace(base, **overrides)


def _features(environ: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Settings of feature areas, each read by its own parser next to its code.

    A parser is ``parse(environ) -> (value, problems)``; its value is kept at
    ``settings.features[name]``. Add one line here per feature area.
    """
    from service.akismet import parse_akismet
    from service.auth.config import parse_auth
    from service.notifications.config import parse_notifications
    from service.widget.config import parse_widget

    parsers: dict[str, Any] = {
        "akismet": parse_akismet,
        "auth": parse_auth,
        "notifications": parse_notifications,
        "widget": parse_widget,
    }
    features: dict[str, Any] = {}
    problems: list[str] = []
    for name, parse in parsers.items():
        value, errors = parse(environ)
        features[name] = value
        problems.extend(errors)
    return features, problems
