"""How long a long-lived process waits before it tries an unavailable dependency again."""

from __future__ import annotations

from collections.abc import Iterator


def delays(first: float = 1.0, most: float = 30.0) -> Iterator[float]:
    """1, 2, 4, … seconds, at most ``most``: quick after a blip, gentle during an outage."""
    delay = first
    while True:
        yield delay
        delay = min(most, delay * 2)


class Backoff:
    """The waits of ``delays``, from the first again after ``reset`` (the dependency answered):
    the long waits one outage reached must not make the next one's first retry late."""

    def __init__(self, first: float = 1.0, most: float = 30.0):
        self.first, self.most = first, most
        self.reset()

    def next(self) -> float:
        return next(self._delays)

    def reset(self) -> None:
        self._delays = delays(self.first, self.most)
