"""Turnstile in place of ALTCHA, in Chromium, without the internet: Parley is configured with
Turnstile keys and a local siteverify server; the browser is served a stub of Turnstile's
script at its real address (https://challenges.cloudflare.com/..., intercepted by Playwright,
for these tests only), so the demo page's CSP is checked against the real origin. The stub
passes every visitor at once (Turnstile's managed mode for a person), handing out the tokens
the test lists; the local siteverify server decides what each one is worth.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import redis as redis_lib
import sqlalchemy as sa
from playwright.sync_api import expect

from service.models import Comment, Thread
from service.settings import Settings
from service.widget.demo_server import make_server as make_demo_server
from tests.support.apps import SiteSpec, build_app
from tests.support.live_server import free_port, serve_wsgi, serving
from tests.support.stack import FAST_POLICY, Stack, new_thread
from tests.support.workers import worker_process
from tests.widget.test_reader_features import shoot

pytestmark = pytest.mark.browser

SECRET = "0x-widget-secret"
QUIET_GARDEN = "/2014/10/the-quiet-garden"
# Stored: published, or awaiting the worker on a busy machine (the widget waits 8 s at most).
DECIDED = re.compile("published|awaiting moderation")

STUB = """
window.turnstile = {
  render(el, opts) {
    const box = document.createElement("p");
    box.textContent = "Stub Turnstile: verified";
    el.append(box);
    this.opts = opts;
    setTimeout(() => this.pass(), 50);
    return "stub-1";
  },
  reset() { setTimeout(() => this.pass(), 50); },
  pass() { this.opts.callback(window.stubTokens.shift() || "pass-spare"); },
};
"""


class Siteverify(BaseHTTPRequestHandler):
    tokens: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        token = form.get("response", "")
        self.tokens.append(token)
        if token == "boom":
            self.send_error(502)
            return
        ok = form.get("secret") == SECRET and token.startswith("pass-")
        data = json.dumps({"success": ok, "error-codes": [] if ok else ["invalid"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def captcha_stack(redis_url, sqlite_template, tmp_path_factory) -> Iterator[Stack]:
    port, host_port = free_port(), free_port()
    parley = f"http://127.0.0.1:{port}"
    host = f"http://localhost:{host_port}"
    database = tmp_path_factory.mktemp("captcha") / "parley.db"
    shutil.copy(sqlite_template, database)
    redis_db = redis_url.rsplit("/", 1)[0] + "/6"
    redis_lib.Redis.from_url(redis_db).flushdb()
    with ExitStack() as running:
        verify = running.enter_context(
            serving(ThreadingHTTPServer(("127.0.0.1", 0), Siteverify), name="siteverify")
        )
        env = {
            "PARLEY_ENV": "test",
            "PARLEY_SECRET_KEY": "captcha-widget-secret-key",
            "PARLEY_DATABASE_URL": f"sqlite:///{database}",
            "PARLEY_REDIS_URL": redis_db,
            "PARLEY_BASE_URL": parley,
            "PARLEY_PORT": str(port),
            "PARLEY_JOB_RETRY_INTERVALS": "0",
            "PARLEY_SUBMIT_RATE": "0",
            "PARLEY_DEMO_ORIGIN": host,
            "PARLEY_TURNSTILE_SITE_KEY": "1x-widget-site-key",
            "PARLEY_TURNSTILE_SECRET": SECRET,
            "PARLEY_CAPTCHA_VERIFY_URL": f"{verify.url}/siteverify",
        }
        policy = {**FAST_POLICY, "challenge": "always"}
        # Asked only when the first look finds a reason: here, a second comment from one address.
        wary = {**FAST_POLICY, "challenge": "suspicious", "challenge_after": 1}
        sites = [
            SiteSpec("demo", "Demo", (host, parley), policy),
            SiteSpec("wary", "Wary", (host,), wary),
        ]
        app = build_app(Settings.from_env(env), sites)
        stack = Stack(parley, host, app.extensions["parley"], env)
        running.callback(stack.rt.close)
        running.enter_context(serve_wsgi(app, port, name="parley-captcha"))
        running.enter_context(worker_process(env))
        demo = make_demo_server("127.0.0.1", host_port, parley, stack.pages, captcha="turnstile")
        running.enter_context(serving(demo, name="captcha-demo-origin"))
        yield stack


@pytest.fixture
def stub_page(page):
    """The page, with Turnstile's script address answered by the stub; ``page.provider``
    lists the requests that reached it."""
    page.provider = []
    Siteverify.tokens = []

    def answer(route):
        page.provider.append(route.request.url)
        route.fulfill(status=200, content_type="text/javascript", body=STUB)

    page.route("https://challenges.cloudflare.com/**", answer)
    return page


def _fill(widget, body: str) -> None:
    widget.get_by_role("textbox", name="Comment", exact=True).fill(body)
    widget.get_by_role("textbox", name="Name", exact=True).fill("Ada")
    widget.get_by_role("textbox", name="Email (never published)", exact=True).fill(
        "ada@example.com"
    )


def _comments(stack, thread: str) -> int:
    with stack.rt.session() as session:
        return session.scalar(
            sa.select(sa.func.count()).select_from(Comment).join(Thread).where(Thread.key == thread)
        )


def test_turnstile_on_the_demo_page_loads_only_when_needed_and_retries_once(
    captcha_stack, stub_page, tmp_path
):
    page = stub_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script('window.stubTokens = ["boom", "pass-demo"];')
    page.goto(f"{captcha_stack.host}/the-quiet-garden")
    widget = page.locator("#parley")
    expect(widget.locator(".empty")).to_be_visible()  # the thread page has come
    # Nothing from the provider until the reader starts writing.
    assert page.provider == []
    _fill(widget, "A quiet garden behind a stub Turnstile.")
    expect(widget.locator(".parley-captcha")).to_contain_text("verified")
    assert len(page.provider) == 1 and "/turnstile/v0/api.js" in page.provider[0]
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator(".outcome")).to_have_text(DECIDED, timeout=20_000)
    # The first token met a provider error (403 "unavailable"); the widget asked the provider
    # for a new one and sent the comment again, once.
    assert Siteverify.tokens == ["boom", "pass-demo"]
    assert _comments(captcha_stack, QUIET_GARDEN) == 1
    assert errors == []  # the demo page's CSP let the provider's script in
    shoot(page, tmp_path, "reader-captcha.png")


def test_when_the_provider_stays_down_the_reader_keeps_their_text(captcha_stack, stub_page):
    page = stub_page
    thread = new_thread("captcha-down")
    page.add_init_script('window.stubTokens = ["boom", "boom"];')
    page.goto(captcha_stack.article(thread))
    widget = page.locator("#parley")
    body = "Nothing a reader writes is lost."
    _fill(widget, body)
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator(".error").filter(has_text="anti-spam check")).to_be_visible()
    expect(widget.get_by_role("textbox", name="Comment", exact=True)).to_have_value(body)
    assert Siteverify.tokens == ["boom", "boom"]
    assert _comments(captcha_stack, thread) == 0
    # The provider is back: the same click posts it.
    page.evaluate('window.stubTokens.push("pass-back")')
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator(".outcome")).to_have_text(DECIDED, timeout=20_000)
    assert _comments(captcha_stack, thread) == 1


def test_under_suspicion_only_the_suspected_post_meets_the_provider(captcha_stack, stub_page):
    page = stub_page
    thread = new_thread("captcha-suspicious")
    page.add_init_script('window.stubTokens = ["pass-suspected"];')
    page.goto(captcha_stack.article(thread, site="wary"))
    widget = page.locator("#parley")
    expect(widget.locator(".empty")).to_be_visible()
    _fill(widget, "A first comment: nothing suspicious.")
    widget.get_by_role("button", name="Post Comment").click()
    expect(widget.locator(".outcome")).to_have_text(DECIDED, timeout=20_000)
    # Nobody was shown a box, and the provider's script was never loaded.
    assert page.provider == [] and Siteverify.tokens == []
    expect(widget.locator(".parley-captcha")).to_have_count(0)
    # A second comment from the same address is "busy": the server asks, the widget loads
    # the provider, gets a token and sends the comment again.
    widget.get_by_role("textbox", name="Comment", exact=True).fill("And a second one.")
    widget.get_by_role("button", name="Post Comment").click()
    # Accepted: the widget empties the box once the comment is stored.
    expect(widget.get_by_role("textbox", name="Comment", exact=True)).to_have_value("")
    assert len(page.provider) == 1 and Siteverify.tokens == ["pass-suspected"]
    with captcha_stack.rt.session() as session:
        asked = session.scalars(
            sa.select(Comment.client).join(Thread).where(Thread.key == thread).order_by(Comment.id)
        ).all()
    assert [c.get("challenge") for c in asked] == [None, ["busy"]]
