"""The worker's metrics hooks: one line each where jobs decide, fail, mail and deliver.

The series are ``service.metrics.Metrics``; these functions only name what happened. Counting
must never fail a job, so each hook swallows its own errors.
"""

from __future__ import annotations

import bisect
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from service.metrics import metrics
from service.models import utcnow

log = logging.getLogger(__name__)


def _quiet(hook: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except Exception:  # a metric is never worth a failed job
            log.debug("metrics hook %s failed", hook.__name__, exc_info=True)
            return None

    return wrapper


def deciding_check(reason: str) -> str:
    """The check a decision's reason names ("link_count: 4 links (+1 more)"), else "policy"."""
    head, sep, _rest = reason.partition(":")
    if sep and head and head.replace("_", "").isalnum() and head == head.lower():
        return head
    return "policy"


@_quiet
def decided(created_at, status: str, reason: str) -> None:
    m = metrics()
    m.decided.labels(str(status), deciding_check(reason)).inc()
    if created_at is not None:
        m.decision_seconds.observe(max(0.0, (utcnow() - created_at).total_seconds()))


def timed_check(check, facts, ctx):
    """Run one check and record how long it took (kept in the process until
    ``flush_check_timings``, at the latest ``FLUSH_S`` later)."""
    started = time.perf_counter()
    try:
        return check(facts, ctx)
    finally:
        _PENDING.setdefault(check.name, []).append(time.perf_counter() - started)
        if time.monotonic() - _flushed[0] >= FLUSH_S:
            flush_check_timings()


# Check timings not yet in the histogram. Every observation of a multiprocess histogram
# writes its memory-mapped file twice under a lock (~5 % of the worker's CPU with one per
# check per comment); a batch's timings go in together, one write per bucket touched.
FLUSH_S = 1.0
_PENDING: dict[str, list[float]] = {}
_flushed = [time.monotonic()]
# Each check's histogram child, looked up once: ``labels()`` costs as much as the
# observation.
_CHECK_TIMERS: dict[str, Any] = {}


@_quiet
def flush_check_timings() -> None:
    """Put the check timings kept so far into ``check_seconds`` (after each batch or job)."""
    _flushed[0] = time.monotonic()
    pending = dict(_PENDING)
    _PENDING.clear()
    for name, values in pending.items():
        timer = _CHECK_TIMERS.get(name)
        if timer is None:
            timer = _CHECK_TIMERS[name] = metrics().check_seconds.labels(name)
        _observe_many(timer, values)


def _observe_many(timer, values: list[float]) -> None:
    """``timer.observe`` of every value, summed per bucket first."""
    bounds = getattr(timer, "_upper_bounds", None)
    buckets = getattr(timer, "_buckets", None)
    total = getattr(timer, "_sum", None)
    if bounds is None or buckets is None or total is None:  # another prometheus_client
        for value in values:
            timer.observe(value)
        return
    counts = [0] * len(bounds)
    for value in values:
        counts[bisect.bisect_left(bounds, value)] += 1
    total.inc(sum(values))
    for index, count in enumerate(counts):
        if count:
            buckets[index].inc(count)


@_quiet
def job_failed(job_name: str, will_retry: bool) -> None:
    m = metrics()
    (m.job_retries if will_retry else m.job_failures).labels(job_name).inc()


@_quiet
def mail_sent(kind: str, count: int, ok: bool = True) -> None:
    if count:
        metrics().mail.labels(kind, "sent" if ok else "failed").inc(count)


@_quiet
def webhook_delivered(ok: bool) -> None:
    metrics().webhooks.labels("delivered" if ok else "failed").inc()


@_quiet
def swept(enqueued: int, held: int) -> None:
    m = metrics()
    m.swept.labels("reenqueued").inc(enqueued)
    m.swept.labels("held").inc(held)
