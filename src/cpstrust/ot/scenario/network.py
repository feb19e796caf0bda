"""The network a seed draws: addresses, roles, register maps, BACnet objects, polling
plans. Every choice comes from the scenario's random generator, so another seed gives
other hosts, registers, periods and amounts of variation."""

from __future__ import annotations

import math
from random import Random

from cpstrust.model.ot_scenario import (
    BacnetDevice,
    BacnetObject,
    BacnetPlan,
    Host,
    ModbusServer,
    ModbusUnit,
    Network,
    PollPlan,
    RegisterBlock,
    RegisterTable,
    Role,
    Signal,
)
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario import bacnet

# Organisationally unique identifiers of vendors found on plant floors, so that MAC
# addresses look like the real thing (Siemens, Schneider, Rockwell, Phoenix Contact,
# WAGO, Dell, HP, Honeywell, Johnson Controls, Beckhoff).
_OUIS = (b"\x00\x1b\x1b", b"\x00\x80\xf4", b"\x00\x00\xbc", b"\x00\xa0\x45", b"\x00\x30\xde",
         b"\x00\x14\x22", b"\x3c\xd9\x2b", b"\x00\x40\x84", b"\x00\x10\x36", b"\x00\x01\x05")
_BACNET_VENDORS = (5, 7, 8, 15, 24, 36, 42, 95)  # JCI, Siemens, Delta, Honeywell, ALC, ...


def draw_network(config: ScenarioConfig, rng: Random) -> Network:
    """The hosts and plans of ``config``'s scenario, drawn from ``rng``."""
    subnet = _subnet(rng)
    servers = rng.randint(*config.modbus_servers)
    devices = rng.randint(*config.bacnet_devices)
    bystanders = rng.randint(*config.bystanders)
    hmis = rng.randint(1, 2)
    roles = ([Role.SCADA, Role.ENGINEERING, Role.BMS] + [Role.HMI] * hmis
             + [Role.PLC] * servers + [Role.BACNET_CONTROLLER] * devices
             + [Role.BYSTANDER] * bystanders)
    numbers = rng.sample(range(2, 251), len(roles) + 8)  # .1 is the router
    hosts = tuple(_host(role, i, f"{subnet}.{n}", rng)
                  for i, (role, n) in enumerate(zip(roles, numbers, strict=False)))
    spare = tuple(f"{subnet}.{n}" for n in numbers[len(roles):])
    modbus = tuple(_modbus_server(h, config, rng) for h in hosts if h.role is Role.PLC)
    bacnet_devices = tuple(_bacnet_device(h, config, rng) for h in hosts
                           if h.role is Role.BACNET_CONTROLLER)
    return Network(
        subnet=f"{subnet}.0/24", gateway_mac=_OUIS[0] + rng.randbytes(3), hosts=hosts,
        modbus_servers=modbus, polls=_poll_plans(hosts, modbus, config, rng),
        bacnet_devices=bacnet_devices,
        bacnet_plans=_bacnet_plans(hosts, bacnet_devices, config, rng), spare_ips=spare)


def _subnet(rng: Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}"
    if choice == 1:
        return f"172.{rng.randrange(16, 32)}.{rng.randrange(256)}"
    return f"192.168.{rng.randrange(256)}"


def random_mac(rng: Random) -> bytes:
    """A MAC address under one of the vendors' prefixes."""
    return rng.choice(_OUIS) + rng.randbytes(3)


def _host(role: Role, index: int, ip: str, rng: Random) -> Host:
    mac = random_mac(rng)
    return Host(name=f"{role.value}-{index}", role=role, ip=ip, mac=mac)


def _signal(rng: Random, config: ScenarioConfig, low: int, high: int, bits: bool) -> Signal:
    span = high - low
    centre = low + span * rng.uniform(0.35, 0.65)
    amplitude = span * (rng.uniform(0.4, 0.7) if bits else rng.uniform(0.05, 0.3))
    longest = max(600.0, config.normal_seconds / 2)  # training sees whole cycles
    noise = 0.0 if bits else span * rng.uniform(0.002, 0.02) * config.variation
    return Signal(low=low, high=high, centre=centre, amplitude=amplitude,
                  period=rng.uniform(120.0, longest), phase=rng.uniform(0, 2 * math.pi),
                  noise=noise)


def _register_signal(rng: Random, config: ScenarioConfig) -> Signal:
    low = rng.choice((0, 0, 0, rng.randrange(0, 2000)))
    high = min(65535, low + rng.choice((100, 1000, 4000, 10000, 27648, 32000)))
    return _signal(rng, config, low, high, bits=False)


def _blocks(rng: Random, config: ScenarioConfig) -> tuple[RegisterBlock, ...]:
    """Measurements (input registers), setpoints and status (holding registers), outputs
    (coils) and contacts (discrete inputs), at addresses the seed picks."""
    base = rng.choice((0, 0, 100, 400, 1000, 3000))
    specs = [(RegisterTable.INPUT, rng.randint(2, 12), False),
             (RegisterTable.HOLDING, rng.randint(1, 6), True),
             (RegisterTable.HOLDING, rng.randint(2, 10), False)]
    if rng.random() < 0.7:
        specs.append((RegisterTable.COIL, rng.randint(4, 16), False))
    if rng.random() < 0.5:
        specs.append((RegisterTable.DISCRETE_INPUT, rng.randint(4, 16), False))
    blocks = []
    next_free = {table: base + rng.randrange(0, 50) for table in RegisterTable}
    for table, count, writable in specs:
        address = next_free[table] + rng.randrange(0, 40)
        next_free[table] = address + count + rng.randrange(1, 60)
        bits = table in (RegisterTable.COIL, RegisterTable.DISCRETE_INPUT)
        signals = tuple(_signal(rng, config, 0, 1, bits=True) if bits
                        else _register_signal(rng, config) for _ in range(count))
        blocks.append(RegisterBlock(table=table, address=address, signals=signals,
                                    writable=writable))
    return tuple(blocks)


def _modbus_server(host: Host, config: ScenarioConfig, rng: Random) -> ModbusServer:
    if rng.random() < 0.3:  # a gateway to serial RTUs: several unit ids behind one IP
        unit_ids = sorted(rng.sample(range(1, 248), rng.randint(2, 4)))
        host = Host(name=host.name.replace("plc", "gateway"), role=Role.GATEWAY, ip=host.ip,
                    mac=host.mac)
    else:
        unit_ids = [rng.choice((0, 1, 1, 1, 255))]
    return ModbusServer(host=host, units=tuple(ModbusUnit(u, _blocks(rng, config))
                                               for u in unit_ids))


def _reads(server: ModbusServer, keep: float, rng: Random) -> tuple[tuple[int, int], ...]:
    reads = [(u, b) for u, unit in enumerate(server.units) for b in range(len(unit.blocks))
             if rng.random() < keep]
    return tuple(reads) or ((0, 0),)


def _poll_plans(hosts: tuple[Host, ...], servers: tuple[ModbusServer, ...],
                config: ScenarioConfig, rng: Random) -> tuple[PollPlan, ...]:
    """SCADA polls every server and never writes; each HMI polls some and writes
    setpoints; the engineering workstation reads a few slowly and writes seldom."""
    plans = []
    v = config.variation
    low, high = config.poll_period
    for master in hosts:
        if master.role is Role.SCADA:
            chosen, keep, writes, slow = list(servers), 1.0, 0.0, 1.0
        elif master.role is Role.HMI:
            chosen = rng.sample(servers, rng.randint(1, len(servers)))
            keep, writes, slow = 0.6, rng.uniform(2.0, 8.0) * max(v, 0.25), 1.0
        elif master.role is Role.ENGINEERING:
            chosen = rng.sample(servers, min(len(servers), rng.randint(1, 2)))
            keep, writes, slow = 0.5, rng.uniform(0.5, 2.0) * max(v, 0.25), 10.0
        else:
            continue
        for server in chosen:
            period = rng.uniform(low, high) * slow
            plans.append(PollPlan(
                master=master, server=server, reads=_reads(server, keep, rng), period=period,
                jitter=period * rng.uniform(0.005, 0.05) * v, writes_per_hour=writes,
                reconnects_per_hour=rng.uniform(0.1, 1.0) * v))
    return tuple(plans)


def _bacnet_device(host: Host, config: ScenarioConfig, rng: Random) -> BacnetDevice:
    objects = []
    used: set[tuple[int, int]] = set()
    for _ in range(rng.randint(3, 10)):
        object_type = rng.choice((bacnet.ANALOG_INPUT, bacnet.ANALOG_INPUT,
                                  bacnet.ANALOG_OUTPUT, bacnet.ANALOG_VALUE))
        instance = rng.randrange(0, 200)
        if (object_type, instance) in used:
            continue
        used.add((object_type, instance))
        low = rng.choice((-20, 0, 0, 10))
        signal = _signal(rng, config, low, low + rng.choice((40, 100, 500, 2000)), bits=False)
        increment = (signal.high - signal.low) * rng.uniform(0.01, 0.05)
        objects.append(BacnetObject(object_type, instance, signal, increment))
    return BacnetDevice(host=host, instance=rng.randrange(1000, 4_194_303),
                        vendor_id=rng.choice(_BACNET_VENDORS), objects=tuple(objects))


def _bacnet_plans(hosts: tuple[Host, ...], devices: tuple[BacnetDevice, ...],
                  config: ScenarioConfig, rng: Random) -> tuple[BacnetPlan, ...]:
    bms = next(h for h in hosts if h.role is Role.BMS)
    plans = []
    for device in devices:
        period = rng.uniform(*config.bacnet_period)
        inputs = [i for i, o in enumerate(device.objects) if o.object_type == bacnet.ANALOG_INPUT]
        cov = tuple(rng.sample(inputs, min(len(inputs), rng.randint(0, 2))))
        plans.append(BacnetPlan(
            client=bms, device=device, period=period,
            jitter=period * rng.uniform(0.005, 0.05) * config.variation,
            multiple=rng.random() < 0.6, cov_objects=cov,
            writes_per_hour=rng.uniform(0.5, 3.0) * max(config.variation, 0.25)))
    return tuple(plans)
