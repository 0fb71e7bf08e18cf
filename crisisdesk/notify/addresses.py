"""Where webhooks may go: public addresses only,
checked when added and again after DNS at send time.

A webhook URL is chosen by an admin, but the desk sends from inside the bank's network: a URL
naming 127.0.0.1, the cloud metadata address or an internal server would turn the desk into a
door to them. So every address is checked, a host name is resolved once, every address it
resolves to is checked, and the connection goes to a checked address (the name only travels
in `Host` and TLS), so a second DNS answer cannot swap in another one.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterable

from flask import current_app

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

#: IPv6 prefix that carries an IPv4 address in its last 32 bits (NAT64, RFC 6052)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAMES = ("localhost", "localhost.localdomain")


class RefusedAddress(OSError):
    """The host is, or resolves to, an address webhooks must not reach."""


def literal_address(host: str) -> Address | None:
    """The address a host spells directly, in any form a
    resolver accepts (`0x7f000001`, `0177.1`), or None.
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # inet_aton takes the integer, hex, octal and shortened
        # forms getaddrinfo would also turn into an address
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_internal(address: Address) -> bool:
    """Tell whether an address is loopback, link-local,
    private, unspecified, multicast or reserved.
    """
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_internal(embedded)  # the packet ends up at the IPv4 address inside
    return (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or not address.is_global
    )


def _normalised(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    address = literal_address(host) if host else None
    return str(address) if address is not None else host


def allowed_hosts() -> set[str]:
    """WEBHOOK_ALLOWED_HOSTS as a set of normalised names
    and addresses (a list or a comma-separated string).
    """
    configured = current_app.config.get("WEBHOOK_ALLOWED_HOSTS") or ()
    items: Iterable[str] = configured.split(",") if isinstance(configured, str) else configured
    return {_normalised(str(item)) for item in items if str(item).strip()}


def is_allowed(host: str) -> bool:
    """Tell whether an admin listed this host as reachable although it may be internal."""
    return _normalised(host) in allowed_hosts()


def refusal(host: str) -> str | None:
    """Why a URL's host is refused before any DNS lookup
    (a literal internal address, localhost), or None.
    """
    if is_allowed(host):
        return None
    name = _normalised(host)
    address = literal_address(name)
    if address is not None:
        return str(address) if is_internal(address) else None
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return name
    return None


def resolve_checked(host: str, port: int) -> list[str]:
    """Resolve once and return the addresses to connect
    to; raise RefusedAddress if any one is internal.
    """
    found = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not is_allowed(host):
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if is_internal(address):
                raise RefusedAddress(
                    f"refused: {host} is or resolves to {address}, a loopback, private, "
                    f"link-local or reserved address (list it in WEBHOOK_ALLOWED_HOSTS to allow)"
                )
    return addresses


def _connect(addresses: list[str], port: int, timeout: float) -> socket.socket:
    error: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout)
        except OSError as exc:
            error = exc
    raise error or OSError("no address to connect to")


class PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to checked addresses only; `Host` still names the URL's host."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self):
        """Open the socket to the first checked address that answers."""
        self.sock = _connect(self.addresses, self.port, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to checked addresses only; SNI and the certificate check use the URL's host name."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.addresses = addresses

    def connect(self):
        """Open the socket to a checked address, then TLS for the URL's host name."""
        sock = _connect(self.addresses, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
