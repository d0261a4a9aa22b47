"""Akismet, optional: settings and a small client for its REST API (v1.1).

Off unless ``PARLEY_AKISMET_KEY`` is set. Registered in
``service.settings._features`` as "akismet"; read it with
``akismet_settings(settings)`` (None when off).

- ``PARLEY_AKISMET_KEY``: the API key.
- ``PARLEY_AKISMET_URL``: the API root (default ``https://rest.akismet.com/1.1``;
  tests point it at a local server).
- ``PARLEY_AKISMET_BLOG``: the ``blog`` field, the front page of the site
  (default: ``PARLEY_BASE_URL``).
- ``PARLEY_AKISMET_TIMEOUT``: seconds per call (default 3).

Protocol (https://akismet.com/developers/detailed-docs/): form-encoded POSTs
to ``comment-check`` (body ``true`` = spam, ``false`` = ham, anything else is
an error, explained in the ``X-akismet-debug-help`` header),
``submit-spam`` and ``submit-ham``. The key travels as the ``api_key`` field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

DEFAULT_URL = "https://rest.akismet.com/1.1"


@dataclass(frozen=True)
class AkismetSettings:
    key: str
    url: str = DEFAULT_URL
    blog: str = ""
    timeout: float = 3.0


class AkismetError(Exception):
    """Akismet could not give an answer (network, timeout, bad key, bad reply)."""


def parse_akismet(environ: Mapping[str, str]) -> tuple[AkismetSettings | None, list[str]]:
    key = environ.get("PARLEY_AKISMET_KEY", "").strip()
    if not key:
        return None, []
    problems = []
    raw_timeout = environ.get("PARLEY_AKISMET_TIMEOUT", "3")
    try:
        timeout = float(raw_timeout)
        if not 0 < timeout <= 60:
            raise ValueError
    except ValueError:
        problems.append(f"PARLEY_AKISMET_TIMEOUT must be seconds in (0, 60], not {raw_timeout!r}")
        timeout = 3.0
    url = environ.get("PARLEY_AKISMET_URL", DEFAULT_URL).rstrip("/")
    if not url.startswith(("http://", "https://")):
        problems.append(f"PARLEY_AKISMET_URL must be an http(s) URL, not {url!r}")
    blog = environ.get("PARLEY_AKISMET_BLOG") or environ.get("PARLEY_BASE_URL", "")
    return AkismetSettings(key=key, url=url, blog=blog, timeout=timeout), problems


def akismet_settings(settings: Any) -> AkismetSettings | None:
    value = getattr(settings, "features", {}).get("akismet")
    return value if isinstance(value, AkismetSettings) else None


class Akismet:
    def __init__(self, config: AkismetSettings, session: requests.Session | None = None):
        self.config = config
        self.http = session or requests.Session()

    def _post(self, method: str, fields: Mapping[str, str | None]) -> requests.Response:
        data = {k: v for k, v in fields.items() if v}
        data["api_key"] = self.config.key
        data.setdefault("blog", self.config.blog)
        try:
            response = self.http.post(
                f"{self.config.url}/{method}", data=data, timeout=self.config.timeout
            )
        except requests.RequestException as error:
            raise AkismetError(f"{method}: {type(error).__name__}") from error
        if response.status_code != 200:
            raise AkismetError(f"{method}: HTTP {response.status_code}")
        return response

    def comment_check(self, fields: Mapping[str, str | None]) -> tuple[bool, bool]:
        """(is_spam, blatant): blatant when Akismet says the comment may be discarded."""
        response = self._post("comment-check", fields)
        answer = response.text.strip()
        if answer not in ("true", "false"):
            help_text = response.headers.get("X-akismet-debug-help", answer[:100])
            raise AkismetError(f"comment-check: {help_text}")
        blatant = response.headers.get("X-akismet-pro-tip", "") == "discard"
        return answer == "true", blatant

    def submit(self, spam: bool, fields: Mapping[str, str | None]) -> None:
        """Tell Akismet it was wrong (or right): submit-spam / submit-ham."""
        self._post("submit-spam" if spam else "submit-ham", fields)
