"""How long a long-lived process waits before it tries an unavailable dependency again."""

from __future__ import annotations

from collections.abc import Iterator


def delays(first: float = 1.0, most: float = 30.0) -> Iterator[float]:
    """1, 2, 4, … seconds, at most ``most``: quick after a blip, gentle during an outage."""
    delay = first
    while True:
        yield delay
        delay = min(most, delay * 2)
