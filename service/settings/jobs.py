"""The RQ queue: its name, each job's timeout and retries, and the sweeper's pace."""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader


@dataclass(frozen=True)
class JobSettings:
    queue: str = "parley"
    timeout_seconds: int = 60
    retries: int = 3
    retry_intervals: tuple[int, ...] = (1, 5, 30)
    # How long a comment may stay pending before the sweeper looks at its job.
    sweep_after_seconds: int = 30
    sweep_interval_seconds: int = 15


def parse_jobs(reader: EnvReader) -> JobSettings:
    integer = reader.integer
    return JobSettings(
        queue=reader.text("PARLEY_QUEUE", JobSettings.queue),
        timeout_seconds=integer("PARLEY_JOB_TIMEOUT", JobSettings.timeout_seconds, 1),
        retries=integer("PARLEY_JOB_RETRIES", JobSettings.retries),
        retry_intervals=reader.seconds_list(
            "PARLEY_JOB_RETRY_INTERVALS", JobSettings.retry_intervals
        ),
        sweep_after_seconds=integer("PARLEY_SWEEP_AFTER", JobSettings.sweep_after_seconds),
        sweep_interval_seconds=integer(
            "PARLEY_SWEEP_INTERVAL", JobSettings.sweep_interval_seconds, 1
        ),
    )
