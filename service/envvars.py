"""Reading PARLEY_* variables for Settings and the parsers of its sections.

Every problem is collected rather than raised, so an operator who got three
variables wrong learns about all three from one start.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from urllib.parse import urlsplit


class EnvReader:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, name: str, default: str = "") -> str:
        """The variable's value; unset and empty both mean the default."""
        value = self.environ.get(name)
        return default if value is None or value == "" else value

    def integer(self, name: str, default: int, low: int = 0, high: int | None = None) -> int:
        raw = self.text(name).strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.problems.append(f"{name} must be a whole number, not {raw!r}")
            return default
        if value < low or (high is not None and value > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            self.problems.append(f"{name} must be {bounds}, not {value}")
            return default
        return value

    def seconds_list(self, name: str, default: tuple[int, ...]) -> tuple[int, ...]:
        """Comma-separated seconds, such as retry intervals: "1,5,30"."""
        raw = self.text(name)
        if not raw:
            return default
        try:
            values = tuple(int(x) for x in raw.split(",") if x.strip())
        except ValueError:
            values = ()
        if not values or any(v < 0 for v in values):
            self.problems.append(f"{name} must be comma-separated seconds, not {raw!r}")
            return default
        return values

    def seconds(self, name: str, default: float, high: float = 60.0) -> float:
        """A timeout in seconds, in (0, high]."""
        raw = self.text(name).strip()
        value = _number(raw) if raw else default
        if not 0 < value <= high:  # NaN (not a number) fails this too
            self.problems.append(f"{name} must be seconds in (0, {high:g}], not {raw!r}")
            return default
        return value

    def http_url(self, name: str, default: str = "") -> str:
        """An http(s) URL with a host, without its trailing slash; reported when it is not one."""
        value = self.text(name, default).strip().rstrip("/")
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.problems.append(f"{name} must be an http(s) URL, not {value!r}")
        return value


def _number(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        return math.nan
