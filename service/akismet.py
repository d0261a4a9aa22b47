"""A small client for Akismet's REST API (v1.1); its settings are ``settings.akismet``.

Protocol (https://akismet.com/developers/detailed-docs/): form-encoded POSTs
to ``comment-check`` (body ``true`` = spam, ``false`` = ham, anything else is
an error, explained in the ``X-akismet-debug-help`` header),
``submit-spam`` and ``submit-ham``. The key travels as the ``api_key`` field.
"""

from __future__ import annotations

from collections.abc import Mapping

import requests

from service.settings.akismet import AkismetSettings


class AkismetError(Exception):
    """Akismet could not give an answer (network, timeout, bad key, bad reply)."""


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
