"""What OT detection learns and what it reports: the baseline of normal traffic, and
alerts that say what deviated, from what learned value, by how much. Values only: the
baseline's file format is ``formats.ot_baseline``.

An alert keeps a stable ``key`` (kind, source, destination, what deviated) so that it
can become a finding later and the same deviation met again updates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.advisory import Severity

BASELINE_VERSION = 2
# what the learned model sees of a flow's window (``ot.features``), in order
WINDOW_FEATURES = ("requests", "against_expected", "known_flow", "functions",
                   "function_entropy", "units", "addresses", "write_share",
                   "exception_share", "unanswered", "interval_spread", "items_per_request")


class AlertKind(StrEnum):
    NEW_TALKER = "new_talker"
    NEW_FUNCTION_CODE = "new_function_code"
    NEW_UNIT_ID = "new_unit_id"
    NEW_ADDRESS_RANGE = "new_address_range"
    NEW_BACNET_SERVICE = "new_bacnet_service"
    NEW_BACNET_OBJECT = "new_bacnet_object"
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
    ANOMALOUS_WINDOW = "anomalous_window"  # the learned model, not a rule


class Detector(StrEnum):
    RULES = "rules"
    MODEL = "model"


@dataclass(frozen=True, slots=True)
class KindProfile:
    """What an alert of a kind means: how grave, which ATT&CK for ICS technique, and the
    CPSF requirements whose countermeasures answer it."""

    severity: Severity
    technique: str | None
    requirements: tuple[str, ...]


_WATCH = ("CPS.AE-1", "CPS.CM-1")
_ACCESS = ("CPS.AC-9", "CPS.AC-1", "CPS.CM-1")
_RESPOND = ("CPS.AC-9", "CPS.CM-1", "CPS.RP-1")

# Techniques are checked against the offline ATT&CK for ICS bundle by a test.
PROFILES: dict[AlertKind, KindProfile] = {
    AlertKind.NEW_TALKER: KindProfile(Severity.MEDIUM, "T0848", (*_WATCH, "CPS.AC-9", "CPS.AM-1")),
    AlertKind.NEW_FUNCTION_CODE: KindProfile(Severity.MEDIUM, "T0888", (*_WATCH, "CPS.AC-9")),
    AlertKind.NEW_UNIT_ID: KindProfile(Severity.LOW, "T0846", (*_WATCH, "CPS.AM-1")),
    AlertKind.NEW_ADDRESS_RANGE: KindProfile(Severity.LOW, "T0861", _WATCH),
    AlertKind.NEW_BACNET_SERVICE: KindProfile(Severity.MEDIUM, "T0888", (*_WATCH, "CPS.AC-9")),
    AlertKind.NEW_BACNET_OBJECT: KindProfile(Severity.LOW, "T0861", _WATCH),
    AlertKind.UNUSUAL_WRITER: KindProfile(Severity.HIGH, "T0855", _ACCESS),
    AlertKind.MODBUS_DIAGNOSTICS: KindProfile(Severity.MEDIUM, "T0888", _RESPOND),
    AlertKind.MODBUS_RESTART: KindProfile(Severity.HIGH, "T0816", (*_RESPOND, "CPS.AC-1")),
    AlertKind.MODBUS_LISTEN_ONLY: KindProfile(Severity.CRITICAL, "T0814",
                                              (*_RESPOND, "CPS.AC-1")),
    AlertKind.BACNET_REINITIALIZE: KindProfile(Severity.HIGH, "T0816", (*_RESPOND, "CPS.AC-1")),
    AlertKind.BACNET_COMMUNICATION_CONTROL: KindProfile(Severity.CRITICAL, "T0814",
                                                        (*_RESPOND, "CPS.AC-1")),
    AlertKind.OUT_OF_RANGE_WRITE: KindProfile(Severity.HIGH, "T0836", _RESPOND),
    AlertKind.OUT_OF_RANGE_VALUE: KindProfile(Severity.HIGH, "T0856",
                                              ("CPS.DS-1", "CPS.CM-1", "CPS.RP-1")),
    AlertKind.RATE_CHANGE: KindProfile(Severity.MEDIUM, "T0802", _WATCH),
    AlertKind.FLOOD: KindProfile(Severity.HIGH, "T0814", (*_WATCH, "CPS.RP-1")),
    AlertKind.UNIT_ID_SCAN: KindProfile(Severity.MEDIUM, "T0846", (*_WATCH, "CPS.AM-1")),
    AlertKind.HOST_SCAN: KindProfile(Severity.MEDIUM, "T0846", (*_WATCH, "CPS.AM-1")),
    AlertKind.BACNET_OBJECT_SCAN: KindProfile(Severity.MEDIUM, "T0861", (*_WATCH, "CPS.AM-1")),
    AlertKind.ANOMALOUS_WINDOW: KindProfile(Severity.LOW, None, _WATCH),
}

# The names of the techniques above, as ATT&CK for ICS (v18) gives them. © 2025 The
# MITRE Corporation; reproduced with its permission (see NOTICE).
TECHNIQUE_NAMES: dict[str, str] = {
    "T0802": "Automated Collection",
    "T0814": "Denial of Service",
    "T0816": "Device Restart/Shutdown",
    "T0836": "Modify Parameter",
    "T0846": "Remote System Discovery",
    "T0848": "Rogue Master",
    "T0855": "Unauthorized Command Message",
    "T0856": "Spoof Reporting Message",
    "T0861": "Point & Tag Identification",
    "T0888": "Remote System Information Discovery",
}


@dataclass(frozen=True, slots=True)
class Alert:
    """One deviation, or a burst of the same one aggregated (``count`` occurrences
    between ``ts_first`` and ``ts_last``). ``explanation`` is a message code of the
    catalogue and ``facts`` its facts: what deviated, the learned value, by how much."""

    kind: AlertKind
    detector: Detector
    ts_first: float
    ts_last: float
    src: str | None
    dst: str | None
    detail: str  # what deviated, as a stable text: part of the key
    count: int
    explanation: str
    facts: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """Stable across runs and captures: the same deviation has the same key."""
        return f"{self.kind}|{self.src or '-'}|{self.dst or '-'}|{self.detail}"

    @property
    def profile(self) -> KindProfile:
        return PROFILES[self.kind]


@dataclass(frozen=True, slots=True)
class ValueRange:
    """Values seen of one register or object property: [low, high], and the margin
    beyond it learned from how they varied (noise, drift)."""

    low: float
    high: float
    margin: float
    samples: int

    def allows(self, value: float) -> bool:
        return self.low - self.margin <= value <= self.high + self.margin

    def distance(self, value: float) -> float:
        return max(self.low - value, value - self.high, 0.0)


@dataclass(frozen=True, slots=True)
class RateProfile:
    """The requests of one client to one server: their median interval and its spread,
    and how many fall in a trailing window of ``window`` seconds (median, the most)."""

    interval: float
    interval_mad: float
    window: float
    median_count: float
    max_count: int
    per_window: float  # median requests in the learned model's fixed windows

    @property
    def limit(self) -> float:
        """The most requests a window may hold before it is a rate change: the most
        seen, with half again for slack, and room for a poll cycle's jitter."""
        return self.max_count * 1.5 + 2


# (client, server, function class, sub-function or -1)
ModbusFunctionKey = tuple[str, str, int, int]
# (client, server, unit id, table) -> lowest address, one past the highest
AddressKey = tuple[str, str, int, str]
# ("modbus", server, unit, table, address) or ("bacnet", device, type, instance, property)
ValueKey = tuple[str, str, int, int, int]
# (client, server, APDU type, service)
BacnetServiceKey = tuple[str, str, int, int]
# (src, dst, IP protocol, service port)
TalkerKey = tuple[str, str, int, int]


@dataclass(frozen=True, slots=True)
class Baseline:
    """What normal looks like, learned from captures of normal operation."""

    version: int
    packets: int
    first_ts: float
    last_ts: float
    hosts: frozenset[str]
    talkers: frozenset[TalkerKey]
    modbus_functions: frozenset[ModbusFunctionKey]
    modbus_units: frozenset[tuple[str, int]]  # (server, unit id)
    address_ranges: dict[AddressKey, tuple[int, int]]
    writers: frozenset[tuple[str, str]]  # (client, protocol) that wrote
    bacnet_services: frozenset[BacnetServiceKey]
    bacnet_objects: frozenset[tuple[str, int, int]]  # (device, object type, instance)
    values: dict[ValueKey, ValueRange]
    rates: dict[tuple[str, str], RateProfile]
    fastest_rate: float  # requests per second of the busiest pair's fullest window
    model: WindowModelParams | None  # None when training held too few windows


@dataclass(frozen=True, slots=True)
class WindowModelParams:
    """The learned model as fitted at learn time: an isolation forest over windows less
    their flow's median window (what is unusual for this flow, not which flow it is),
    its trees as flat arrays (every tree's nodes one after another; a leaf is its own
    child and holds the path length it stands for), the scores below which a window is
    an alert, and each feature's spread (median absolute deviation) that explains it.
    Analysing scores with these alone: nothing is refitted."""

    windows: int  # training windows it was fitted on
    # each flow's (client, server, protocol) median window, which its windows are scored
    # against; a flow with too few training windows is scored against ``median``
    centres: dict[tuple[str, str, str], tuple[float, ...]]
    roots: tuple[int, ...]  # each tree's first node
    feature: tuple[int, ...]
    split: tuple[float, ...]  # go left when the feature is at most this
    left: tuple[int, ...]
    right: tuple[int, ...]
    path: tuple[float, ...]  # a leaf's depth plus the expected depth below it; 0 elsewhere
    depth: int  # the deepest leaf: the steps a traversal takes
    normaliser: float  # the expected path length of the forest's sample size
    threshold: float  # scores below are anomalous to the model alone
    strict: float  # scores below are alerts beside the rules: stranger than all training
    median: tuple[float, ...]  # of every training window
    spread: tuple[float, ...]  # median absolute deviation from its flow's centre
