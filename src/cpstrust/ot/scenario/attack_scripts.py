"""What each kind of attack sends. A script is a generator: primed once, it is sent the
time of each of its steps and yields the time of the next, emitting frames in between
(under its episode's label, which ``sim.label`` holds while it runs)."""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from random import Random

from cpstrust.model.ot_scenario import (
    BacnetDevice,
    Host,
    ModbusServer,
    PollPlan,
    RegisterBlock,
    Role,
)
from cpstrust.ot.scenario import bacnet, modbus
from cpstrust.ot.scenario.modbus_session import ModbusSession
from cpstrust.ot.scenario.network import random_mac
from cpstrust.ot.scenario.normal import read_call
from cpstrust.ot.scenario.packets import PROTO_UDP, ipv4_frame, udp_datagram
from cpstrust.ot.scenario.simulation import Simulation

Script = Generator[float, float, None]


@dataclass(frozen=True, slots=True)
class Target:
    """Who an episode comes from and goes to, in what protocol, how, and its frames."""

    src: str
    dst: str | None
    protocol: str
    detail: str
    script: Script


Factory = Callable[[Simulation, Random, float, float], Target]


def intruder_host(sim: Simulation, rng: Random) -> Host:
    ip = rng.choice(sim.network.spare_ips)
    return Host(name=f"intruder-{ip}", role=Role.BYSTANDER, ip=ip, mac=random_mac(rng))


def hosts_of(sim: Simulation, *roles: Role) -> list[Host]:
    return [h for h in sim.network.hosts if h.role in roles]


def _writable(server: ModbusServer) -> list[tuple[int, RegisterBlock]]:
    return [(u.unit_id, b) for u in server.units for b in u.blocks if b.writable]


def session_to(sim: Simulation, client: Host, server: Host, rng: Random) -> ModbusSession:
    return ModbusSession(sim.connection(client, server, modbus.PORT, rng), rng, split=0.0)


def _bacnet(sim: Simulation, ts: float, src: Host, dst: Host, apdu: bytes) -> None:
    a, b = sim.endpoint(src), sim.endpoint(dst)
    payload = bacnet.frame(apdu, expecting_reply=apdu[0] == 0x00)
    datagram = udp_datagram(a, b.ip, bacnet.PORT, bacnet.PORT, payload)
    sim.emit(ts, ipv4_frame(a, b, PROTO_UDP, datagram, sim.ids.take(a.ip)))


def bacnet_call(sim: Simulation, ts: float, client: Host, device: Host, invoke: int,
                 service: int, request: bytes, answer: bytes, rng: Random) -> float:
    """A confirmed request and its answer (an APDU without its invoke id filled in)."""
    _bacnet(sim, ts, client, device, bacnet.confirmed(invoke, service, request))
    ts += rng.uniform(0.005, 0.05)
    _bacnet(sim, ts, device, client, answer[:1] + bytes((invoke & 0xFF,)) + answer[2:])
    return ts


def out_of_range(low: float, high: float, amplitude: float, rng: Random, floor: float,
                 ceiling: float) -> float:
    """A value beyond [low, high] by a share of the span that ``amplitude`` scales, and
    inside [floor, ceiling], what the encoding can carry."""
    beyond = (high - low) * amplitude * rng.uniform(0.3, 1.0) + 1
    above, below = high + beyond, low - beyond
    if above <= ceiling and (below < floor or rng.random() < 0.7):
        return above
    if below >= floor:
        return below
    return ceiling if high < ceiling else floor


def new_talker(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    intruder = intruder_host(sim, rng)
    server = rng.choice(sim.network.modbus_servers)
    duration = min(budget, rng.uniform(30, 300))

    def script() -> Script:
        ts = yield 0.0
        session = session_to(sim, intruder, server.host, rng)
        ts, end = session.open(ts), ts + duration
        while ts < end:
            unit = rng.choice(server.units)
            request, response, _ = read_call(sim, server.host.ip, unit.unit_id,
                                             rng.choice(unit.blocks), ts, rng)
            ts = session.exchange(ts, unit.unit_id, request, response)
            ts = yield ts + rng.uniform(0.5, 3.0)
        session.close(ts)

    return Target(intruder.ip, server.host.ip, "modbus",
                  f"{intruder.ip}, never seen, reads {server.host.ip} for {duration:.0f} s",
                  script())


def master_and_server(sim: Simulation, rng: Random,
                       roles: tuple[Role, ...] = (Role.SCADA, Role.HMI, Role.ENGINEERING),
                       ) -> tuple[PollPlan, int]:
    plans = [(p, i) for i, p in enumerate(sim.network.polls) if p.master.role in roles]
    return rng.choice(plans)


def new_function_code(sim: Simulation, rng: Random, amplitude: float, budget: float,
                      ) -> Target:
    plan, _ = master_and_server(sim, rng)
    server, unit = plan.server, plan.server.units[0].unit_id
    if rng.random() < 0.5:
        function, request = modbus.ENCAPSULATED_INTERFACE, modbus.device_identification_request()
        response = modbus.device_identification_response(
            [b"Vendor" + bytes([65 + rng.randrange(26)]), b"PLC-" + str(rng.randrange(9999))
             .encode(), b"V" + str(rng.randrange(1, 9)).encode() + b".2"])
    else:
        function, request = modbus.REPORT_SERVER_ID, modbus.report_server_id_request()
        response = modbus.report_server_id_response(rng.randbytes(rng.randint(2, 8)))

    def script() -> Script:
        ts = yield 0.0
        session = session_to(sim, plan.master, server.host, rng)
        ts = session.open(ts)
        for _ in range(rng.randint(1, 3)):
            ts = session.exchange(ts, unit, request, response)
            ts = yield ts + rng.uniform(0.2, 2.0)
        session.close(ts)

    return Target(plan.master.ip, server.host.ip, "modbus",
                  f"function code {function}, never used on this network", script())


def new_bacnet_service(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    bms = hosts_of(sim, Role.BMS)[0]
    device = rng.choice(sim.network.bacnet_devices)
    file_instance = rng.randrange(0, 8)

    def script() -> Script:
        ts = yield 0.0
        invoke = rng.randrange(256)
        chunks = rng.randint(2, 6)
        for chunk in range(chunks):
            data = rng.randbytes(rng.randint(64, 200))
            ack = (bytes((0x11 if chunk == chunks - 1 else 0x10,)) + bacnet.opening(0)
                   + b"\x31" + bytes((chunk,)) + b"\x65" + bytes((len(data),)) + data
                   + bacnet.closing(0))
            ts = bacnet_call(sim, ts, bms, device.host, invoke + chunk, bacnet.ATOMIC_READ_FILE,
                              bacnet.atomic_read_file(file_instance, chunk, len(data)),
                              bacnet.complex_ack(0, bacnet.ATOMIC_READ_FILE, ack), rng)
            ts = yield ts + rng.uniform(0.05, 0.5)

    return Target(bms.ip, device.host.ip, "bacnet",
                  f"AtomicReadFile of file {file_instance}, a service never used here",
                  script())


def _modbus_writes(sim: Simulation, rng: Random, client: Host, server: ModbusServer,
                   values: Callable[[RegisterBlock, int], int], count: int) -> Script:
    """``count`` writes of ``values(block, offset)`` to writable registers of ``server``,
    on a connection of their own."""
    ts = yield 0.0
    session = session_to(sim, client, server.host, rng)
    ts = session.open(ts)
    for _ in range(count):
        unit, block = rng.choice(_writable(server))
        offset = rng.randrange(len(block.signals))
        address, value = block.address + offset, values(block, offset)
        request = modbus.write_multiple_registers(address, [value])
        ts = session.exchange(ts, unit, request, modbus.write_multiple_response(
            modbus.WRITE_MULTIPLE_REGISTERS, address, 1))
        ts = yield ts + rng.uniform(0.5, 5.0)
    session.close(ts)


def _bacnet_writes(sim: Simulation, rng: Random, client: Host, device: BacnetDevice,
                   value: Callable[[float, float], float], count: int) -> Script:
    ts = yield 0.0
    targets = [o for o in device.objects if o.object_type != bacnet.ANALOG_INPUT] or \
        list(device.objects)
    for n in range(count):
        obj = rng.choice(targets)
        request = bacnet.write_property(obj.object_type, obj.instance,
                                        value(obj.signal.low, obj.signal.high), 8)
        ts = bacnet_call(sim, ts, client, device.host, rng.randrange(256) + n,
                          bacnet.WRITE_PROPERTY, request,
                          bacnet.simple_ack(0, bacnet.WRITE_PROPERTY), rng)
        ts = yield ts + rng.uniform(0.5, 5.0)


def unusual_writer(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    """SCADA, which only ever reads, writes in-range values (Modbus or BACnet)."""
    scada = hosts_of(sim, Role.SCADA)[0]
    count = rng.randint(1, 3)
    if rng.random() < 0.6:
        server = rng.choice([s for s in sim.network.modbus_servers if _writable(s)])
        script = _modbus_writes(sim, rng, scada, server,
                                lambda b, i: rng.randint(b.signals[i].low, b.signals[i].high),
                                count)
        return Target(scada.ip, server.host.ip, "modbus",
                      f"{count} in-range register write(s) from a host that never writes",
                      script)
    device = rng.choice(sim.network.bacnet_devices)
    bacnet_script = _bacnet_writes(sim, rng, scada, device,
                                   lambda low, high: round(rng.uniform(low, high), 1), count)
    return Target(scada.ip, device.host.ip, "bacnet",
                  f"{count} in-range WriteProperty from a host that never writes",
                  bacnet_script)


def out_of_range_write(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    """A host that writes setpoints writes one far outside its range."""
    if rng.random() < 0.6:
        plan, _ = master_and_server(sim, rng, (Role.HMI,))

        def far(block: RegisterBlock, offset: int) -> int:
            signal = block.signals[offset]
            return round(out_of_range(signal.low, signal.high, amplitude, rng, 0, 65535))

        return Target(plan.master.ip, plan.server.host.ip, "modbus",
                      "setpoint written outside its range (the PLC clamps it)",
                      _modbus_writes(sim, rng, plan.master, plan.server, far, 1))
    bms = hosts_of(sim, Role.BMS)[0]
    device = rng.choice(sim.network.bacnet_devices)
    script = _bacnet_writes(
        sim, rng, bms, device,
        lambda low, high: round(out_of_range(low, high, amplitude, rng, -1e6, 1e6), 1), 1)
    return Target(bms.ip, device.host.ip, "bacnet",
                  "present value written outside its range", script)
