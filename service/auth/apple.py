"""Sign in with Apple's client secret: an ES256 JWT Parley mints from the key Apple issued.

Apple has no fixed client secret. The client authenticates at the token endpoint with a JWT
signed by the team's private key (header ``kid`` = the key id; claims ``iss`` = the team id,
``sub`` = the Services ID, ``aud`` = https://appleid.apple.com, ``iat``/``exp`` at most six
months apart). Parley mints one valid for ``LIFETIME`` and mints the next ``RENEW_BEFORE`` its
end, so a long-running process never presents an expired one.
"""

from __future__ import annotations

import threading
import time

from service.settings.auth import ProviderConfig

AUDIENCE = "https://appleid.apple.com"
LIFETIME = 24 * 3600
RENEW_BEFORE = 3600
# The suffix of the addresses Apple's "Hide My Email" relays to the reader's real inbox.
RELAY_DOMAIN = "privaterelay.appleid.com"


class AppleClientSecret:
    def __init__(self, config: ProviderConfig, clock=time.time) -> None:
        from joserfc.jwk import ECKey

        self._config = config
        self._key = ECKey.import_key(config.private_key)
        self._clock = clock
        self._lock = threading.Lock()
        self._value = ""
        self._expires = 0.0

    def current(self) -> str:
        """The secret to present now: the last one minted, or a new one when it nears its end."""
        with self._lock:
            now = self._clock()
            if not self._value or now >= self._expires - RENEW_BEFORE:
                from joserfc import jwt

                issued = int(now)
                self._expires = issued + LIFETIME
                self._value = jwt.encode(
                    {"alg": "ES256", "kid": self._config.key_id},
                    {
                        "iss": self._config.team_id,
                        "iat": issued,
                        "exp": issued + LIFETIME,
                        "aud": AUDIENCE,
                        "sub": self._config.client_id,
                    },
                    self._key,
                )
            return self._value
