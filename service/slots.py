"""Caps on requests that hold a web thread while they wait: live streams and long polls.

Each open event stream and each ``?wait=`` holds one of the web process's
threads. Without a cap one client with a few hundred idle sockets takes them
all and the JSON API (and ``/healthz``) stops answering. So a process lends at
most ``total`` threads to waiting, at most ``per_client`` of them to one
client address; past that the request is refused at once (429 for one
client's excess, 503 when the process has none to lend), in the error shape.

The cap is per process because threads are: with N web processes the site
holds N times as many. It holds whatever serves the streams.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from service.errors import ApiError


class Slots:
    def __init__(self, total: int, per_client: int) -> None:
        self.total = total
        self.per_client = per_client
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()

    def take(self, client: str, what: str, per_client: int | None = None) -> Callable[[], None]:
        """Take one slot for ``client`` (at most ``per_client``, the cap's own by default);
        returns the function that gives it back (call it once)."""
        with self._lock:
            if self._held[client] >= (per_client or self.per_client):
                raise ApiError(
                    "rate_limited",
                    f"too many open {what} from you; close some and try again",
                    retry_after=5,
                )
            if sum(self._held.values()) >= self.total:
                raise ApiError("unavailable", f"too many open {what} right now; try again shortly")
            self._held[client] += 1
        given_back = threading.Event()

        def give_back() -> None:
            if given_back.is_set():
                return
            given_back.set()
            with self._lock:
                self._held[client] -= 1
                if self._held[client] <= 0:
                    del self._held[client]

        return give_back

    def held(self) -> int:
        with self._lock:
            return sum(self._held.values())
