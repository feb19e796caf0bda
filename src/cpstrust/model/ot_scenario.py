"""What a scenario is made of: its network, its attack episodes and the frames it yields."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    HMI = "hmi"
    SCADA = "scada"
    ENGINEERING = "engineering"
    PLC = "plc"
    GATEWAY = "gateway"  # a Modbus/TCP gateway with serial units behind it
    BMS = "bms"
    BACNET_CONTROLLER = "bacnet_controller"
    BYSTANDER = "bystander"  # an office or IT host that speaks no OT protocol


class AttackKind(StrEnum):
    NEW_TALKER = "new_talker"
    NEW_FUNCTION_CODE = "new_function_code"
    NEW_BACNET_SERVICE = "new_bacnet_service"
    UNUSUAL_WRITER = "unusual_writer"
    MODBUS_DIAGNOSTICS = "modbus_diagnostics"
    MODBUS_RESTART = "modbus_restart"
    MODBUS_LISTEN_ONLY = "modbus_listen_only"
    BACNET_REINITIALIZE = "bacnet_reinitialize"
    BACNET_COMMUNICATION_CONTROL = "bacnet_communication_control"
    OUT_OF_RANGE_WRITE = "out_of_range_write"
    OUT_OF_RANGE_VALUE = "out_of_range_value"
    RATE_CHANGE = "rate_change"
    FLOOD = "flood"
    UNIT_ID_SCAN = "unit_id_scan"
    HOST_SCAN = "host_scan"
    BACNET_OBJECT_SCAN = "bacnet_object_scan"


# The ATT&CK for ICS technique of each kind (tests check every id against the offline
# ics-attack.json). A kind with variants of another intent names theirs on the episode.
TECHNIQUE: dict[AttackKind, str] = {
    AttackKind.NEW_TALKER: "T0848",  # Rogue Master
    AttackKind.NEW_FUNCTION_CODE: "T0888",  # Remote System Information Discovery
    AttackKind.NEW_BACNET_SERVICE: "T0845",  # Program Upload (AtomicReadFile)
    AttackKind.UNUSUAL_WRITER: "T0855",  # Unauthorized Command Message
    AttackKind.MODBUS_DIAGNOSTICS: "T0888",  # Remote System Information Discovery
    AttackKind.MODBUS_RESTART: "T0816",  # Device Restart/Shutdown
    AttackKind.MODBUS_LISTEN_ONLY: "T0814",  # Denial of Service
    AttackKind.BACNET_REINITIALIZE: "T0816",  # Device Restart/Shutdown
    AttackKind.BACNET_COMMUNICATION_CONTROL: "T0814",  # Denial of Service
    AttackKind.OUT_OF_RANGE_WRITE: "T0836",  # Modify Parameter
    AttackKind.OUT_OF_RANGE_VALUE: "T0856",  # Spoof Reporting Message
    AttackKind.RATE_CHANGE: "T0802",  # Automated Collection
    AttackKind.FLOOD: "T0814",  # Denial of Service
    AttackKind.UNIT_ID_SCAN: "T0846",  # Remote System Discovery
    AttackKind.HOST_SCAN: "T0846",  # Remote System Discovery
    AttackKind.BACNET_OBJECT_SCAN: "T0861",  # Point & Tag Identification
}


@dataclass(frozen=True, slots=True)
class Host:
    name: str
    role: Role
    ip: str
    mac: bytes


class RegisterTable(StrEnum):
    COIL = "coil"  # read with fc 1, written with fc 5/15
    DISCRETE_INPUT = "discrete_input"  # fc 2
    HOLDING = "holding"  # fc 3, written with fc 6/16
    INPUT = "input"  # fc 4


@dataclass(frozen=True, slots=True)
class Signal:
    """A process value as a raw 16-bit (or bit) quantity: inside [low, high] in normal
    operation, following a slow cycle around ``centre`` plus noise."""

    low: int
    high: int
    centre: float
    amplitude: float  # of the slow cycle
    period: float  # seconds of the slow cycle
    phase: float
    noise: float  # standard deviation of the measurement noise


@dataclass(frozen=True, slots=True)
class RegisterBlock:
    """Consecutive registers (or bits) read in one request; ``writable`` setpoints are
    what operators write."""

    table: RegisterTable
    address: int
    signals: tuple[Signal, ...]
    writable: bool


@dataclass(frozen=True, slots=True)
class ModbusUnit:
    unit_id: int
    blocks: tuple[RegisterBlock, ...]


@dataclass(frozen=True, slots=True)
class ModbusServer:
    host: Host
    units: tuple[ModbusUnit, ...]


@dataclass(frozen=True, slots=True)
class PollPlan:
    """A master's cyclic poll of one server: every ``period`` seconds (± jitter), each
    (unit, block) in turn on one TCP connection."""

    master: Host
    server: ModbusServer
    reads: tuple[tuple[int, int], ...]  # (unit index, block index)
    period: float
    jitter: float  # standard deviation, seconds
    writes_per_hour: float  # operator or engineering writes to writable blocks
    reconnects_per_hour: float


@dataclass(frozen=True, slots=True)
class BacnetObject:
    object_type: int  # 0 analog-input, 1 analog-output, 2 analog-value
    instance: int
    signal: Signal
    cov_increment: float  # None of COV when 0


@dataclass(frozen=True, slots=True)
class BacnetDevice:
    host: Host
    instance: int
    vendor_id: int
    objects: tuple[BacnetObject, ...]


@dataclass(frozen=True, slots=True)
class BacnetPlan:
    """The BMS's periodic reads of one device; its COV subscriptions; its writes."""

    client: Host
    device: BacnetDevice
    period: float
    jitter: float
    multiple: bool  # ReadPropertyMultiple rather than one ReadProperty per object
    cov_objects: tuple[int, ...]  # indexes into device.objects
    writes_per_hour: float


@dataclass(frozen=True, slots=True)
class Network:
    subnet: str  # a /24, e.g. "10.12.3.0/24"
    gateway_mac: bytes
    hosts: tuple[Host, ...]
    modbus_servers: tuple[ModbusServer, ...]
    polls: tuple[PollPlan, ...]
    bacnet_devices: tuple[BacnetDevice, ...]
    bacnet_plans: tuple[BacnetPlan, ...]
    spare_ips: tuple[str, ...]  # addresses no host uses: attackers come from these


@dataclass(frozen=True, slots=True)
class Episode:
    """One attack: its frames all lie in [start, end] (epoch seconds)."""

    episode_id: int
    kind: AttackKind
    technique: str
    start: float
    end: float
    src: str
    dst: str | None  # None when it aims at many hosts (a host scan)
    protocol: str  # "modbus", "bacnet", "tcp" or "arp" (an ARP sweep)
    detail: str  # what was done, for a person reading the ground truth


@dataclass(frozen=True, slots=True)
class Frame:
    """An Ethernet frame at a simulated time; ``episode`` is the attack it belongs to,
    or None for normal traffic."""

    ts: float
    data: bytes
    episode: int | None
