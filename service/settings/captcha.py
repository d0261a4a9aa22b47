"""A third-party challenge in place of the self-hosted ALTCHA, optional: Cloudflare Turnstile or
hCaptcha, off unless both of one provider's keys are set.

- ``PARLEY_TURNSTILE_SITE_KEY`` and ``PARLEY_TURNSTILE_SECRET``: Cloudflare Turnstile.
- ``PARLEY_HCAPTCHA_SITE_KEY`` and ``PARLEY_HCAPTCHA_SECRET``: hCaptcha.
- ``PARLEY_CAPTCHA_VERIFY_URL``: the provider's siteverify endpoint (default: the provider's
  own; tests point it at a local server).
- ``PARLEY_CAPTCHA_TIMEOUT``: seconds per siteverify call (default 3).

One provider at most: keys of both, or a site key without its secret, are configuration errors.
Which comments need a challenge is still each site's ``challenge`` policy; the provider only
replaces how a reader proves it (service/comments/challenge.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.envvars import EnvReader

# Per provider: the siteverify endpoint, the script the widget loads, and the origins a host
# page's Content-Security-Policy must allow for it (script, frame, style, connect).
PROVIDERS: dict[str, dict[str, str]] = {
    "turnstile": {
        "verify_url": "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        "script_url": "https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit",
        "origins": "https://challenges.cloudflare.com",
    },
    "hcaptcha": {
        "verify_url": "https://api.hcaptcha.com/siteverify",
        "script_url": "https://js.hcaptcha.com/1/api.js?render=explicit&recaptchacompat=off",
        "origins": "https://hcaptcha.com https://*.hcaptcha.com",
    },
}


@dataclass(frozen=True)
class CaptchaSettings:
    provider: str  # "turnstile" or "hcaptcha"
    site_key: str
    secret: str = field(repr=False)  # never in a log line or traceback
    verify_url: str
    timeout: float = 3.0

    @property
    def script_url(self) -> str:
        return PROVIDERS[self.provider]["script_url"]

    @property
    def origins(self) -> str:
        """The provider's origins, space-separated, as a CSP source list."""
        return PROVIDERS[self.provider]["origins"]


def parse_captcha(reader: EnvReader) -> CaptchaSettings | None:
    """None when no provider is configured."""
    chosen: list[tuple[str, str, str]] = []
    for provider, prefix in (("turnstile", "PARLEY_TURNSTILE"), ("hcaptcha", "PARLEY_HCAPTCHA")):
        site_key = reader.text(f"{prefix}_SITE_KEY").strip()
        secret = reader.text(f"{prefix}_SECRET").strip()
        if bool(site_key) != bool(secret):
            reader.problems.append(f"{prefix}_SITE_KEY and {prefix}_SECRET must be set together")
        elif site_key:
            chosen.append((provider, site_key, secret))
    if len(chosen) > 1:
        reader.problems.append("set the keys of one challenge provider (Turnstile or hCaptcha)")
    if len(chosen) != 1:
        return None
    provider, site_key, secret = chosen[0]
    return CaptchaSettings(
        provider=provider,
        site_key=site_key,
        secret=secret,
        verify_url=reader.http_url("PARLEY_CAPTCHA_VERIFY_URL", PROVIDERS[provider]["verify_url"]),
        timeout=reader.seconds("PARLEY_CAPTCHA_TIMEOUT", CaptchaSettings.timeout, high=30.0),
    )
