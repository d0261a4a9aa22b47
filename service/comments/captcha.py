"""Cloudflare Turnstile or hCaptcha as the challenge (``settings.captcha``), checked on the server.

Both speak the same siteverify protocol: a form-encoded POST of ``secret``, ``response`` (the
token the provider's widget gave the reader), ``remoteip`` and, for hCaptcha, ``sitekey``;
the answer is JSON with ``success`` and ``error-codes`` (``timeout-or-duplicate``: expired or
already verified). Fail-closed: a provider that times out, errors or answers something else
lets nothing in; the comment is refused with a 403 saying so (``challenge: "unavailable"``),
and the widget keeps the reader's text so they can try again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from service.settings.captcha import CaptchaSettings

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)


class CaptchaUnavailable(Exception):
    """The provider gave no usable answer (network, timeout, HTTP error, not JSON)."""


def verify_token(
    config: CaptchaSettings,
    token: str,
    remote_ip: str | None,
    http: requests.Session | None = None,
) -> tuple[bool, list[str]]:
    """(success, error codes) from the provider's siteverify endpoint."""
    import requests  # on first use: only sites with a remote captcha need it

    form = {"secret": config.secret, "response": token}
    if remote_ip:
        form["remoteip"] = remote_ip
    if config.provider == "hcaptcha":
        form["sitekey"] = config.site_key
    try:
        response = (http or requests).post(
            config.verify_url, data=form, timeout=config.timeout, allow_redirects=False
        )
    except requests.RequestException as error:
        log.warning("captcha: %s siteverify failed: %s", config.provider, type(error).__name__)
        raise CaptchaUnavailable(type(error).__name__) from error
    if response.status_code != 200:
        log.warning("captcha: %s siteverify HTTP %s", config.provider, response.status_code)
        raise CaptchaUnavailable(f"HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as error:
        raise CaptchaUnavailable("not JSON") from error
    if not isinstance(answer, dict) or not isinstance(answer.get("success"), bool):
        raise CaptchaUnavailable("no success field")
    codes = answer.get("error-codes") or []
    codes = [str(code)[:60] for code in codes] if isinstance(codes, list) else []
    if not answer["success"] and any("secret" in code for code in codes):
        # Our configuration is wrong, not the reader's answer: say so to the operator.
        log.error("captcha: %s rejects the configured secret: %s", config.provider, codes)
        raise CaptchaUnavailable("bad secret")
    return answer["success"], codes
