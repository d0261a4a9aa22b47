"""A bounded wait for conditions nothing announces (a row's status, a subscriber, the clock)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float, interval: float = 0.05) -> T:
    """Return ``predicate()``'s first truthy value; its last value once ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not (value := predicate()) and time.monotonic() < deadline:
        time.sleep(interval)
    return value
