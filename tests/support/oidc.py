"""A real OpenID Connect provider for tests, and a way to sign in to it without a browser.

The provider is panva's OpenID-certified ``oidc-provider`` (Node), run from
``tests/support/oidc_provider/server.mjs`` on a free port of 127.0.0.1. The tests share one,
the session fixture ``oidc_provider`` (tests/conftest.py)::

    with run_oidc_provider(clients=[{
        "client_id": "parley",
        "client_secret": "s3cret",
        "redirect_uris": ["http://127.0.0.1:5000/auth/oidc/callback"],
    }]) as provider:
        provider.issuer        # "http://127.0.0.1:<port>"
        provider.metadata_url  # issuer + "/.well-known/openid-configuration"
        callback_url = login_with_requests(requests_session, authorize_url, account="alice")

It grants the authorization code flow only, requires PKCE (S256) from every client, and puts the
``email`` and ``profile`` claims in the id_token as well as the userinfo response. Accounts are
fixed (see ``ACCOUNTS`` in server.mjs): ``alice`` and ``bob`` have verified emails, ``mallory``
claims alice's address unverified, ``nemo`` has no email. Extra ones can be passed as
``accounts={"carol": {"email": ..., "email_verified": True, "name": ...}}``.

``npm ci`` runs on first use when ``node_modules`` is missing or older than the lockfile (it needs
the npm registry once); after that nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
READY_TIMEOUT = 30.0
NPM_CI_TIMEOUT = 300.0


class OIDCProviderError(RuntimeError):
    """The test provider could not be installed or started, or a scripted login went wrong."""


@dataclass
class OIDCProvider:
    issuer: str
    clients: list[dict]
    _process: subprocess.Popen = field(repr=False)
    _output: list[str] = field(default_factory=list, repr=False)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def output(self) -> str:
        """What the provider printed (stdout and stderr), for failure messages."""
        return "".join(self._output)

    def stop(self) -> None:
        """Stop the node process; safe to call more than once."""
        _stop_process(self._process)


def ensure_node_modules(directory: Path = PROVIDER_DIR) -> None:
    """Run ``npm ci`` unless node_modules is already installed from the current lockfile."""
    lockfile = directory / "package-lock.json"
    installed = directory / "node_modules" / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lockfile.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise OIDCProviderError("npm is not on PATH; the OIDC test provider needs Node.js >= 20")
    # Several pytest processes may start at once: one installs, the others wait for it.
    with open(directory / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.exists() and installed.stat().st_mtime >= lockfile.stat().st_mtime:
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=NPM_CI_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise OIDCProviderError(
                f"npm ci failed in {directory}:\n{result.stdout}{result.stderr}"
            )


@contextlib.contextmanager
def run_oidc_provider(
    clients: list[dict], *, accounts: dict[str, dict] | None = None
) -> Iterator[OIDCProvider]:
    """Start the provider on a free loopback port, yield it, and always stop it.

    Each client is oidc-provider client metadata: at least ``client_id`` and ``redirect_uris``,
    usually ``client_secret``; the token endpoint takes ``client_secret_basic`` unless the client
    says otherwise (``"token_endpoint_auth_method": "client_secret_post"``).
    """
    for client in clients:
        if "client_id" not in client or not client.get("redirect_uris"):
            raise ValueError(f"each client needs client_id and redirect_uris: {client!r}")
    node = shutil.which("node")
    if node is None:
        raise OIDCProviderError("node is not on PATH; the OIDC test provider needs Node.js >= 20")
    ensure_node_modules()

    config = json.dumps({"clients": clients, "accounts": accounts or {}})
    process = subprocess.Popen(
        [node, "server.mjs", "--port", "0", "--config", config, "--exit-on-stdin-close"],
        cwd=PROVIDER_DIR,
        stdin=subprocess.PIPE,  # closed by us or by our death: the server then exits
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    ready = threading.Event()
    issuer: list[str] = []

    def pump() -> None:
        # Reads until the process exits, so a chatty provider never blocks on a full pipe.
        for line in process.stdout:
            output.append(line)
            if not ready.is_set() and line.startswith("READY "):
                issuer.append(line.split(None, 1)[1].strip())
                ready.set()
        ready.set()

    reader = threading.Thread(target=pump, name="oidc-provider-output", daemon=True)
    reader.start()
    try:
        if not ready.wait(READY_TIMEOUT):
            raise OIDCProviderError(
                f"OIDC test provider not ready after {READY_TIMEOUT}s:\n{''.join(output)}"
            )
        if not issuer:
            raise OIDCProviderError(
                f"OIDC test provider exited with {process.wait()}:\n{''.join(output)}"
            )
        yield OIDCProvider(issuer=issuer[0], clients=clients, _process=process, _output=output)
    finally:
        _stop_process(process)
        reader.join(timeout=5)
        process.stdout.close()


def _stop_process(process: subprocess.Popen) -> None:
    if process.stdin and not process.stdin.closed:
        with contextlib.suppress(OSError):
            process.stdin.close()
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class _Forms(HTMLParser):
    """Collects each <form>'s id, method, action and named inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "action": attrs.get("action", ""),
                "method": attrs.get("method", "get").lower(),
                "inputs": {},
            }
            self.forms[attrs.get("id", "")] = self._current
        elif tag == "input" and self._current is not None and attrs.get("name"):
            self._current["inputs"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def login_with_requests(
    session: requests.Session, authorize_url: str, account: str = "alice"
) -> str:
    """Sign in as ``account`` and return the redirect to the client's callback, not followed.

    ``authorize_url`` is the full authorization request (as an app's login view redirects to).
    The returned URL carries ``code``, ``state`` and ``iss`` on success, or ``error`` (e.g.
    ``invalid_request`` when the request lacks PKCE) when the provider refused the request.
    ``session`` keeps the provider's cookies, so a second call signs in without the form.
    """
    return _drive(session, authorize_url, form_id="login-form", fields={"login": account})


def cancel_with_requests(session: requests.Session, authorize_url: str) -> str:
    """Press Cancel on the login page; the callback URL carries ``error=access_denied``."""
    return _drive(session, authorize_url, form_id="cancel-form", fields={})


def _drive(session: requests.Session, authorize_url: str, form_id: str, fields: dict) -> str:
    provider_origin = _origin(authorize_url)
    redirect_uri = parse_qs(urlsplit(authorize_url).query).get("redirect_uri", [None])[0]

    def is_callback(url: str) -> bool:
        if redirect_uri is not None:
            return url.split("?", 1)[0].split("#", 1)[0] == redirect_uri
        return _origin(url) != provider_origin

    url, submitted = authorize_url, False
    response = session.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if is_callback(url):
                return url
            response = session.get(url, allow_redirects=False, timeout=10)
            continue
        if response.status_code == 200 and not submitted:
            parser = _Forms()
            parser.feed(response.text)
            form = parser.forms.get(form_id)
            if form is None:
                break
            submitted = True
            url = urljoin(url, form["action"])
            data = {**form["inputs"], **fields}
            response = session.post(url, data=data, allow_redirects=False, timeout=10)
            continue
        break
    raise OIDCProviderError(
        f"scripted sign-in stopped at {url} with HTTP {response.status_code}:\n"
        f"{response.text[:2000]}"
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
