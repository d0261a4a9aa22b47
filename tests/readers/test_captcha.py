"""Turnstile or hCaptcha in place of ALTCHA, against a local server speaking their siteverify
protocol: a form-encoded POST of secret, response, remoteip (and hCaptcha's sitekey), answered
with JSON {"success", "error-codes"}. Fail-closed: a provider that errs, stalls or babbles
lets nothing in, and the reader's retry with a fresh token goes through."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import sqlalchemy as sa

from service.models import Comment
from service.settings import Settings, SettingsError
from service.settings.captcha import CaptchaSettings
from tests.support.live_server import serving

SECRET = "0x-test-secret"
SITE_KEY = "1x-test-site-key"


class FakeSiteverify(BaseHTTPRequestHandler):
    """``pass-*`` succeeds once (then timeout-or-duplicate, as the providers do), ``fail`` is
    invalid-input-response, ``stall`` sleeps past the client's timeout, ``boom`` is HTTP 500,
    ``babble`` is not JSON; a wrong secret is invalid-input-secret."""

    calls: list[dict[str, str]] = []
    seen: set[str] = set()

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        self.calls.append(form)
        token = form.get("response", "")
        status, body = 200, None
        if form.get("secret") != SECRET:
            body = {"success": False, "error-codes": ["invalid-input-secret"]}
        elif token == "stall":
            time.sleep(6)  # far past the client's timeout: the delay is the point
            body = {"success": True, "error-codes": []}
        elif token == "boom":
            status, body = 500, {"oops": True}
        elif token == "babble":
            status, body = 200, "<html>maintenance</html>"
        elif token.startswith("pass-") and token not in self.seen:
            self.seen.add(token)
            body = {"success": True, "error-codes": [], "hostname": "localhost"}
        elif token.startswith("pass-"):
            body = {"success": False, "error-codes": ["timeout-or-duplicate"]}
        else:
            body = {"success": False, "error-codes": ["invalid-input-response"]}
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def verify_url() -> Iterator[str]:
    FakeSiteverify.calls = []
    FakeSiteverify.seen = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSiteverify)
    with serving(server, name="siteverify") as live:
        yield f"{live.url}/siteverify"


@pytest.fixture(params=["turnstile", "hcaptcha"])
def provider(request) -> str:
    return request.param


@pytest.fixture
def settings(settings, verify_url, provider):
    # Long enough that a loaded CI box still gets its answers, far short of the stall.
    config = CaptchaSettings(provider, SITE_KEY, SECRET, verify_url, timeout=2.0)
    return settings.overridden(captcha=config)


def _post(post, token=None):
    client = {"render_token": "x", **({"challenge": token} if token else {})}
    return post("A comment behind a third-party challenge.", client=client)


def _count(rt) -> int:
    with rt.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Comment))


def _refusal(answer) -> str:
    assert answer.status_code == 403, answer.get_json()
    error = answer.get_json()["error"]
    assert error["code"] == "forbidden" and error["reasons"] == ["always"]
    return error["challenge"]


def test_a_token_is_checked_with_the_provider_and_spent_once(post, set_policy, rt, provider):
    set_policy(challenge="always")
    assert _refusal(_post(post)) == "required"
    assert FakeSiteverify.calls == []
    assert _post(post, "pass-1").status_code == 202
    (call,) = FakeSiteverify.calls
    assert call["secret"] == SECRET and call["response"] == "pass-1"
    assert call["remoteip"] == "127.0.0.1"
    assert call.get("sitekey") == (SITE_KEY if provider == "hcaptcha" else None)
    # A replay is refused here, without asking the provider again.
    assert _refusal(_post(post, "pass-1")) == "used"
    assert len(FakeSiteverify.calls) == 1
    assert _refusal(_post(post, "fail")) == "invalid"
    assert _count(rt) == 1


def test_the_providers_own_duplicate_verdict_is_a_used_answer(post, set_policy, rt):
    set_policy(challenge="always")
    FakeSiteverify.seen.add("pass-elsewhere")  # verified by another Parley process already
    assert _refusal(_post(post, "pass-elsewhere")) == "used"
    assert _count(rt) == 0


@pytest.mark.parametrize("token", ["stall", "boom", "babble"])
def test_a_provider_that_cannot_answer_lets_nothing_in_and_the_retry_works(
    post, set_policy, rt, token
):
    set_policy(challenge="always")
    started = time.monotonic()
    assert _refusal(_post(post, token)) == "unavailable"
    assert time.monotonic() - started < 5  # the client's timeout, not the provider's stall
    assert _count(rt) == 0
    # Nothing was spent or stored: the reader's retry with a fresh token goes through.
    assert _post(post, "pass-retry").status_code == 202
    assert _count(rt) == 1


def test_a_wrong_secret_is_the_operators_problem_not_the_readers(
    set_policy, rt, settings, make_app
):
    set_policy(challenge="always")
    config = settings.captcha
    wrong = CaptchaSettings(config.provider, SITE_KEY, "wrong", config.verify_url, config.timeout)
    client = make_app(settings.overridden(captcha=wrong), sites=()).test_client()
    answer = client.post(
        "/api/v1/comments",
        json={
            "site": "demo",
            "thread": "/posts/hello",
            "body": "Posted while the secret is wrong.",
            "author": {"name": "Ada", "email": "ada@example.com"},
            "client": {"challenge": "pass-2"},
        },
    )
    assert _refusal(answer) == "unavailable"
    assert _count(rt) == 0


def test_the_thread_page_names_the_provider_for_the_widget(site, listing, provider):
    captcha = listing()["captcha"]
    assert captcha["provider"] == provider and captcha["site_key"] == SITE_KEY
    assert captcha["script"].startswith(
        "https://challenges.cloudflare.com/"
        if provider == "turnstile"
        else "https://js.hcaptcha.com/"
    )


def test_the_demo_page_allows_the_providers_origins_only_then(client, provider):
    csp = client.get("/demo").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    origin = (
        "https://challenges.cloudflare.com" if provider == "turnstile" else "https://*.hcaptcha.com"
    )
    assert directives["script-src"].startswith("'nonce-") and origin in directives["script-src"]
    assert origin in directives["frame-src"]
    assert "unsafe" not in directives["script-src"]


def test_without_keys_the_challenge_stays_altcha_and_the_csp_strict(make_app, listing_settings):
    app = make_app(listing_settings, sites=())
    client = app.test_client()
    csp = client.get("/demo").headers["Content-Security-Policy"]
    assert "cloudflare" not in csp and "hcaptcha" not in csp and "frame-src" not in csp


@pytest.fixture
def listing_settings(settings):
    return settings.overridden(captcha=None)


def test_settings_from_the_environment():
    base = {"PARLEY_ENV": "test", "PARLEY_SECRET_KEY": "k"}
    assert Settings.from_env(base).captcha is None
    turnstile = Settings.from_env(
        {**base, "PARLEY_TURNSTILE_SITE_KEY": "site", "PARLEY_TURNSTILE_SECRET": "secret"}
    ).captcha
    assert turnstile.provider == "turnstile"
    assert turnstile.verify_url == "https://challenges.cloudflare.com/turnstile/v0/siteverify"
    hcaptcha = Settings.from_env(
        {
            **base,
            "PARLEY_HCAPTCHA_SITE_KEY": "site",
            "PARLEY_HCAPTCHA_SECRET": "secret",
            "PARLEY_CAPTCHA_VERIFY_URL": "http://127.0.0.1:9/siteverify",
            "PARLEY_CAPTCHA_TIMEOUT": "2",
        }
    ).captcha
    assert hcaptcha.provider == "hcaptcha" and hcaptcha.verify_url.startswith("http://127.0.0.1")
    assert hcaptcha.timeout == 2
    for broken in (
        {"PARLEY_TURNSTILE_SITE_KEY": "site"},
        {"PARLEY_HCAPTCHA_SECRET": "secret"},
        {
            "PARLEY_TURNSTILE_SITE_KEY": "a",
            "PARLEY_TURNSTILE_SECRET": "b",
            "PARLEY_HCAPTCHA_SITE_KEY": "c",
            "PARLEY_HCAPTCHA_SECRET": "d",
        },
        {
            "PARLEY_TURNSTILE_SITE_KEY": "a",
            "PARLEY_TURNSTILE_SECRET": "b",
            "PARLEY_CAPTCHA_VERIFY_URL": "ftp://nope",
        },
    ):
        with pytest.raises(SettingsError):
            Settings.from_env({**base, **broken})


def test_a_page_may_only_add_https_origins_after_the_nonce():
    from service.security_headers import content_security_policy

    def script_src(value: str) -> str:
        policy = content_security_policy("N", {"script-src": value})
        return dict(d.split(" ", 1) for d in policy.split("; "))["script-src"]

    allowed = "'nonce-{nonce}' https://challenges.cloudflare.com"
    assert script_src(allowed) == "'nonce-N' https://challenges.cloudflare.com"
    for loosened in ("'unsafe-inline'", "'nonce-{nonce}' 'unsafe-inline'", "'nonce-{nonce}' *"):
        assert script_src(loosened) == "'nonce-N'"
