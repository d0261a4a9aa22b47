"""What every Server-Sent Events answer shares, readers' and moderators' alike: its
headers, the slot it holds while open, and where a reconnecting browser resumes."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Response, request

from service.runtime import Runtime
from service.schemas import DB_INT_MAX
from service.widget.hub import HUB_ENVIRON_KEY


def event_stream(chunks: Iterable[str], *, private: bool = False) -> Response:
    response = Response(chunks, mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache, no-transform" + (", private" if private else "")
    # nginx buffers proxied responses unless told not to; events must leave at once.
    response.headers["X-Accel-Buffering"] = "no"
    return response


def open_stream(
    rt: Runtime, after: int | None
) -> tuple[Callable | None, Callable[[], None], int | None]:
    """Take a stream slot for this address and read where the browser resumes.

    Returns the stream hub's ``adopt`` (None when this process has no hub and the
    stream holds a thread of its own), the slot's ``give_back``, and the id to resume
    after: the later of ``?after=`` and the browser's ``Last-Event-ID``.
    """
    adopt = request.environ.get(HUB_ENVIRON_KEY)
    slots = rt.streams if adopt is not None else rt.waiting
    give_back = slots.take(request.remote_addr or "", "live streams")
    last_event = request.headers.get("Last-Event-ID", "").strip()
    # Any header is hostile: only a plain id the database could hold counts.
    if last_event.isascii() and last_event.isdigit() and int(last_event) <= DB_INT_MAX:
        after = max(after or 0, int(last_event))
    return adopt, give_back, after
