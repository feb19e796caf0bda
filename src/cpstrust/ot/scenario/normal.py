"""Normal operation: masters polling PLCs and RTUs with jitter, drifting and noisy
values, reconnects and operator writes; the BMS discovering BACnet devices, reading
them, subscribing to changes of value and writing setpoints now and then."""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random
from typing import Protocol

from cpstrust.model.ot_scenario import BacnetPlan, PollPlan, RegisterBlock, RegisterTable
from cpstrust.ot.scenario import bacnet, modbus
from cpstrust.ot.scenario.modbus_session import ModbusSession
from cpstrust.ot.scenario.packets import PROTO_UDP, Endpoint, ipv4_frame, udp_datagram
from cpstrust.ot.scenario.simulation import Simulation, raw, raw_values, sample

_READ_FUNCTION = {
    RegisterTable.COIL: modbus.READ_COILS,
    RegisterTable.DISCRETE_INPUT: modbus.READ_DISCRETE_INPUTS,
    RegisterTable.HOLDING: modbus.READ_HOLDING_REGISTERS,
    RegisterTable.INPUT: modbus.READ_INPUT_REGISTERS,
}


class Process(Protocol):
    def step(self, sim: Simulation, ts: float) -> float | None:
        """Emit what happens at ``ts``; the time of the next step, or None when done."""


def block_values(sim: Simulation, server_ip: str, unit: int, block: RegisterBlock,
                 ts: float, rng: Random, spoof_key: tuple[object, ...] | None = None,
                 ) -> tuple[list[int], int | None]:
    """The block's values at ``ts`` (setpoints as last written) and the episode that
    spoofed one of them, if any."""
    if block.writable:
        setpoints = sim.setpoints
        values = [setpoints.setdefault((server_ip, unit, block.address + i), raw(signal, ts, rng))
                  for i, signal in enumerate(block.signals)]
    else:
        values = raw_values(block.signals, ts, rng)
    episode = None
    if spoof_key is not None and sim.spoofs:
        for i in range(len(values)):
            spoof = sim.spoofed((*spoof_key, i), ts)
            if spoof is not None:
                values[i] = round(spoof.value)
                episode = spoof.episode
    return values, episode


def read_call(sim: Simulation, server_ip: str, unit: int, block: RegisterBlock, ts: float,
              rng: Random, spoof_key: tuple[object, ...] | None = None,
              ) -> tuple[bytes, bytes, int | None]:
    function = _READ_FUNCTION[block.table]
    values, episode = block_values(sim, server_ip, unit, block, ts, rng, spoof_key)
    request = modbus.read_request(function, block.address, len(values))
    if block.table in (RegisterTable.COIL, RegisterTable.DISCRETE_INPUT):
        return request, modbus.read_bits_response(function, values), episode
    return request, modbus.read_registers_response(function, values), episode


@dataclass(slots=True)
class ModbusPoller:
    """One master's cyclic poll of one server, with its operator writes and reconnects."""

    plan: PollPlan
    index: int
    rng: Random
    session: ModbusSession
    split: float
    coalesce: float
    established: bool = False
    busy_until: float = 0.0

    @classmethod
    def of(cls, sim: Simulation, plan: PollPlan, index: int, split: float,
           coalesce: float) -> ModbusPoller:
        rng = sim.rng(f"poll:{index}")
        connection = sim.connection(plan.master, plan.server.host, modbus.PORT, rng)
        session = ModbusSession(connection, rng, split)
        poller = cls(plan, index, rng, session, split, coalesce)
        if rng.random() < 0.5:  # already connected when the capture starts
            connection.client_seq, connection.server_seq = rng.getrandbits(32), \
                rng.getrandbits(32)
            connection.open = True
            session.transaction = rng.randrange(65536)
        return poller

    def step(self, sim: Simulation, ts: float) -> float | None:
        start = ts = max(ts, self.busy_until)
        speedup = sim.speedups.get(self.index)
        if speedup is not None and not speedup.start <= ts <= speedup.end:
            speedup = None
        sim.label = speedup.episode if speedup else None
        if not self.session.connection.open:
            ts = self.session.open(ts)
        ts = self._cycle(sim, ts)
        sim.label = None
        if self.rng.random() < self.plan.writes_per_hour * self.plan.period / 3600:
            ts = self._operator_write(sim, ts + self.rng.uniform(0.01, 0.5))
        if self.rng.random() < self.plan.reconnects_per_hour * self.plan.period / 3600:
            ts = self.session.close(ts + self.rng.uniform(0.001, 0.05))
            self.session.connection = sim.connection(self.plan.master, self.plan.server.host,
                                                     modbus.PORT, self.rng)
        self.busy_until = ts + 0.001
        period = self.plan.period / (speedup.factor if speedup else 1.0)
        return max(self.busy_until, start + period + self.rng.gauss(0.0, self.plan.jitter))

    def _cycle(self, sim: Simulation, ts: float) -> float:
        server = self.plan.server
        calls = []
        for unit_index, block_index in self.plan.reads:
            unit = server.units[unit_index]
            key = (self.index, unit_index, block_index)
            request, response, spoofed = read_call(
                sim, server.host.ip, unit.unit_id, unit.blocks[block_index], ts, self.rng, key)
            calls.append((unit.unit_id, request, response, spoofed))
        i = 0
        while i < len(calls):
            if i + 1 < len(calls) and self.rng.random() < self.coalesce:
                group = calls[i:i + 2]
            else:
                group = calls[i:i + 1]
            ts = self._send_group(sim, ts, group) + self.rng.uniform(0.0005, 0.003)
            i += len(group)
        return ts

    def _send_group(self, sim: Simulation, ts: float,
                    group: list[tuple[int, bytes, bytes, int | None]]) -> float:
        normal_label = sim.label
        spoofed = next((c[3] for c in group if c[3] is not None), None)
        if spoofed is not None:
            sim.label = spoofed  # the whole exchange carries the forged answer
        done = self.session.pipelined(ts, [(u, q, r) for u, q, r, _ in group])
        sim.label = normal_label
        return done

    def _operator_write(self, sim: Simulation, ts: float) -> float:
        server = self.plan.server
        writable = [(unit, block) for unit in server.units for block in unit.blocks
                    if block.writable]
        if not writable:
            return ts
        unit, block = self.rng.choice(writable)
        offset = self.rng.randrange(len(block.signals))
        signal = block.signals[offset]
        value = round(sample(signal, ts, self.rng))
        sim.setpoints[(server.host.ip, unit.unit_id, block.address + offset)] = value
        if self.rng.random() < 0.5:
            request = modbus.write_single_register(block.address + offset, value)
            response = request
        else:
            request = modbus.write_multiple_registers(block.address + offset, [value])
            response = modbus.write_multiple_response(modbus.WRITE_MULTIPLE_REGISTERS,
                                                      block.address + offset, 1)
        return self.session.exchange(ts, unit.unit_id, request, response)


@dataclass(slots=True)
class BacnetPoller:
    """The BMS reading one device's present values every period, its COV subscriptions
    (renewed before they lapse) and its occasional setpoint writes."""

    plan: BacnetPlan
    rng: Random
    client: Endpoint
    device: Endpoint
    invoke: int = 0
    lifetime: int = 0
    renew_at: float = 0.0
    notified: dict[int, float] = field(default_factory=dict)

    @classmethod
    def of(cls, sim: Simulation, plan: BacnetPlan, index: int) -> BacnetPoller:
        rng = sim.rng(f"bacnet:{index}")
        return cls(plan, rng, sim.endpoint(plan.client), sim.endpoint(plan.device.host),
                   invoke=rng.randrange(256), lifetime=rng.choice((300, 600, 900, 1800)))

    def step(self, sim: Simulation, ts: float) -> float | None:
        if self.plan.cov_objects and ts >= self.renew_at:
            ts = self._subscribe(sim, ts)
            self.renew_at = ts + self.lifetime * 0.8
        ts = self._read(sim, ts)
        if self.rng.random() < self.plan.writes_per_hour * self.plan.period / 3600:
            ts = self._write(sim, ts + self.rng.uniform(0.05, 1.0))
        return ts + self.plan.period + self.rng.gauss(0.0, self.plan.jitter)

    def send(self, sim: Simulation, ts: float, apdu: bytes, *, to_device: bool) -> None:
        src, dst = (self.client, self.device) if to_device else (self.device, self.client)
        payload = bacnet.frame(apdu, expecting_reply=to_device and apdu[0] == 0x00)
        datagram = udp_datagram(src, dst.ip, bacnet.PORT, bacnet.PORT, payload)
        sim.emit(ts, _ip(sim, src, dst, datagram))

    def confirmed(self, sim: Simulation, ts: float, service: int, request: bytes,
                  answer: bytes) -> float:
        """A confirmed request and the device's answer (built for this invoke id)."""
        self.invoke = (self.invoke + 1) & 0xFF
        self.send(sim, ts, bacnet.confirmed(self.invoke, service, request), to_device=True)
        ts += self.rng.uniform(0.005, 0.08)
        self.send(sim, ts, answer[:1] + bytes((self.invoke,)) + answer[2:], to_device=False)
        return ts + self.rng.uniform(0.001, 0.01)

    def _read(self, sim: Simulation, ts: float) -> float:
        objects = self.plan.device.objects
        spoof_base = ("bacnet", self.plan.device.instance)
        values = []
        labels: list[int | None] = []
        for i, obj in enumerate(objects):
            spoof = sim.spoofed((*spoof_base, i), ts)
            values.append(spoof.value if spoof else sample(obj.signal, ts, self.rng))
            labels.append(spoof.episode if spoof else None)
        sim.label = next((label for label in labels if label is not None), None)
        if self.plan.multiple:
            request = bacnet.read_property_multiple([(o.object_type, o.instance)
                                                     for o in objects])
            ack = bacnet.read_property_multiple_ack(
                [(o.object_type, o.instance, v) for o, v in zip(objects, values, strict=True)])
            ts = self.confirmed(sim, ts, bacnet.READ_PROPERTY_MULTIPLE, request,
                                bacnet.complex_ack(0, bacnet.READ_PROPERTY_MULTIPLE, ack))
        else:
            for obj, value in zip(objects, values, strict=True):
                request = bacnet.read_property(obj.object_type, obj.instance,
                                               bacnet.PRESENT_VALUE)
                ack = bacnet.read_property_ack(obj.object_type, obj.instance,
                                               bacnet.PRESENT_VALUE, bacnet.app_real(value))
                ts = self.confirmed(sim, ts, bacnet.READ_PROPERTY, request,
                                    bacnet.complex_ack(0, bacnet.READ_PROPERTY, ack))
        sim.label = None
        return self._notify_changes(sim, ts, values, labels)

    def _notify_changes(self, sim: Simulation, ts: float, values: list[float],
                        labels: list[int | None]) -> float:
        """Unconfirmed COV notifications for subscribed objects that moved by their
        increment since the last notification (sent as the device sees the change)."""
        for index in self.plan.cov_objects:
            obj = self.plan.device.objects[index]
            last = self.notified.get(index)
            if last is not None and abs(values[index] - last) < obj.cov_increment:
                continue
            self.notified[index] = values[index]
            ts += self.rng.uniform(0.01, 0.2)
            remaining = max(0, round(self.renew_at + self.lifetime * 0.2 - ts))
            sim.label = labels[index]
            self.send(sim, ts, bacnet.unconfirmed(bacnet.UNCONFIRMED_COV_NOTIFICATION,
                      bacnet.cov_notification(self.plan.device.instance, self.plan.device.instance,
                                              obj.object_type, obj.instance, remaining,
                                              values[index])), to_device=False)
        sim.label = None
        return ts

    def _subscribe(self, sim: Simulation, ts: float) -> float:
        for index in self.plan.cov_objects:
            obj = self.plan.device.objects[index]
            request = bacnet.subscribe_cov(self.plan.device.instance, obj.object_type,
                                           obj.instance, self.lifetime)
            ts = self.confirmed(sim, ts, bacnet.SUBSCRIBE_COV, request,
                                bacnet.simple_ack(0, bacnet.SUBSCRIBE_COV))
        return ts

    def _write(self, sim: Simulation, ts: float) -> float:
        setpoints = [o for o in self.plan.device.objects
                     if o.object_type in (bacnet.ANALOG_VALUE, bacnet.ANALOG_OUTPUT)]
        if not setpoints:
            return ts
        obj = self.rng.choice(setpoints)
        value = round(sample(obj.signal, ts, self.rng), 1)
        request = bacnet.write_property(obj.object_type, obj.instance, value, 8)
        return self.confirmed(sim, ts, bacnet.WRITE_PROPERTY, request,
                              bacnet.simple_ack(0, bacnet.WRITE_PROPERTY))


def _ip(sim: Simulation, src: Endpoint, dst: Endpoint, datagram: bytes) -> bytes:
    return ipv4_frame(src, dst, PROTO_UDP, datagram, sim.ids.take(src.ip))


@dataclass(slots=True)
class BacnetDiscovery:
    """Who-Is broadcast by the BMS at start-up and every device's I-Am in answer."""

    bms: Endpoint
    broadcast: Endpoint
    devices: tuple[tuple[Endpoint, int, int], ...]  # endpoint, instance, vendor
    rng: Random

    def step(self, sim: Simulation, ts: float) -> float | None:
        who_is = bacnet.frame(bacnet.who_is(), broadcast=True)
        _broadcast(sim, ts, self.bms, self.broadcast, who_is)
        for device, instance, vendor in self.devices:
            i_am = bacnet.frame(bacnet.i_am(instance, vendor), broadcast=True)
            _broadcast(sim, ts + self.rng.uniform(0.005, 0.5), device, self.broadcast, i_am)
        return None


def _broadcast(sim: Simulation, ts: float, src: Endpoint, broadcast: Endpoint,
               payload: bytes) -> None:
    datagram = udp_datagram(src, broadcast.ip, bacnet.PORT, bacnet.PORT, payload)
    sim.emit(ts, _ip(sim, src, broadcast, datagram))
