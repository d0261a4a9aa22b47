"""GET /metrics and the worker's and sweeper's metrics ports, read after a comment's whole
path through real processes: gunicorn with two workers (multiprocess mode), ``parley worker``
forking a work-horse per job, ``parley sweep``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests
from prometheus_client.parser import text_string_to_metric_families

from service.models import Site
from tests.support.live_server import free_port
from tests.support.signin import base_env
from tests.support.waiting import wait_until
from tests.support.workers import sweeper_process, worker_process

ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(found, name: str, **labels) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def names(found) -> set[str]:
    return {name for name, _ in found}


def _get(url: str, **kwargs):
    try:
        return requests.get(url, timeout=5, **kwargs)
    except requests.RequestException:
        return None


def test_metrics_after_a_comments_whole_path(db_url, redis_db_url, rt, site, moderator_token,
                                             tmp_path):  # fmt: skip
    with rt.session() as session:
        session.get(Site, site.id).policy = {"premoderate": True}
        session.commit()
    web_port, worker_port, sweeper_port = free_port(), free_port(), free_port()
    env = {**base_env(db_url, redis_db_url), "PARLEY_WEB_WORKERS": "2"}
    web_env = {
        **os.environ,
        **env,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "web-metrics"),
    }
    log = tmp_path / "web.log"
    with log.open("w") as out:
        web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{web_port}",
             "-c", "python:service.gunicorn_conf", "service.wsgi:app"],
            cwd=ROOT, env=web_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        base = f"http://127.0.0.1:{web_port}"
        try:
            assert wait_until(lambda: (r := _get(f"{base}/healthz")) and r.ok, timeout=60), (
                log.read_text()
            )
            with (
                worker_process({**env, "PARLEY_METRICS_PORT": str(worker_port)}),
                sweeper_process({**env, "PARLEY_METRICS_PORT": str(sweeper_port)}),
            ):
                posted = requests.post(
                    f"{base}/api/v1/comments",
                    json={"site": "demo", "thread": "/posts/metrics",
                          "body": "Counting this one, see https://example.org/a",
                          "author": {"name": "Ada", "email": "ada@example.com"}},
                    timeout=10,
                )  # fmt: skip
                assert posted.status_code == 202, posted.text
                comment_id = posted.json()["comment"]["id"]

                def worker_says():
                    r = _get(f"http://127.0.0.1:{worker_port}/metrics")
                    return r is not None and any(
                        name == "parley_comments_decided_total" and ("status", "held") in labels
                        for (name, labels), v in samples(r.text).items()
                        if v == 1
                    )

                if not wait_until(worker_says, timeout=90):
                    r = _get(f"http://127.0.0.1:{worker_port}/metrics")
                    raise AssertionError(r.text if r is not None else "no worker port")
                worker = samples(_get(f"http://127.0.0.1:{worker_port}/metrics").text)
                sweeper = samples(_get(f"http://127.0.0.1:{sweeper_port}/metrics").text)

            # A moderator approves it through the API (a request of another route); after the
            # worker stopped, so a SIGTERM never lands in the middle of the feedback job.
            approved = requests.post(
                f"{base}/api/v1/moderation/comments/{comment_id}/approve",
                headers={"Authorization": f"Bearer {moderator_token}"},
                timeout=10,
            )
            assert approved.status_code == 200
            # Many requests, so both gunicorn workers answer some: the scrape adds them up.
            for _ in range(20):
                requests.get(f"{base}/healthz", timeout=5)
            web_text = requests.get(f"{base}/metrics", timeout=10).text
        finally:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(20)
    found = samples(web_text)
    assert value(found, "parley_comments_submitted_total") == 1
    route = {"route": "/api/v1/comments", "method": "POST"}
    assert value(found, "parley_http_requests_total", **route, status="202") == 1
    assert value(found, "parley_http_request_duration_seconds_count", **route) == 1
    assert value(found, "parley_http_requests_total", route="/healthz", method="GET",
                 status="200") >= 20  # fmt: skip
    approve = {"route": "/api/v1/moderation/comments/<int:comment_id>/<action>", "method": "POST"}
    assert value(found, "parley_http_requests_total", **approve, status="200") == 1
    assert value(found, "parley_live_streams_open") == 0
    assert value(found, "parley_oldest_pending_age_seconds") == 0
    assert {"parley_jobs_queued", "parley_decision_latency_seconds_count"} <= names(found)

    assert value(worker, "parley_decision_latency_seconds_count") == 1
    # Counted in the forked work-horse, read through the files (the warm-up run counts too).
    assert value(worker, "parley_check_duration_seconds_count", check="link_count") >= 1
    assert value(worker, "parley_check_duration_seconds_count", check="trust") >= 1
    assert value(worker, "parley_webhook_deliveries_total", outcome="delivered") in (None, 0)

    # The sweeper serves what the database knows: the held comment waiting (before approval).
    assert value(sweeper, "parley_queue_depth", status="held", site="demo") == 1
    assert "parley_sweeper_comments_total" in names(sweeper)


def test_metrics_want_the_token_or_an_internal_address(make_app, settings):
    open_app = make_app(settings)
    client = open_app.test_client()
    assert client.get("/metrics").status_code == 200  # loopback
    public = client.get("/metrics", environ_base={"REMOTE_ADDR": "93.184.216.34"})
    assert public.status_code == 403
    assert "PARLEY_METRICS_TOKEN" in public.get_json()["error"]["message"]

    guarded = make_app(settings.overridden(operations={"metrics_token": "s3cret-scrape"}))
    client = guarded.test_client()
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    right = client.get(
        "/metrics",
        headers={"Authorization": "Bearer s3cret-scrape"},
        environ_base={"REMOTE_ADDR": "93.184.216.34"},
    )
    assert right.status_code == 200
    assert right.mimetype == "text/plain"
    assert "parley_http_requests_total" in right.text
