"""A host site's published signing keys (JWKS), fetched safely and kept for a while.

The URL is the site owner's, fetched by Parley from inside its network: it goes through the
webhook guard (``service.notifications.destinations``): every address the name resolves to
must be public unless the operator allows private ones (``PARLEY_SSO_ALLOW_PRIVATE``), and
the connection goes to the address that was checked, never to a second lookup. Redirects are
not followed; the answer is read up to ``MAX_BYTES``.

Key sets are kept per process for ``TTL`` seconds. A token naming a key id the cached set does
not have (the host rotated its keys) fetches the set again at once, at most once every
``REFRESH_FLOOR`` seconds per URL, so a stream of made-up key ids cannot turn Parley into a
request cannon aimed at the host.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING

from service import caches
from service.notifications.destinations import (
    Destination,
    DestinationRefused,
    ca_bundle,
    destination,
)

if TYPE_CHECKING:
    # JOSE (and the cryptography under it) is imported on first use: only sites with SSO
    # by a key set need it, and a web process without is several MB smaller.
    from joserfc.jwk import KeySet

TTL = 600.0
REFRESH_FLOOR = 5.0
TIMEOUT = 5.0
MAX_BYTES = 256 * 1024
# Only public keys of the kinds the JWT algorithms we accept use.
KEY_TYPES = ("RSA", "EC")

# url -> (key set, monotonic time fetched)
_SETS: dict[str, tuple[KeySet, float]] = {}
_LOCK = threading.Lock()
caches.declare("auth.jwks", _SETS.clear)


class JwksUnavailable(Exception):
    """The key set could not be fetched or is not a usable JWKS; the message says why."""


def check_url(url: str, allow_private: bool) -> Destination:
    """The URL's checked destination; https unless private addresses are allowed (tests,
    intranets), since keys fetched in the clear could be swapped for an attacker's."""
    place = destination(url, allow_private)
    if place.scheme != "https" and not allow_private:
        raise DestinationRefused("must be an https URL")
    return place


def fetch(url: str, allow_private: bool) -> KeySet:
    """Fetch and parse the key set now (no cache)."""
    try:
        place = check_url(url, allow_private)
    except DestinationRefused as error:
        raise JwksUnavailable(f"the JWKS URL {error}") from None
    body = _get(place)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise JwksUnavailable("the JWKS URL did not answer JSON") from None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, list):
        raise JwksUnavailable('the JWKS has no "keys" list')
    usable = [
        k
        for k in keys
        if isinstance(k, dict) and k.get("kty") in KEY_TYPES and "d" not in k  # public only
    ]
    if not usable:
        raise JwksUnavailable("the JWKS holds no RSA or EC public key")
    try:
        from joserfc.jwk import KeySet

        return KeySet.import_key_set({"keys": usable})
    except Exception as error:  # joserfc raises several types for a malformed key
        raise JwksUnavailable(f"the JWKS holds a key that cannot be read ({error})") from None


def key_set(url: str, allow_private: bool, *, kid: str | None = None) -> KeySet:
    """The cached key set, fetched again when stale or when it lacks ``kid``."""
    now = time.monotonic()
    with _LOCK:
        cached = _SETS.get(url)
    if cached is not None:
        keys, fetched = cached
        fresh = now - fetched < TTL
        known = kid is None or any(k.kid == kid for k in keys)
        if fresh and (known or now - fetched < REFRESH_FLOOR):
            return keys
    keys = fetch(url, allow_private)
    with _LOCK:
        _SETS[url] = (keys, time.monotonic())
    return keys


def _get(place: Destination) -> bytes:
    import urllib3  # on first use: most web processes never fetch a key set

    options = {
        "port": place.port,
        "timeout": urllib3.Timeout(connect=TIMEOUT, read=TIMEOUT),
        "retries": False,
        "maxsize": 1,
    }
    if place.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            str(place.address),
            server_hostname=place.host,
            assert_hostname=place.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_bundle(),
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(str(place.address), **options)
    try:
        with pool:
            response = pool.urlopen(
                "GET",
                place.target,
                headers={"Host": place.netloc, "Accept": "application/json"},
                redirect=False,
                assert_same_host=False,
                preload_content=False,
            )
            try:
                if response.status != 200:
                    raise JwksUnavailable(f"the JWKS URL answered HTTP {response.status}")
                body = response.read(MAX_BYTES + 1, decode_content=True)
            finally:
                response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise JwksUnavailable(f"the JWKS URL is unreachable ({type(error).__name__})") from None
    if len(body) > MAX_BYTES:
        raise JwksUnavailable(f"the JWKS is larger than {MAX_BYTES // 1024} KB")
    return body
