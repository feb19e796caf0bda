"""What a decoded capture held, summed up: messages by Modbus function and BACnet
service, the hosts seen with what they said about themselves, and the decoder's flows
and counters, as one ``DecodeReport``."""

from __future__ import annotations

from dataclasses import dataclass, field

from cpstrust.model.ot import (
    Asset,
    BacnetApdu,
    BacnetMessage,
    BacnetServiceCount,
    CaptureStats,
    DecodeReport,
    Flow,
    ModbusFunctionCount,
    ModbusMessage,
    OtProtocol,
    bacnet_service_name,
    modbus_function_name,
)
from cpstrust.ot.decoder import OtDecoder, OtMessage

_PDU_NAMES = {kind: kind.name.lower() for kind in BacnetApdu}
_CLIENT, _SERVER = "client", "server"
_REQUESTS = (BacnetApdu.CONFIRMED_REQUEST,)
_ANSWERS = (BacnetApdu.SIMPLE_ACK, BacnetApdu.COMPLEX_ACK, BacnetApdu.ERROR)


@dataclass(slots=True)
class _HostFacts:
    protocols: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    unit_ids: set[int] = field(default_factory=set)
    devices: dict[int, int | None] = field(default_factory=dict)


class DecodeSummary:
    """Sums up messages as they pass (``add``); ``report`` at the end."""

    def __init__(self, decoder: OtDecoder) -> None:
        self.decoder = decoder
        self._functions: dict[tuple[int, bool, int | None], int] = {}
        self._services: dict[tuple[str, int | None, str], int] = {}
        self._hosts: dict[str, _HostFacts] = {}

    def add(self, message: OtMessage) -> None:
        if isinstance(message, ModbusMessage):
            self._add_modbus(message)
        else:
            self._add_bacnet(message)

    def _host(self, ip: str) -> _HostFacts | None:
        facts = self._hosts.get(ip)
        if facts is None and len(self._hosts) < self.decoder.limits.max_assets:
            facts = self._hosts[ip] = _HostFacts()
        return facts

    def _add_modbus(self, m: ModbusMessage) -> None:
        key = (m.function, m.response, m.exception)
        self._functions[key] = self._functions.get(key, 0) + 1
        client, server = (m.dst, m.src) if m.response else (m.src, m.dst)
        self._note(client, OtProtocol.MODBUS, _CLIENT)
        server_facts = self._note(server, OtProtocol.MODBUS, _SERVER)
        if m.response and server_facts is not None:
            self._bounded_add(server_facts.unit_ids, m.unit_id)

    def _add_bacnet(self, m: BacnetMessage) -> None:
        if m.apdu_type is not None:
            pdu, code = _PDU_NAMES[BacnetApdu(m.apdu_type)], m.service
            name = bacnet_service_name(m.apdu_type, m.service)
        elif m.network_message is not None:
            pdu, code, name = "network_message", m.network_message, "-"
        else:
            pdu, code, name = "bvlc", m.bvlc_function, "-"
        key = (pdu, code, name)
        self._services[key] = self._services.get(key, 0) + 1
        role = (_CLIENT if m.apdu_type in _REQUESTS else
                _SERVER if m.apdu_type in _ANSWERS else None)
        facts = self._note(m.src, OtProtocol.BACNET, role)
        if role == _CLIENT:
            self._note(m.dst, OtProtocol.BACNET, _SERVER)
        if (facts is not None and m.device_instance is not None
                and (m.vendor_id is not None or m.device_instance not in facts.devices)
                and len(facts.devices) < self.decoder.limits.max_asset_items):
            facts.devices[m.device_instance] = m.vendor_id

    def _note(self, ip: str, protocol: str, role: str | None) -> _HostFacts | None:
        facts = self._host(ip)
        if facts is not None:
            facts.protocols.add(protocol)
            if role is not None:
                facts.roles.add(role)
        return facts

    def _bounded_add(self, items: set[int], item: int) -> None:
        if len(items) < self.decoder.limits.max_asset_items:
            items.add(item)

    def report(self, source: str, capture: CaptureStats) -> DecodeReport:
        d = self.decoder
        flows = tuple(sorted(_flows(d), key=lambda f: (-f.bytes, f.first_ts)))
        return DecodeReport(
            source=source, packets=d.packets, first_ts=d.first_ts, last_ts=d.last_ts,
            capture=capture, protocols=self._protocols(flows),
            modbus_functions=self._function_counts(),
            bacnet_services=tuple(BacnetServiceCount(pdu, code, name, n) for (pdu, code, name), n
                                  in sorted(self._services.items(), key=_service_order)),
            modbus_pairs=d.modbus_pairs,
            modbus_unanswered=d.modbus_unanswered + d.modbus_pending,
            modbus_unpaired_responses=d.modbus_unpaired_responses,
            assets=self._assets(flows), flows=flows, flows_dropped=d.flows_evicted,
            malformed=dict(sorted(d.malformed.items())),
            stream_events=dict(sorted(d.stream_events.items())))

    def _protocols(self, flows: tuple[Flow, ...]) -> dict[str, int]:
        """Packets by IP version and transport (from the flows), messages by OT protocol."""
        d = self.decoder
        counts = {"modbus": d.modbus_messages, "bacnet": d.bacnet_messages, "non_ip": d.non_ip,
                  "arp": d.arp_messages}
        for f in flows:
            version = "ipv6" if ":" in f.src else "ipv4"
            transport = {6: "tcp", 17: "udp"}.get(f.protocol, "other_ip")
            counts[version] = counts.get(version, 0) + f.packets
            counts[transport] = counts.get(transport, 0) + f.packets
        return dict(sorted(counts.items()))

    def _function_counts(self) -> tuple[ModbusFunctionCount, ...]:
        rows: dict[int, tuple[int, int, dict[int, int]]] = {}
        for (function, response, exception), n in self._functions.items():
            requests, responses, exceptions = rows.get(function, (0, 0, {}))
            if exception is not None:
                exceptions[exception] = exceptions.get(exception, 0) + n
            elif response:
                responses += n
            else:
                requests += n
            rows[function] = (requests, responses, exceptions)
        return tuple(ModbusFunctionCount(f, modbus_function_name(f), r, s, dict(sorted(e.items())))
                     for f, (r, s, e) in sorted(rows.items()))

    def _assets(self, flows: tuple[Flow, ...]) -> tuple[Asset, ...]:
        limit = self.decoder.limits.max_asset_items
        seen: dict[str, tuple[float, float, set[str]]] = {}
        for f in flows:
            for ip, mac in ((f.src, f.src_mac), (f.dst, None)):
                if ip not in seen and len(seen) >= self.decoder.limits.max_assets:
                    continue  # bounded like every table: the hosts met first are kept
                first, last, macs = seen.get(ip, (f.first_ts, f.last_ts, set()))
                if mac is not None and len(macs) < limit:
                    macs.add(mac)
                seen[ip] = (min(first, f.first_ts), max(last, f.last_ts), macs)
        assets = []
        for ip, (first, last, macs) in sorted(seen.items()):
            facts = self._hosts.get(ip, _HostFacts())
            assets.append(Asset(ip, tuple(sorted(macs)), tuple(sorted(facts.protocols)),
                                tuple(sorted(facts.roles)), tuple(sorted(facts.unit_ids)),
                                tuple(sorted(facts.devices.items())), first, last))
        return tuple(assets)


def _service_order(item: tuple[tuple[str, int | None, str], int]) -> tuple[str, int]:
    (pdu, code, _name), _n = item
    return pdu, -1 if code is None else code


def _flows(decoder: OtDecoder) -> list[Flow]:
    flows = []
    for (src, dst, protocol, sport, dport), counters in decoder.flows.items():
        packets, size, first, last, mac = counters
        assert isinstance(mac, bytes | None)
        flows.append(Flow(decoder.ip_text(src), decoder.ip_text(dst), protocol, sport, dport,
                          int(packets), int(size), float(first), float(last),  # type: ignore[call-overload, arg-type]
                          None if mac is None else mac.hex(":")))
    return flows
