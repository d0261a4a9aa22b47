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
    # gunicorn's access log, one line per request on stdout (text format only; JSON mode logs
    # each request from the app). "off" saves the line's formatting and its write on every
    # request (bench/README.md); the request metrics (GET /metrics) still count every request.
    access_log: bool = True


def parse_operations(reader: EnvReader) -> OperationsSettings:
    log_format = reader.text("PARLEY_LOG_FORMAT", "text").strip().lower()
    if log_format not in LOG_FORMATS:
        reader.problems.append(f"PARLEY_LOG_FORMAT must be text or json, not {log_format!r}")
        log_format = "text"
    return OperationsSettings(
        metrics_token=reader.text("PARLEY_METRICS_TOKEN").strip(),
        metrics_port=reader.integer("PARLEY_METRICS_PORT", 0, low=0, high=65535),
        log_format=log_format,
        access_log=_on_off(reader, "PARLEY_ACCESS_LOG", True),
    )


def _on_off(reader: EnvReader, name: str, default: bool) -> bool:
    raw = reader.text(name).strip().lower()
    if not raw:
        return default
    if raw in ("on", "true", "1", "yes"):
        return True
    if raw in ("off", "false", "0", "no"):
        return False
    reader.problems.append(f"{name} must be on or off, not {raw!r}")
    return default
