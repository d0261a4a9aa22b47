"""The widget's HTTP side without a browser: scripts, the event stream, settings, the demo."""

from __future__ import annotations

import gzip
import re
from dataclasses import replace

import pytest

from service.settings import Settings, SettingsError
from service.settings.widget import WidgetSettings
from tests.support.apps import build_app

# What a page that embeds the widget downloads, gzipped, must stay under this (issue 4).
BUDGET_BYTES = 25 * 1024


@pytest.fixture
def settings(settings):
    # Streams end after a second, so a test can read one to its end.
    return settings.overridden(widget=WidgetSettings(1, 1))


@pytest.mark.parametrize("name", ["embed.js", "count.js"])
def test_scripts_are_served_gzipped_cacheable_and_within_budget(client, name):
    response = client.get(f"/{name}", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "text/javascript"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert len(response.data) < BUDGET_BYTES
    text = gzip.decompress(response.data).decode()
    assert "__PARLEY_CSS__" not in text
    if name == "embed.js":
        assert ":host" in text and "--parley-accent" in text  # the styles travel inside
    again = client.get(
        f"/{name}", headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    plain = client.get(f"/{name}")
    assert "Content-Encoding" not in plain.headers and plain.data.decode() == text


def test_event_stream_replays_what_a_reconnecting_widget_missed(post, drain, client):
    first = post("First, seen before the reconnect.").get_json()["comment"]["id"]
    second = post("Second, published while away.").get_json()["comment"]["id"]
    drain()

    response = client.get(
        "/api/v1/threads/events?site=demo&thread=/posts/hello",
        headers={"Last-Event-ID": str(first)},
    )
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache, no-transform"
    text = response.get_data(as_text=True)  # the stream ends after its one-second lifetime
    assert text.startswith("retry: 2000\n")
    assert text.count("event: comment\n") == 1
    assert f"id: {second}\n" in text and "Second, published while away." in text
    assert "First, seen before" not in text


def test_event_stream_for_an_unknown_site_is_a_json_404(client):
    response = client.get("/api/v1/threads/events?site=nope&thread=/x")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_demo_page_embeds_the_widget_from_this_server(client, settings):
    response = client.get("/demo?lang=ja&theme=dark")
    html = response.get_data(as_text=True)
    # The script tags carry this response's CSP nonce (service/security_headers.py).
    nonce = re.search(r"script-src 'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]
    assert (
        f'<script nonce="{nonce}" src="{settings.web.base_url}/embed.js" data-parley-site="demo"'
        in html
    )
    assert '<html lang="ja" data-theme="dark">' in html
    hostile = client.get('/demo?lang="><script>alert(1)</script>&theme=<b>').get_data(as_text=True)
    assert "<script>alert" not in hostile and '<html lang="en">' in hostile


def test_widget_settings_default_to_the_next_port_and_report_every_problem():
    key = {"PARLEY_SECRET_KEY": "k"}
    # Raises on any problem, so reaching the assert means there were none.
    value = Settings.from_env({**key, "PARLEY_PORT": "9000"}).widget
    assert (value.demo_port, value.demo_origin) == (9001, "http://localhost:9001")
    with pytest.raises(SettingsError) as error:
        Settings.from_env(
            {
                **key,
                "PARLEY_SSE_LIFETIME": "soon",
                "PARLEY_SSE_HEARTBEAT": "0",
                "PARLEY_DEMO_ORIGIN": "ftp://x/y",
            }
        )
    problems = error.value.problems
    assert len(problems) == 3
    assert any("PARLEY_SSE_LIFETIME" in p for p in problems)


def test_demo_is_not_served_in_production(settings):
    app = build_app(replace(settings, env="production"))
    try:
        response = app.test_client().get("/demo")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    finally:
        app.extensions["parley"].close()
