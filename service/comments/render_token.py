"""The signed render timestamp: when the widget's form was shown to the reader.

A bot that posts 300 ms after loading a page has not read it. The token is
signed so a client cannot claim its form was shown long ago.
"""

from __future__ import annotations

import time

from itsdangerous import BadSignature, URLSafeTimedSerializer

_SALT = "parley.render-token"
MAX_AGE_SECONDS = 86_400


def issue_render_token(secret_key: str, site_id: int) -> str:
    return URLSafeTimedSerializer(secret_key, salt=_SALT).dumps(
        {"s": site_id, "t": int(time.time() * 1000)}
    )


def elapsed_ms(secret_key: str, token: str | None, site_id: int) -> int | None:
    """Milliseconds since the form was rendered, or None if unknown or forged."""
    if not token:
        return None
    try:
        data = URLSafeTimedSerializer(secret_key, salt=_SALT).loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != site_id:
        return None
    return max(0, int(time.time() * 1000) - int(data.get("t", 0)))
