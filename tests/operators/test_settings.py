"""Settings: one tree of typed sections, read once, every problem reported at once."""

from __future__ import annotations

import dataclasses

import pytest

from service.settings import Settings, SettingsError
from service.settings.mail import MailSettings


def test_bad_variables_in_different_sections_are_all_reported_in_one_error():
    with pytest.raises(SettingsError) as error:
        Settings.from_env(
            {
                "PARLEY_ENV": "staging",
                "PARLEY_PORT": "eighty",  # web
                "PARLEY_JOB_RETRY_INTERVALS": "1,soon",  # jobs
                "PARLEY_SMTP_SECURITY": "ssl",  # mail
                "PARLEY_WEBHOOK_RETRY_INTERVALS": "-1",  # webhooks
                "PARLEY_SSE_HEARTBEAT": "0",  # widget
                "PARLEY_AKISMET_KEY": "k",  # akismet
                "PARLEY_AKISMET_TIMEOUT": "forever",
                "PARLEY_X_CLIENT_SECRET": "s",  # auth
            }
        )

    problems = error.value.problems
    for variable in (
        "PARLEY_ENV",
        "PARLEY_PORT",
        "PARLEY_JOB_RETRY_INTERVALS",
        "PARLEY_SMTP_SECURITY",
        "PARLEY_WEBHOOK_RETRY_INTERVALS",
        "PARLEY_SSE_HEARTBEAT",
        "PARLEY_AKISMET_TIMEOUT",
        "PARLEY_X_CLIENT_ID",
    ):
        assert sum(p.startswith(variable) for p in problems) == 1, (variable, problems)
    assert len(problems) == 8
    assert all(p in str(error.value) for p in problems)


@pytest.mark.parametrize("url", ["mysql://db/parley", "mssql+pyodbc://db/parley", "parley.db"])
def test_only_sqlite_and_postgresql_databases_are_accepted(url):
    """Code below the settings relies on it (the comment insert's SQL is written for these
    two dialects alone, ``service.comments.submit``)."""
    with pytest.raises(SettingsError, match="PARLEY_DATABASE_URL must be a sqlite:// or"):
        Settings.from_env({"PARLEY_ENV": "test", "PARLEY_DATABASE_URL": url})


def test_each_variable_lands_in_its_section():
    settings = Settings.from_env(
        {
            "PARLEY_SECRET_KEY": "k",
            "PARLEY_PORT": "9000",
            "PARLEY_WEB_WORKERS": "3",
            "PARLEY_WEB_THREADS": "8",
            "PARLEY_PROXY_HOPS": "1",
            "PARLEY_QUEUE": "q",
            "PARLEY_JOB_RETRY_INTERVALS": "2,4",
            "PARLEY_SWEEP_INTERVAL": "7",
            "PARLEY_SMTP_HOST": "mail.example",
            "PARLEY_SMTP_PORT": "587",
            "PARLEY_MAIL_FROM": "p@example.test",
            "PARLEY_WEBHOOK_RETRY_INTERVALS": "5",
            "PARLEY_READER_TOKEN_TTL": "600",
        }
    )

    web, jobs, mail = settings.web, settings.jobs, settings.mail
    assert (web.port, web.base_url, web.workers, web.threads, web.proxy_hops) == (
        9000,
        "http://127.0.0.1:9000",
        3,
        8,
        1,
    )
    assert (jobs.queue, jobs.retry_intervals, jobs.sweep_interval_seconds) == ("q", (2, 4), 7)
    assert mail.enabled and mail.smtp_security == "starttls"
    assert settings.webhooks.retry_intervals == (5,)
    assert settings.auth.reader_token_ttl == 600
    assert settings.widget.demo_port == 9001 and settings.akismet is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.web.port = 1  # type: ignore[misc]


def test_for_tests_overrides_a_whole_section_or_some_of_its_fields():
    mail = MailSettings(smtp_host="mail.example", mail_from="p@example.test")

    settings = Settings.for_tests(mail=mail, web={"base_url": "http://x.test"})

    assert settings.mail is mail
    assert settings.web.base_url == "http://x.test" and settings.web.port == 8000
    assert settings.overridden(web={"port": 1}).web.base_url == "http://x.test"
    with pytest.raises(TypeError, match="unknown settings"):
        Settings.for_tests(base_url="http://x.test")
