"""Where a webhook may be delivered, and the one way Parley connects there.

A webhook URL is chosen by a site owner but fetched by Parley's worker, from
inside Parley's network: without a check it reaches loopback services, the
cloud metadata address and the intranet (server-side request forgery). So the
host is resolved when the webhook is added and again at every delivery, every
address it resolves to must be public, and the delivery connects to the
address that was checked — never to a second lookup of the name, which a
hostile DNS server could answer differently (DNS rebinding). The name still
goes in the Host header and in TLS (SNI and certificate check).

Numeric spellings (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``,
``::ffff:127.0.0.1``) need no special case: the resolver turns them into the
address the socket would reach, and that address is what is checked.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64 (RFC 6052) translates the last 32 bits to an IPv4 host.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class DestinationRefused(Exception):
    """The URL is malformed, carries credentials or reaches a non-public address."""


@dataclass(frozen=True)
class Destination:
    """A webhook URL taken apart, with the checked address to connect to."""

    scheme: str
    host: str  # the name as written, for Host, SNI and the certificate
    port: int
    netloc: str
    target: str  # path and query
    address: IPAddress


def _reachable(address: IPAddress, allow_private: bool) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches the IPv4 host: judge that one.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _reachable(embedded, allow_private)
    # Link-local holds the cloud metadata service, and multicast and
    # unspecified addresses are nobody's webhook: refused even on an intranet.
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        return False
    # Before is_reserved, which takes in ::1 (it lies in ::/8).
    if address.is_loopback:
        return allow_private
    if address.is_reserved:
        return False
    return address.is_global or (allow_private and address.is_private)


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise DestinationRefused(f"{host} does not resolve ({error})") from None
    # Drop any IPv6 zone ("fe80::1%eth0"): the address itself is what is judged.
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def destination(url: str, allow_private: bool) -> Destination:
    """The URL's checked destination, or DestinationRefused saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DestinationRefused("must be an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("must not carry credentials (user:password@)")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise DestinationRefused("has an invalid port") from None
    addresses = resolve(parts.hostname, port)
    # Which address was refused stays unsaid: the answer would map the
    # internal network for whoever adds webhooks.
    if not addresses or not all(_reachable(a, allow_private) for a in addresses):
        raise DestinationRefused(f"{parts.hostname} resolves to an address webhooks may not reach")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return Destination(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port,
        netloc=parts.netloc,
        target=target,
        address=addresses[0],
    )


def post_to(
    place: Destination,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    ca_certs: str | None = None,
) -> int:
    """POST to the checked address only; the status (a redirect is one, not followed).

    A urllib3 pool opened on the address itself is the pin: nothing between the
    check and the connect looks the name up again.
    """
    import urllib3  # on first use: most web processes never call out

    pool_options = {
        "port": place.port,
        "timeout": urllib3.Timeout(connect=timeout, read=timeout),
        "retries": False,
        "maxsize": 1,
    }
    if place.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            str(place.address),
            server_hostname=place.host,
            assert_hostname=place.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs or ca_bundle(),  # requests' bundle, as before the pin
            **pool_options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(str(place.address), **pool_options)
    with pool:
        response = pool.urlopen(
            "POST",
            place.target,
            body=body,
            headers={**headers, "Host": place.netloc},
            redirect=False,
            assert_same_host=False,
            # Only the status matters: the receiver's body is never read, however long.
            preload_content=False,
        )
        response.close()
    return response.status


def ca_bundle() -> str:
    """The CA bundle requests verifies with (certifi's), without importing requests."""
    import certifi

    return certifi.where()
