"""Akismet, optional: off unless ``PARLEY_AKISMET_KEY`` is set.

- ``PARLEY_AKISMET_KEY``: the API key.
- ``PARLEY_AKISMET_URL``: the API root (default ``https://rest.akismet.com/1.1``;
  tests point it at a local server).
- ``PARLEY_AKISMET_BLOG``: the ``blog`` field, the front page of the site
  (default: ``PARLEY_BASE_URL``).
- ``PARLEY_AKISMET_TIMEOUT``: seconds per call (default 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from service.envvars import EnvReader

DEFAULT_URL = "https://rest.akismet.com/1.1"


@dataclass(frozen=True)
class AkismetSettings:
    key: str
    url: str = DEFAULT_URL
    blog: str = ""
    timeout: float = 3.0


def parse_akismet(reader: EnvReader, base_url: str) -> AkismetSettings | None:
    """None when Akismet is off; ``base_url`` is the ``blog`` field unless one is set."""
    key = reader.text("PARLEY_AKISMET_KEY").strip()
    if not key:
        return None
    timeout = reader.seconds("PARLEY_AKISMET_TIMEOUT", AkismetSettings.timeout)
    url = reader.http_url("PARLEY_AKISMET_URL", DEFAULT_URL)
    blog = reader.text("PARLEY_AKISMET_BLOG", base_url)
    return AkismetSettings(key=key, url=url, blog=blog, timeout=timeout)
