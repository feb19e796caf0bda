"""De-identification of an incident for sharing with other organisations. Pure.

IP and MAC addresses, site names and device names are replaced with pseudonyms; kinds,
techniques, timing, counts, products, releases, suppliers and vulnerabilities are kept
(they are what another operator needs to recognise the same attack). Pseudonyms are
numbered in the order the incident's findings meet them (first seen, then finding id),
so exporting the same incident again gives the same ones. They are not hashes of the
real values: an unkeyed hash of a private IPv4 address is undone by trying all 2^32.
Pseudonym addresses come from the documentation ranges (RFC 5737, RFC 3849) and a
locally administered MAC prefix, so they stay addresses and STIX patterns stay valid.
Any other address-like text left in an alert's facts is replaced with ``redacted``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import replace

from cpstrust.model.ot_incident import Anomaly, DeviceFacts

_IPV4_BLOCKS = ("198.51.100", "203.0.113", "192.0.2")
_MAC = re.compile(r"\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
REDACTED = "redacted"


class Pseudonyms:
    """Real value → pseudonym, assigned on first sight."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._counts: dict[str, int] = {}

    def _next(self, kind: str) -> int:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return self._counts[kind]

    def of(self, kind: str, value: str) -> str:
        key = (kind, value)
        if key not in self._names:
            self._names[key] = _made(kind, self._next(_space(kind, value)), value)
        return self._names[key]

    def address(self, value: str | None) -> str | None:
        return None if value is None else self.of("ip", value)

    def text(self, value: str) -> str:
        """``value`` with every address in it replaced by its pseudonym (``redacted`` if
        it has none), then every name met so far by its pseudonym."""
        for pattern in (_MAC, _IPV4, _IPV6):
            value = pattern.sub(self._token, value)
        for (kind, real), pseudonym in sorted(self._names.items(), key=lambda i: -len(i[0][1])):
            if kind in ("device", "site"):
                value = value.replace(real, pseudonym)
        return value

    def _token(self, match: re.Match[str]) -> str:
        token = match[0]
        if _MAC.fullmatch(token):
            return self._names.get(("mac", token), REDACTED)
        try:
            ipaddress.ip_address(token)
        except ValueError:
            return token  # not an address after all (a time, a version)
        return self._names.get(("ip", token), REDACTED)


def _space(kind: str, value: str) -> str:
    if kind != "ip":
        return kind
    try:
        return f"ipv{ipaddress.ip_address(value).version}"
    except ValueError:
        return "ip-other"


def _made(kind: str, n: int, value: str) -> str:
    if kind == "ip":
        space = _space(kind, value)
        if space == "ipv4" and n <= 254 * len(_IPV4_BLOCKS):
            return f"{_IPV4_BLOCKS[(n - 1) // 254]}.{(n - 1) % 254 + 1}"
        return f"2001:db8::{n:x}" if space != "ip-other" else f"host-{n}"
    if kind == "mac":
        return f"02:00:00:{n >> 16 & 0xFF:02x}:{n >> 8 & 0xFF:02x}:{n & 0xFF:02x}"
    return f"{kind}-{n}"


def deidentify(members: Sequence[Anomaly], declared_ips: frozenset[str],
               ) -> tuple[tuple[Anomaly, ...], frozenset[str]]:
    """``members`` with addresses, sites and device names replaced; the declared
    addresses among them likewise (the others are dropped: nothing refers to them)."""
    names = Pseudonyms()
    ordered = sorted(members, key=lambda a: (a.first_seen, a.finding_id))
    for a in ordered:
        names.of("site", a.site)
        if a.device is not None:
            names.of("device", a.device.name)
            names.of("site", a.device.site)
        for ip in (a.src, a.dst, a.device.ip if a.device else None):
            names.address(ip)
        if a.device is not None and a.device.mac is not None:
            names.of("mac", a.device.mac)
    out = tuple(_anomaly(a, names) for a in ordered)
    seen = {ip for a in members for ip in (a.src, a.dst) if ip}
    return out, frozenset(names.of("ip", ip) for ip in declared_ips & seen)


def _anomaly(a: Anomaly, names: Pseudonyms) -> Anomaly:
    return replace(
        a, key=f"ot-{a.finding_id}", site=names.of("site", a.site),
        src=names.address(a.src), dst=names.address(a.dst),
        facts=tuple((k, names.text(v)) for k, v in a.facts),
        device=_device(a.device, names) if a.device else None)


def _device(d: DeviceFacts, names: Pseudonyms) -> DeviceFacts:
    return replace(d, name=names.of("device", d.name), site=names.of("site", d.site),
                   ip=names.address(d.ip),
                   mac=names.of("mac", d.mac) if d.mac else None)
