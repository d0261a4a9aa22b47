"""What operators watch: the metrics endpoint and port, and the log format."""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader

LOG_FORMATS = ("text", "json")


@dataclass(frozen=True)
class OperationsSettings:
    # GET /metrics wants "Authorization: Bearer <token>" when set; without one it answers only
    # requests from loopback and private addresses (a scraper inside the cluster).
    metrics_token: str = ""
    # The worker and the sweeper serve their metrics on this port (0: they do not).
    metrics_port: int = 0
    # "json": one JSON object per log line (request id, route, status, duration).
    log_format: str = "text"


def parse_operations(reader: EnvReader) -> OperationsSettings:
    log_format = reader.text("PARLEY_LOG_FORMAT", "text").strip().lower()
    if log_format not in LOG_FORMATS:
        reader.problems.append(f"PARLEY_LOG_FORMAT must be text or json, not {log_format!r}")
        log_format = "text"
    return OperationsSettings(
        metrics_token=reader.text("PARLEY_METRICS_TOKEN").strip(),
        metrics_port=reader.integer("PARLEY_METRICS_PORT", 0, low=0, high=65535),
        log_format=log_format,
    )
