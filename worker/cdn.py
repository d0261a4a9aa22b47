"""worker.cdn.purge: ask the CDN in front of the public reads to drop threads that changed.

Queued by ``service.comments.freshness`` after a commit that changed what a thread shows, only
when ``PARLEY_CDN_PURGE_URL`` is set. The operator's purge endpoint (their CDN's API, or a small
relay of their own) receives ``POST {"surrogate_keys": [...]}`` as JSON; the keys are the
``Surrogate-Key`` / ``Cache-Tag`` values of the reads to drop. The URL goes through the webhook
guard (no loopback or private address unless ``PARLEY_WEBHOOK_ALLOW_PRIVATE=1``). A failure
raises, so RQ retries with backoff; meanwhile the CDN serves its copy until ``PARLEY_CDN_MAX_AGE``.
"""

from __future__ import annotations

import json
import logging

from service.notifications.destinations import DestinationRefused, destination, post_to
from worker import runtime

log = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """The purge endpoint answered something other than 2xx."""


def purge(keys: list[str]) -> str:
    rt = runtime.get()
    url = rt.settings.web.cdn_purge_url
    if not url or not keys:
        return "nothing to purge"
    try:
        place = destination(url, rt.settings.webhooks.allow_private)
    except DestinationRefused as error:
        # A configuration mistake, not a blip: retrying changes nothing. Said once, loudly.
        log.error("CDN purge refused: PARLEY_CDN_PURGE_URL %s", error)
        return "refused"
    body = json.dumps({"surrogate_keys": list(keys)}).encode()
    status = post_to(
        place,
        body,
        {"Content-Type": "application/json", "User-Agent": "Parley-CDN-Purge"},
        rt.settings.webhooks.timeout_seconds,
    )
    if not 200 <= status < 300:
        raise PurgeFailed(f"purge endpoint answered HTTP {status}")
    return f"HTTP {status}"
