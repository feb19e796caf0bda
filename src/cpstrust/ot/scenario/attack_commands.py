"""Attacks that command, flood or probe: Modbus diagnostics, restart and listen-only,
BACnet reinitialise and communication control, forged values, faster polling, floods
and scans of hosts, unit ids and objects."""

from __future__ import annotations

import ipaddress
import socket
from random import Random

from cpstrust.model.ot_scenario import Host, PollPlan, RegisterTable, Role
from cpstrust.ot.scenario import bacnet, modbus
from cpstrust.ot.scenario.attack_scripts import (
    Script,
    Target,
    bacnet_call,
    hosts_of,
    intruder_host,
    master_and_server,
    out_of_range,
    session_to,
)
from cpstrust.ot.scenario.normal import read_call
from cpstrust.ot.scenario.packets import arp_reply, arp_request
from cpstrust.ot.scenario.simulation import Simulation, Speedup, Spoof


def _diagnostic_script(sim: Simulation, rng: Random, client: Host, server: Host, unit: int,
                       subfunctions: list[tuple[int, int]], answered: bool) -> Script:
    ts = yield 0.0
    session = session_to(sim, client, server, rng)
    ts = session.open(ts)
    for subfunction, data in subfunctions:
        request = modbus.diagnostics(subfunction, data)
        ts = session.exchange(ts, unit, request, request if answered else None)
        ts = yield ts + rng.uniform(0.1, 2.0)
    session.close(ts)


def modbus_diagnostics(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    plan, _ = master_and_server(sim, rng, (Role.ENGINEERING, Role.HMI))
    steps = [(modbus.DIAG_RETURN_QUERY_DATA, rng.randrange(65536)),
             (modbus.DIAG_CLEAR_COUNTERS, 0)][:rng.randint(1, 2)]
    return Target(plan.master.ip, plan.server.host.ip, "modbus",
                  "diagnostics (function 8): " + ", ".join(f"sub-function {s}" for s, _ in steps),
                  _diagnostic_script(sim, rng, plan.master, plan.server.host,
                                     plan.server.units[0].unit_id, steps, answered=True))


def modbus_restart(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    client = intruder_host(sim, rng) if rng.random() < 0.5 else \
        master_and_server(sim, rng)[0].master
    server = rng.choice(sim.network.modbus_servers)
    steps = [(modbus.DIAG_RESTART_COMMUNICATIONS, rng.choice((0x0000, 0xFF00)))]
    return Target(client.ip, server.host.ip, "modbus",
                  "restart communications option (function 8, sub-function 1)",
                  _diagnostic_script(sim, rng, client, server.host, server.units[0].unit_id,
                                     steps, answered=True))


def modbus_listen_only(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    client = intruder_host(sim, rng) if rng.random() < 0.5 else \
        master_and_server(sim, rng)[0].master
    server = rng.choice(sim.network.modbus_servers)
    steps = [(modbus.DIAG_FORCE_LISTEN_ONLY, 0)]
    return Target(client.ip, server.host.ip, "modbus",
                  "force listen only mode (function 8, sub-function 4); no answer",
                  _diagnostic_script(sim, rng, client, server.host, server.units[0].unit_id,
                                     steps, answered=False))


def _bacnet_command(sim: Simulation, rng: Random, service: int, request: bytes,
                    what: str) -> Target:
    client = intruder_host(sim, rng) if rng.random() < 0.5 else hosts_of(sim, Role.BMS)[0]
    device = rng.choice(sim.network.bacnet_devices)

    def script() -> Script:
        ts = yield 0.0
        bacnet_call(sim, ts, client, device.host, rng.randrange(256), service, request,
                     bacnet.simple_ack(0, service), rng)

    return Target(client.ip, device.host.ip, "bacnet", what, script())


def bacnet_reinitialize(sim: Simulation, rng: Random, amplitude: float, budget: float,
                        ) -> Target:
    state = rng.choice((0, 1))
    password = rng.choice(("admin", "bacnet", "12345", "service"))
    return _bacnet_command(sim, rng, bacnet.REINITIALIZE_DEVICE,
                           bacnet.reinitialize_device(state, password),
                           f"ReinitializeDevice ({('coldstart', 'warmstart')[state]})")


def bacnet_communication_control(sim: Simulation, rng: Random, amplitude: float,
                                 budget: float) -> Target:
    minutes = rng.choice((5, 30, 60, 120))
    return _bacnet_command(sim, rng, bacnet.DEVICE_COMMUNICATION_CONTROL,
                           bacnet.device_communication_control(minutes, disable=True),
                           f"DeviceCommunicationControl: disable for {minutes} min")


def _window(rng: Random, period: float, budget: float) -> float:
    """An episode's length: at least three of the affected poll periods."""
    return min(budget, max(3.5 * period, rng.uniform(30, 300)))


def polls_all(sim: Simulation) -> list[tuple[int, PollPlan, tuple[int, int]]]:
    """Every (plan index, plan, read) of a register block (not bits)."""
    return [(i, p, r) for i, p in enumerate(sim.network.polls) for r in p.reads
            if p.server.units[r[0]].blocks[r[1]].table
            in (RegisterTable.INPUT, RegisterTable.HOLDING)]


def out_of_range_value(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    """Answers to a master's polls carry a value outside the register's (or object's)
    physical range, as a compromised PLC or a man in the middle would send them."""
    polls = [c for c in polls_all(sim) if c[1].period * 3.5 <= budget]
    plans = [p for p in sim.network.bacnet_plans if p.period * 3.5 <= budget]
    if polls and (not plans or rng.random() < 0.6):
        index, plan, (unit, block) = rng.choice(polls)
        signals = plan.server.units[unit].blocks[block].signals
        offset = rng.randrange(len(signals))
        signal = signals[offset]
        key: tuple[object, ...] = (index, unit, block, offset)
        value: float = round(out_of_range(signal.low, signal.high, amplitude, rng, 0, 65535))
        src, dst, protocol, period = plan.server.host.ip, plan.master.ip, "modbus", plan.period
    elif plans:
        bplan = rng.choice(plans)
        offset = rng.randrange(len(bplan.device.objects))
        signal = bplan.device.objects[offset].signal
        key = ("bacnet", bplan.device.instance, offset)
        value = round(out_of_range(signal.low, signal.high, amplitude, rng, -1e6, 1e6), 1)
        src, dst, protocol, period = bplan.device.host.ip, bplan.client.ip, "bacnet", \
            bplan.period
    else:  # every period too long for the budget: the fastest poll, in what fits
        index, plan, (unit, block) = min(polls_all(sim), key=lambda c: c[1].period)
        signal = plan.server.units[unit].blocks[block].signals[0]
        key = (index, unit, block, 0)
        value = round(out_of_range(signal.low, signal.high, amplitude, rng, 0, 65535))
        src, dst, protocol, period = plan.server.host.ip, plan.master.ip, "modbus", plan.period
    duration = _window(rng, period, budget)

    def script() -> Script:
        ts = yield 0.0
        sim.spoofs[key] = Spoof(ts, ts + duration, value, sim.label or 0)

    return Target(src, dst, protocol,
                  f"reports {value} where [{signal.low}, {signal.high}] holds", script())


def rate_change(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    """A master polls a server several times faster than it does."""
    index, plan = rng.choice([(i, p) for i, p in enumerate(sim.network.polls)
                              if p.period * 3.5 <= budget] or list(enumerate(sim.network.polls)))
    factor = max(3.0, rng.uniform(5, 15) * amplitude)
    duration = _window(rng, plan.period / factor, budget)

    def script() -> Script:
        ts = yield 0.0
        sim.speedups[index] = Speedup(ts, ts + duration, factor, sim.label or 0)

    return Target(plan.master.ip, plan.server.host.ip, "modbus",
                  f"polls every {plan.period / factor:.3f} s instead of {plan.period:.3f} s",
                  script())


def flood(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    """Reads back to back, each answered before the next, hundreds a second."""
    client = intruder_host(sim, rng) if rng.random() < 0.5 else \
        master_and_server(sim, rng)[0].master
    server = rng.choice(sim.network.modbus_servers)
    rate = rng.uniform(200, 800) * amplitude
    duration = min(budget, rng.uniform(5, 30))

    def script() -> Script:
        ts = yield 0.0
        session = session_to(sim, client, server.host, rng)
        ts, end = session.open(ts), ts + duration
        connection = session.connection
        while ts < end:
            for _ in range(50):
                unit = rng.choice(server.units)
                request, response, _ = read_call(sim, server.host.ip, unit.unit_id,
                                                 rng.choice(unit.blocks), ts, rng)
                transaction = session.next_transaction()
                gap = 1.0 / rate
                connection.client_sends(ts, modbus.adu(transaction, unit.unit_id, request))
                connection.server_sends(ts + gap * 0.5,
                                        modbus.adu(transaction, unit.unit_id, response))
                ts += gap
            ts = yield ts
        session.close(ts)

    return Target(client.ip, server.host.ip, "modbus",
                  f"{rate:.0f} reads per second for {duration:.0f} s", script())


def unit_id_scan(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    """Unit ids tried one after another: a gateway answers exception 0x0B for those it
    has not, a single PLC stays silent (the scanner's timeout)."""
    intruder = intruder_host(sim, rng)
    gateways = [s for s in sim.network.modbus_servers if len(s.units) > 1]
    server = rng.choice(gateways or list(sim.network.modbus_servers))
    last = rng.randint(30, 247)
    rate = rng.uniform(10, 50) * amplitude
    units = {u.unit_id: u for u in server.units}

    def script() -> Script:
        ts = yield 0.0
        session = session_to(sim, intruder, server.host, rng)
        ts = session.open(ts)
        for unit_id in range(1, last + 1):
            request = modbus.read_request(modbus.READ_HOLDING_REGISTERS, 0, 1)
            unit = units.get(unit_id)
            if unit is not None:
                response: bytes | None = modbus.exception(modbus.READ_HOLDING_REGISTERS,
                                                          modbus.EXCEPTION_ILLEGAL_DATA_ADDRESS)
                holding = [b for b in unit.blocks if b.table is RegisterTable.HOLDING]
                if holding:
                    request, response, _ = read_call(sim, server.host.ip, unit_id,
                                                     holding[0], ts, rng)
            elif gateways:
                response = modbus.exception(modbus.READ_HOLDING_REGISTERS,
                                            modbus.EXCEPTION_GATEWAY_TARGET_FAILED)
            else:
                response = None
            done = session.pipelined(ts, [(unit_id, request, response)])
            ts = yield max(done, ts + 1.0 / rate) if response is not None else \
                ts + 1.0 / rate + 0.2
        session.close(ts)

    return Target(intruder.ip, server.host.ip, "modbus",
                  f"unit ids 1 to {last}, {rate:.0f} a second", script())


def host_scan(sim: Simulation, rng: Random, amplitude: float, budget: float) -> Target:
    """SYNs to port 502 of every address of the subnet: Modbus servers answer SYN-ACK
    (and get a RST), other hosts RST, free addresses nothing. Three times in ten an ARP
    sweep only (as arp-scan does): the ARP requests, the live hosts' replies, no SYN."""
    intruder = intruder_host(sim, rng)
    network = ipaddress.ip_network(sim.network.subnet)
    addresses = [str(a) for a in network.hosts()]
    if rng.random() < 0.5:
        rng.shuffle(addresses)
    hosts = {h.ip: h for h in sim.network.hosts}
    servers = {s.host.ip for s in sim.network.modbus_servers}
    rate = rng.uniform(20, 200) * amplitude
    arp_only = rng.random() < 0.3

    def script() -> Script:
        ts = yield 0.0
        scanner = sim.endpoint(intruder)
        for chunk in range(0, len(addresses), 16):
            for ip in addresses[chunk:chunk + 16]:
                ts += 1.0 / rate
                host = hosts.get(ip)
                if ip == intruder.ip:
                    continue
                sim.emit(ts, arp_request(scanner, socket.inet_aton(ip)))
                if host is None:
                    continue  # nobody answers, no SYN follows
                sim.emit(ts + 0.0002, arp_reply(sim.endpoint(host), scanner))
                if arp_only:
                    continue
                connection = sim.connection(intruder, host, modbus.PORT, rng)
                connection.probe(ts + 0.0004, rng.getrandbits(32), ip in servers)
            ts = yield ts

    if arp_only:
        return Target(intruder.ip, None, "arp",
                      f"ARP requests for {len(addresses)} addresses, {rate:.0f} a second",
                      script())
    return Target(intruder.ip, None, "tcp",
                  f"SYN to port 502 of {len(addresses)} addresses, {rate:.0f} a second",
                  script())


def bacnet_object_scan(sim: Simulation, rng: Random, amplitude: float, budget: float,
                       ) -> Target:
    """ReadProperty(object-name) of instance after instance: names for the objects that
    exist, errors (unknown object) for the others."""
    client = intruder_host(sim, rng) if rng.random() < 0.6 else hosts_of(sim, Role.BMS)[0]
    device = rng.choice(sim.network.bacnet_devices)
    existing = {(o.object_type, o.instance) for o in device.objects}
    last = rng.randint(20, 120)
    rate = rng.uniform(10, 50) * amplitude
    types = (bacnet.ANALOG_INPUT, bacnet.ANALOG_OUTPUT, bacnet.ANALOG_VALUE)

    def script() -> Script:
        ts = yield 0.0
        invoke = rng.randrange(256)
        for object_type in types:
            for instance in range(last):
                request = bacnet.read_property(object_type, instance, bacnet.OBJECT_NAME)
                if (object_type, instance) in existing:
                    answer = bacnet.complex_ack(0, bacnet.READ_PROPERTY, bacnet.read_property_ack(
                        object_type, instance, bacnet.OBJECT_NAME,
                        bacnet.app_character_string(f"PT-{object_type}-{instance}")))
                else:
                    answer = bacnet.error(0, bacnet.READ_PROPERTY, bacnet.ERROR_CLASS_OBJECT,
                                          bacnet.ERROR_UNKNOWN_OBJECT)
                invoke += 1
                bacnet_call(sim, ts, client, device.host, invoke, bacnet.READ_PROPERTY,
                             request, answer, rng)
                ts = yield ts + 1.0 / rate

    return Target(client.ip, device.host.ip, "bacnet",
                  f"object-name of instances 0 to {last - 1} of {len(types)} object types, "
                  f"{rate:.0f} a second", script())


