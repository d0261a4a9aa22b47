"""Prometheus metrics: the series, the exposition, and the worker's own port.

Every series is declared once, in ``Metrics``, built on first use (no state at import time).
Under gunicorn (several worker processes) and in the RQ worker (a forked work-horse per job)
the values live in ``PROMETHEUS_MULTIPROC_DIR`` (prometheus-client's multiprocess mode):
``service.gunicorn_conf``, ``parley worker`` and ``parley run`` set it up, and a scrape adds up
every process. What the database knows (queue depth, the oldest pending comment) is read at
scrape time instead of counted.

``GET /metrics`` (``service.metrics_views``, apart so that the worker and the sweeper import no
Flask) wants ``Authorization: Bearer $PARLEY_METRICS_TOKEN`` when that is set, and
otherwise answers only loopback and private addresses (a scraper inside the cluster). The
worker and the sweeper serve theirs on ``PARLEY_METRICS_PORT``.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from service.multiproc import multiprocess

# Submit -> decision, and requests: from a few milliseconds to minutes (a queue backlog).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
CHECK_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)


class Metrics:
    """Every series Parley exports (``parley_*``)."""

    def __init__(self) -> None:
        from prometheus_client import Counter, Gauge, Histogram

        self.requests = Counter(
            "parley_http_requests_total", "HTTP requests by route, method and status",
            ["route", "method", "status"],
        )  # fmt: skip
        self.request_seconds = Histogram(
            "parley_http_request_duration_seconds", "HTTP request latency by route",
            ["route", "method"], buckets=LATENCY_BUCKETS,
        )  # fmt: skip
        self.submitted = Counter(
            "parley_comments_submitted_total", "Comments accepted (committed as pending)"
        )
        self.decided = Counter(
            "parley_comments_decided_total",
            "Comments the worker decided, by status and the check that decided",
            ["status", "check"],
        )
        self.decision_seconds = Histogram(
            "parley_decision_latency_seconds", "From submission to the worker's decision",
            buckets=LATENCY_BUCKETS,
        )  # fmt: skip
        self.check_seconds = Histogram(
            "parley_check_duration_seconds", "Time one check took on one comment", ["check"],
            buckets=CHECK_BUCKETS,
        )  # fmt: skip
        self.job_failures = Counter(
            "parley_job_failures_total", "Jobs that failed after their last retry", ["job"]
        )
        self.job_retries = Counter(
            "parley_job_retries_total", "Failed job attempts that will be retried", ["job"]
        )
        self.live_streams = Gauge(
            "parley_live_streams_open", "Widgets' live-update streams open now",
            multiprocess_mode="livesum",
        )  # fmt: skip
        self.mail = Counter(
            "parley_mail_deliveries_total", "Mail sent, by kind and outcome", ["kind", "outcome"]
        )
        self.swept = Counter(
            "parley_sweeper_comments_total",
            "Pending comments the sweeper re-enqueued or held", ["outcome"],
        )  # fmt: skip
        self.webhooks = Counter(
            "parley_webhook_deliveries_total", "Webhook delivery attempts by outcome", ["outcome"]
        )


_metrics: Metrics | None = None
_building = threading.Lock()


def metrics() -> Metrics:
    global _metrics
    if _metrics is None:
        # Two request threads may get here at once: registering a series twice raises.
        with _building:
            if _metrics is None:
                _metrics = Metrics()
    return _metrics


def registry():
    """What a scrape reads: every process's files in multiprocess mode, else this process."""
    from prometheus_client import REGISTRY, CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    if not multiprocess():
        return REGISTRY
    combined = CollectorRegistry()
    MultiProcessCollector(combined)
    return combined


class DatabaseCollector:
    """Read at scrape time: comments waiting by status and site, the oldest pending one's age,
    and the RQ queue's length."""

    def __init__(self, rt) -> None:
        self.rt = rt

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from service.models import Comment, Site

        depth = GaugeMetricFamily(
            "parley_queue_depth", "Comments waiting, by status (pending, held) and site",
            labels=["status", "site"],
        )  # fmt: skip
        oldest = GaugeMetricFamily(
            "parley_oldest_pending_age_seconds", "Age of the oldest pending comment (0: none)"
        )
        jobs = GaugeMetricFamily("parley_jobs_queued", "Jobs waiting in the RQ queue")
        try:
            with self.rt.session() as session:
                rows = session.execute(
                    sa.select(Site.slug, Comment.status, sa.func.count())
                    .join(Site, Site.id == Comment.site_id)
                    .where(Comment.status.in_(("pending", "held")))
                    .group_by(Site.slug, Comment.status)
                ).all()
                first = session.scalar(
                    sa.select(sa.func.min(Comment.created_at)).where(Comment.status == "pending")
                )
        except sa.exc.SQLAlchemyError:
            return
        for slug, status, count in rows:
            depth.add_metric([status, slug], count)
        yield depth
        if first is not None and first.tzinfo is None:
            from datetime import UTC

            first = first.replace(tzinfo=UTC)
        from service.models import utcnow

        oldest.add_metric([], (utcnow() - first).total_seconds() if first else 0.0)
        yield oldest
        try:
            jobs.add_metric([], self.rt.queue.count)
            yield jobs
        except Exception:  # Redis down: the other series still answer
            return


def exposition(rt=None) -> bytes:
    from prometheus_client import CollectorRegistry, generate_latest

    metrics()  # every series exists (at zero) from the first scrape
    text = generate_latest(registry())
    if rt is not None:
        extra = CollectorRegistry()
        extra.register(DatabaseCollector(rt))
        text += generate_latest(extra)
    return text


def serve_metrics_port(port: int, rt=None) -> None:
    """The worker's and the sweeper's metrics, on their own port (a thread of this process);
    with ``rt``, the database's series too (the sweeper, a single process, serves those)."""
    from prometheus_client import start_http_server

    metrics()
    served = registry()
    if rt is not None:
        served.register(DatabaseCollector(rt))
    start_http_server(port, registry=served)
