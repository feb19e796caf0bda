# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The rule detectors: each compares a message (or a newly opened flow) with the
baseline and raises an alert that says what deviated, from what learned value, by how
much. They read the decoder's message tuples as they are and keep their state in
dicts: detection must cost less than decoding (ADR 0014).

Scans are told apart from a single novelty by counting: ``SCAN_COUNT`` distinct new
unit ids, objects or peers from one source within ``SCAN_SECONDS``.

Compiled with Cython (ADR 0033); ``rules.pyi`` types it for mypy. What nearly every
message takes stays in C: a read request judged normal before is one lookup of its
signature, which holds its pair's rate state (the recent requests' times in a ring of C
doubles); a read answer is one lookup of its range's bounds and a C loop over its
values. An occurrence of an alert whose burst is open is only counted: its facts are
formatted for the occurrence that opens a burst, the only one whose facts are kept.
"""

from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from libc.stdlib cimport free, malloc, realloc

from cpstrust.ot.alerts cimport AlertAggregator

import math

from cpstrust.model.ot import BacnetMessage, ModbusMessage, PropertyRef, bacnet_service_name
from cpstrust.model.ot_detect import AlertKind
from cpstrust.ot import observe

SCAN_SECONDS = 60.0
SCAN_COUNT = 3
HOST_SCAN_COUNT = 4
FLOOD_FACTOR = 10.0  # a window holding this many times the most seen is a flood
UNKNOWN_PAIR_WINDOW = 1.0  # seconds: the rate window of a pair the baseline lacks
MAX_STATE = 100_000  # pairs, sources and new things followed at once
_RESTART, _LISTEN_ONLY = 1, 4  # Modbus diagnostics sub-functions
_REINITIALIZE, _COMMUNICATION_CONTROL = 20, 17  # BACnet confirmed services
_WRITES = frozenset({5, 6, 21, 22, 23})  # function classes that write
_CLASSED = frozenset({8, 15, 16, 43})  # functions with a class or a sub-function
_UNBOUNDED = (-math.inf, math.inf)
_bacnet_reports, _bacnet_values = observe.bacnet_reports, observe.bacnet_values
_WRITE_PROPERTY = observe.BACNET_WRITE_PROPERTY

# a Modbus message's fields, read by position: it is a named tuple, and an attribute
# lookup costs more than the rest of a normal message's judgement
cdef Py_ssize_t _TS = ModbusMessage._fields.index("ts")
cdef Py_ssize_t _SRC = ModbusMessage._fields.index("src")
cdef Py_ssize_t _DST = ModbusMessage._fields.index("dst")
cdef Py_ssize_t _UNIT = ModbusMessage._fields.index("unit_id")
cdef Py_ssize_t _FUNCTION = ModbusMessage._fields.index("function")
cdef Py_ssize_t _RESPONSE = ModbusMessage._fields.index("response")
cdef Py_ssize_t _EXCEPTION = ModbusMessage._fields.index("exception")
cdef Py_ssize_t _ADDRESS = ModbusMessage._fields.index("address")
cdef Py_ssize_t _QUANTITY = ModbusMessage._fields.index("quantity")
cdef Py_ssize_t _VALUES = ModbusMessage._fields.index("values")
# a BACnet message's, likewise
cdef Py_ssize_t _B_TS = BacnetMessage._fields.index("ts")
cdef Py_ssize_t _B_SRC = BacnetMessage._fields.index("src")
cdef Py_ssize_t _B_DST = BacnetMessage._fields.index("dst")
cdef Py_ssize_t _B_APDU = BacnetMessage._fields.index("apdu_type")
cdef Py_ssize_t _B_SERVICE = BacnetMessage._fields.index("service")
cdef Py_ssize_t _B_REFERENCES = BacnetMessage._fields.index("references")
cdef Py_ssize_t _R_TYPE = PropertyRef._fields.index("object_type")
cdef Py_ssize_t _R_INSTANCE = PropertyRef._fields.index("instance")
_modbus_type, _bacnet_type = ModbusMessage, BacnetMessage
# the kinds a message may raise again and again (a flood, a drifting value): read once,
# an enum member's lookup on its class costs a Python-level __getattr__ miss first
cdef object _FLOOD = AlertKind.FLOOD
cdef object _RATE_CHANGE = AlertKind.RATE_CHANGE
cdef object _OUT_OF_RANGE_VALUE = AlertKind.OUT_OF_RANGE_VALUE
cdef object _OUT_OF_RANGE_WRITE = AlertKind.OUT_OF_RANGE_WRITE


cdef str _fmt(double value):
    return f"{value:.6g}"


cdef str _what(tuple key):
    """What a learned value key names, as an alert's detail says it."""
    protocol, _device, a, b, c = key
    if protocol == "modbus":  # a, b, c: unit, table, address
        return f"unit {a} register {c}"
    return f"object {a}:{b} property {c}"  # type, instance, property


def _allowed_range(learned):
    """The values a learned range allows, its margin included (``ValueRange.allows``)."""
    return learned.low - learned.margin, learned.high + learned.margin


cdef class _Rate:
    """One pair's requests within its trailing window, and the window, limit and most
    learned (the most 0 for a pair the baseline lacks). Their times are a ring of C
    doubles, oldest at ``head``, grown as a flood needs: the deque it replaces cost a
    method call per append and per expiry."""

    cdef double* times
    cdef Py_ssize_t head, count, capacity  # capacity: a power of two
    cdef double window, limit, most
    # the pair's last rate alert's kind (None before one) and time: a flood stays one
    # alert as it ebbs
    cdef object burst_kind
    cdef double burst_ts

    def __cinit__(self, double window, double limit, double most):
        self.capacity = 8
        self.times = <double*>malloc(self.capacity * sizeof(double))
        if self.times == NULL:
            raise MemoryError()
        self.head = self.count = 0
        self.window, self.limit, self.most = window, limit, most

    def __dealloc__(self):
        free(self.times)

    cdef Py_ssize_t add(self, double ts) except -1:
        """Count a request at ``ts``: how many the window ending at it holds."""
        if self.count == self.capacity:
            self._grow()
        cdef Py_ssize_t mask = self.capacity - 1
        self.times[(self.head + self.count) & mask] = ts
        self.count += 1
        cdef double start = ts - self.window
        while self.count and self.times[self.head] < start:
            self.head = (self.head + 1) & mask
            self.count -= 1
        return self.count

    cdef int _grow(self) except -1:
        cdef Py_ssize_t capacity = self.capacity * 2
        cdef double* times = <double*>realloc(self.times, capacity * sizeof(double))
        if times == NULL:
            raise MemoryError()
        # the ring's wrapped part (before head) moves behind the old end: in order again
        cdef Py_ssize_t i
        for i in range(self.head):
            times[self.capacity + i] = times[i]
        self.times, self.capacity = times, capacity
        return 0


cdef class _Bounds:
    """The allowed values of each register of a read answer's range, low and high
    apart, in C doubles (unbounded where the baseline has no range)."""

    cdef double* lows
    cdef double* highs
    cdef Py_ssize_t count

    def __cinit__(self, Py_ssize_t count):
        self.count = count
        self.lows = <double*>malloc(max(count, 1) * sizeof(double))
        self.highs = <double*>malloc(max(count, 1) * sizeof(double))
        if self.lows == NULL or self.highs == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.lows)
        free(self.highs)

    cdef bint hold(self, tuple values) except -1:
        """Every value within its bounds. Registers are 16 bits: as C integers and
        doubles they compare exactly as the Python numbers do."""
        cdef Py_ssize_t i
        cdef long value
        for i in range(self.count):
            value = values[i]
            if not self.lows[i] <= value <= self.highs[i]:
                return False
        return True


cdef class RuleDetector:
    cdef object b, decoder
    cdef AlertAggregator alerts
    cdef list _opened
    cdef object _known_pairs, _functions, _server_functions, _modbus_units
    cdef object _bacnet_services, _bacnet_objects
    cdef set _modbus_servers, _bacnet_devices
    cdef dict _server_ranges, _allows, _allowed, _limits, _recent, _bounds, _new
    cdef set _pairs_alerted
    cdef dict _normal_reads, _rate_bursts, _written_values
    cdef double _unknown_limit
    cdef tuple _unknown_pair
    cdef public long long raised  # alerts raised so far

    def __init__(self, baseline, alerts, decoder):
        self.b = baseline
        self.alerts = alerts
        self.decoder = decoder
        self._opened = []
        decoder.opened = self._opened
        decoder.arp_sink = self.arp
        # hosts that talked (any protocol, ARP too, either way): asking for each other
        # is normal
        self._known_pairs = {(a, b) for a, b, _p, _s in baseline.talkers} | {
            (b, a) for a, b, _p, _s in baseline.talkers}
        self._functions = baseline.modbus_functions
        self._server_functions = {(s, f, sub) for _c, s, f, sub in baseline.modbus_functions}
        self._server_ranges = {}
        for (_c, server, unit, table), (low, high) in baseline.address_ranges.items():
            key = (server, unit, table)
            old = self._server_ranges.get(key, (low, high))
            self._server_ranges[key] = (min(old[0], low), max(old[1], high))
        self._modbus_units = baseline.modbus_units
        self._modbus_servers = {s for s, _u in baseline.modbus_units}
        self._bacnet_services = baseline.bacnet_services
        self._bacnet_objects = baseline.bacnet_objects
        self._bacnet_devices = {d for d, _t, _i in baseline.bacnet_objects}
        # every learned value key -> the values allowed
        self._allows = {key: _allowed_range(r) for key, r in baseline.values.items()}
        # (server, unit, table) -> address -> the values allowed: one lookup per answer
        self._allowed = {}
        for (protocol, server, unit, table_code, address), allows in self._allows.items():
            if protocol == "modbus":
                self._allowed.setdefault((server, unit, table_code), {})[address] = allows
        self._limits = {pair: (r.window, r.limit, r.max_count)
                        for pair, r in baseline.rates.items()}
        self._unknown_limit = max(20.0, 5.0 * baseline.fastest_rate * UNKNOWN_PAIR_WINDOW)
        self._unknown_pair = (UNKNOWN_PAIR_WINDOW, self._unknown_limit, 0)
        self._recent = {}  # per pair (client, server): its _Rate
        # a read answer's (server, unit, table, address, count) -> its _Bounds
        self._bounds = {}
        self._new = {}
        self._pairs_alerted = set()
        # a read request judged normal, by its signature -> its pair's _Rate (the
        # _Rate in _recent: both are dropped together)
        self._normal_reads = {}
        self.raised = 0
        # a pair's rate alert's kind and time while its _Rate is dropped (_drop_rates)
        self._rate_bursts = {}
        # the last value written to each register: reading it back reports nothing new
        self._written_values = {}

    def raise_alert(self, ts, kind, src, dst, detail, **facts):
        self.raised += 1
        self.alerts.raise_alert(ts, kind, src, dst, detail, f"alert_{kind.value}",
                                tuple(facts.items()))

    cdef bint _counted(self, double ts, object kind, object src, object dst,
                       str detail) except -1:
        """An occurrence of a burst the aggregator has open is only counted
        (``AlertAggregator.counted``): True, and its facts need no formatting."""
        if self.alerts.counted(ts, kind, src, dst, detail):
            self.raised += 1
            return True
        return False

    # Modbus ----------------------------------------------------------------------------

    def modbus(self, m):
        if type(m) is not _modbus_type:  # read by position below: a tuple of this shape
            raise TypeError(f"a ModbusMessage, not {type(m).__name__}")
        if self._opened:
            self.flows()
        cdef tuple t = <tuple>m
        if t[_RESPONSE]:
            if t[_VALUES] and t[_EXCEPTION] is None:
                self._reported(m, t)
            return
        client, server = t[_SRC], t[_DST]
        cdef double ts = t[_TS]
        cdef long long raised
        cdef PyObject* judged
        if t[_FUNCTION] <= 4:  # a read: judged once per distinct request, then remembered
            signature = (client, server, t[_UNIT], t[_FUNCTION], t[_ADDRESS], t[_QUANTITY])
            judged = PyDict_GetItem(self._normal_reads, signature)
            if judged != NULL:
                self._count(<_Rate>judged, ts, client, server)
                return
            raised = self.raised
            rate = self._request(m, client, server, ts)
            if self.raised == raised:
                if len(self._normal_reads) >= MAX_STATE:
                    self._normal_reads.clear()
                self._normal_reads[signature] = rate
            return
        self._request(m, client, server, ts)

    cdef _Rate _request(self, m, client, server, double ts):
        """Judge a request by what it asks; count it to its pair's rate (returned)."""
        function, sub = m.function, -1
        if function in _CLASSED:
            function, sub = observe.function_key(m)
        if function == 8:
            self._diagnostics(m, sub)
        elif (client, server, function, sub) not in self._functions:
            self._new_function(m, function, sub)
        if server in self._modbus_servers and (server, m.unit_id) not in self._modbus_units:
            self._new_unit(m)
        elif m.address is not None:
            self._address(m)
        if m.values and function in _WRITES:
            self._written(m)
        return self._rate(client, server, ts)

    cdef _diagnostics(self, m, sub):
        kind = (AlertKind.MODBUS_RESTART if sub == _RESTART else
                AlertKind.MODBUS_LISTEN_ONLY if sub == _LISTEN_ONLY else
                AlertKind.MODBUS_DIAGNOSTICS)
        if kind is AlertKind.MODBUS_DIAGNOSTICS and \
                (m.src, m.dst, 8, sub) in self._functions:
            return
        detail = f"unit {m.unit_id} sub-function {sub}"
        if not self._counted(m.ts, kind, m.src, m.dst, detail):
            self.raise_alert(m.ts, kind, m.src, m.dst, detail, unit=str(m.unit_id),
                             sub_function=str(sub))

    cdef _new_function(self, m, function, sub):
        writes = function in _WRITES
        if writes and (m.src, "modbus") not in self.b.writers:
            detail = f"modbus function {m.function}"
            if not self._counted(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst, detail):
                self.raise_alert(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst, detail,
                                 what=f"function {m.function}")
        elif not writes and (m.dst, function, sub) not in self._server_functions:
            detail = f"function {m.function}/{sub}"
            if self._counted(m.ts, AlertKind.NEW_FUNCTION_CODE, m.src, m.dst, detail):
                return
            learned = sorted({f for s, f, _sub in self._server_functions if s == m.dst})
            self.raise_alert(m.ts, AlertKind.NEW_FUNCTION_CODE, m.src, m.dst, detail,
                             function=str(m.function),
                             learned=", ".join(map(str, learned)) or "-")

    cdef _new_unit(self, m):
        scanned = self._novel(m.ts, m.src, m.dst, "unit", m.unit_id)
        kind = AlertKind.UNIT_ID_SCAN if scanned >= SCAN_COUNT else AlertKind.NEW_UNIT_ID
        detail = "" if scanned >= SCAN_COUNT else f"unit {m.unit_id}"
        if self._counted(m.ts, kind, m.src, m.dst, detail):
            return
        known = sorted(u for s, u in self._modbus_units if s == m.dst)
        self.raise_alert(m.ts, kind, m.src, m.dst, detail, unit=str(m.unit_id),
                         count=str(scanned), learned=", ".join(map(str, known)))

    cdef _address(self, m):
        table = observe.table_of(m.function)
        if table is None:
            return
        learned = self._server_ranges.get((m.dst, m.unit_id, table))
        end = m.address + max(m.quantity or 1, len(m.values), 1)
        if learned is None or m.address < learned[0] or end > learned[1]:
            detail = f"unit {m.unit_id} {table}"
            if not self._counted(m.ts, AlertKind.NEW_ADDRESS_RANGE, m.src, m.dst, detail):
                self.raise_alert(m.ts, AlertKind.NEW_ADDRESS_RANGE, m.src, m.dst, detail,
                                 table=table, range=f"{m.address}-{end - 1}",
                                 learned="-" if learned is None else
                                 f"{learned[0]}-{learned[1] - 1}")

    cdef _written(self, m):
        table = 3 if observe.table_of(m.function) == "holding" else 4
        written = self._written_values
        if len(written) >= MAX_STATE:
            written.clear()
        for address, value in observe.modbus_values(m):
            written[(m.dst, m.unit_id, address)] = value
            self._check_value(("modbus", m.dst, m.unit_id, table, address), value, m.ts,
                              m.src, m.dst, True)

    cdef _reported(self, m, tuple t):
        """A read answer's values against the learned ranges of its registers."""
        cdef long function = t[_FUNCTION]
        if (function != 3 and function != 4 and function != 23) or t[_ADDRESS] is None:
            return
        table = 4 if function == 4 else 3
        cdef tuple values = t[_VALUES]
        key = (t[_SRC], t[_UNIT], table, t[_ADDRESS], len(values))
        cdef PyObject* found = PyDict_GetItem(self._bounds, key)
        bounds = <_Bounds>found if found != NULL else self._bounds_of(key)
        if bounds.hold(values):
            return  # all within what was learned, as nearly always
        allowed = self._allowed.get((m.src, m.unit_id, table))
        if allowed is None:
            return
        address = m.address
        for value in values:
            allows = allowed.get(address)
            if allows is not None and not allows[0] <= value <= allows[1] \
                    and self._written_values.get((m.src, m.unit_id, address)) != value:
                self._check_value(("modbus", m.src, m.unit_id, table, address), value, m.ts,
                                  m.src, m.dst, False)
            address += 1

    cdef _Bounds _bounds_of(self, tuple key):
        """A read answer's range's bounds, remembered per range."""
        server, unit, table, address, count = key
        allowed = self._allowed.get((server, unit, table), {})
        cdef _Bounds bounds = _Bounds(count)
        cdef Py_ssize_t i
        for i in range(count):
            bounds.lows[i], bounds.highs[i] = allowed.get(address + i, _UNBOUNDED)
        if len(self._bounds) >= MAX_STATE:
            self._bounds.clear()
        self._bounds[key] = bounds
        return bounds

    cdef _check_value(self, tuple key, value, ts, src, dst, bint written):
        """A value reported (or, ``written``, written) against its learned range: what
        it names said only when it is out of range."""
        allows = self._allows.get(key)
        if allows is None or allows[0] <= value <= allows[1]:
            return
        kind = _OUT_OF_RANGE_WRITE if written else _OUT_OF_RANGE_VALUE
        what = _what(key)
        if self._counted(ts, kind, src, dst, what):
            return
        learned = self.b.values[key]
        self.raise_alert(ts, kind, src, dst, what, what=what, value=_fmt(value),
                         low=_fmt(learned.low), high=_fmt(learned.high),
                         margin=_fmt(learned.margin), by=_fmt(learned.distance(value)))

    cdef _Rate _rate(self, client, server, double ts):
        """The pair's rate state, the request at ``ts`` counted to it."""
        pair = (client, server)
        cdef PyObject* found = PyDict_GetItem(self._recent, pair)
        rate = <_Rate>found if found != NULL else self._new_rate(pair)
        self._count(rate, ts, client, server)
        return rate

    cdef _Rate _new_rate(self, tuple pair):
        if len(self._recent) >= MAX_STATE:
            self._drop_rates()
        window, limit, most = self._limits.get(pair) or self._unknown_pair
        cdef _Rate rate = _Rate(window, limit, most)
        burst = self._rate_bursts.pop(pair, None)
        if burst is not None:
            rate.burst_kind, rate.burst_ts = burst
        self._recent[pair] = rate
        return rate

    cdef int _drop_rates(self) except -1:
        """Forget every pair's rate state, too many followed; their rate alerts' bursts
        are put aside until the pair's state is new."""
        cdef _Rate rate
        for pair, state in self._recent.items():
            rate = <_Rate>state
            if rate.burst_kind is not None:
                self._rate_bursts[pair] = (rate.burst_kind, rate.burst_ts)
        self._recent.clear()
        self._normal_reads.clear()  # they hold the states just dropped
        return 0

    cdef int _count(self, _Rate rate, double ts, client, server) except -1:
        """Count a request to its pair's rate; too many in the window is an alert."""
        cdef Py_ssize_t count = rate.add(ts)
        if count > rate.limit:
            self._rate_alert(rate, count, ts, client, server)
        return 0

    cdef _rate_alert(self, _Rate rate, Py_ssize_t count, double ts, client, server):
        cdef double most = rate.most
        kind = _FLOOD if not most or count > FLOOD_FACTOR * most else _RATE_CHANGE
        if rate.burst_kind is not None and ts - rate.burst_ts <= self.alerts.gap:
            kind = rate.burst_kind  # one burst, one alert: a flood stays one as it ebbs
        rate.burst_kind, rate.burst_ts = kind, ts
        if self._counted(ts, kind, client, server, ""):
            return
        self.raise_alert(ts, kind, client, server, "", count=str(count),
                         window=_fmt(rate.window),
                         learned=_fmt(most or self._unknown_limit),
                         factor=_fmt(count / max(most, 1)))

    cdef Py_ssize_t _novel(self, ts, src, dst, str what, item) except -1:
        """Distinct new ``what``s from ``src`` to ``dst`` within ``SCAN_SECONDS``."""
        key = (src, dst, what)
        seen = self._new.get(key)
        if seen is None:
            if len(self._new) >= MAX_STATE:
                self._new.clear()
            seen = self._new[key] = {}
        seen[item] = ts
        if len(seen) >= SCAN_COUNT:
            for old in [i for i, t in seen.items() if t < ts - SCAN_SECONDS]:
                del seen[old]
        return len(seen)

    # BACnet ----------------------------------------------------------------------------

    def bacnet(self, m):
        if type(m) is not _bacnet_type:  # read by position below: a tuple of this shape
            raise TypeError(f"a BacnetMessage, not {type(m).__name__}")
        if self._opened:
            self.flows()
        cdef tuple t = <tuple>m
        ts, src, dst = t[_B_TS], t[_B_SRC], t[_B_DST]
        apdu, service = t[_B_APDU], t[_B_SERVICE]
        if apdu == 0 and service in (_REINITIALIZE, _COMMUNICATION_CONTROL):
            kind = (AlertKind.BACNET_REINITIALIZE if service == _REINITIALIZE else
                    AlertKind.BACNET_COMMUNICATION_CONTROL)
            if not self._counted(ts, kind, src, dst, ""):
                self.raise_alert(ts, kind, src, dst, "", code=str(m.code))
        elif apdu in (0, 1) and service is not None and \
                (src, dst, apdu, service) not in self._bacnet_services:
            self._new_service(m, apdu, service)
        if apdu == 0:
            self._objects(m, t, ts, src, dst)
        if _bacnet_reports(m):
            for object_type, instance, prop, value in _bacnet_values(m):
                self._check_value(("bacnet", src, object_type, instance, prop), value, ts,
                                  src, dst, False)

    cdef _new_service(self, m, apdu, service):
        name = bacnet_service_name(apdu, service)
        if service == _WRITE_PROPERTY and apdu == 0:
            if (m.src, "bacnet") not in self.b.writers and \
                    not self._counted(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst,
                                      "bacnet write"):  # a known writer's is no news
                self.raise_alert(m.ts, AlertKind.UNUSUAL_WRITER, m.src, m.dst,
                                 "bacnet write", what=name)
            return
        if m.dst not in self._bacnet_devices and m.src not in self._bacnet_devices:
            return  # not a device the baseline knows: the new talker says it
        if self._counted(m.ts, AlertKind.NEW_BACNET_SERVICE, m.src, m.dst, name):
            return
        learned = sorted({bacnet_service_name(a, s) for c, d, a, s in self._bacnet_services
                          if d == m.dst})
        self.raise_alert(m.ts, AlertKind.NEW_BACNET_SERVICE, m.src, m.dst, name,
                         service=name, learned=", ".join(learned) or "-")

    cdef _objects(self, m, tuple t, ts, src, dst):
        """The objects a confirmed request names: one the baseline lacks on a device it
        knows is new, many within ``SCAN_SECONDS`` a scan; a write's values checked."""
        cdef tuple ref
        for reference in t[_B_REFERENCES]:
            ref = <tuple>reference
            object_type, instance = ref[_R_TYPE], ref[_R_INSTANCE]
            if instance is None or object_type is None or \
                    (dst, object_type, instance) in self._bacnet_objects:
                continue
            if dst not in self._bacnet_devices:
                return
            scanned = self._novel(ts, src, dst, "object", (object_type, instance))
            scan = scanned >= SCAN_COUNT
            kind = AlertKind.BACNET_OBJECT_SCAN if scan else AlertKind.NEW_BACNET_OBJECT
            detail = "" if scan else f"object {object_type}:{instance}"
            if not self._counted(ts, kind, src, dst, detail):
                self.raise_alert(ts, kind, src, dst, detail,
                                 object=f"{object_type}:{instance}", count=str(scanned))
        if t[_B_SERVICE] == _WRITE_PROPERTY:
            for object_type, instance, prop, value in _bacnet_values(m):
                self._check_value(("bacnet", dst, object_type, instance, prop), value, ts,
                                  src, dst, True)

    # ARP -------------------------------------------------------------------------------

    def arp(self, m):
        """An ARP request for a host the sender never talked to is a peer it looks for:
        many within ``SCAN_SECONDS`` (counted with the new flows' peers) are a host
        scan, even when nothing but ARP goes out (an ARP sweep)."""
        if not observe.arp_asks(m) or (m.sender_ip, m.target_ip) in self._known_pairs:
            return
        peers = self._novel(m.ts, m.sender_ip, None, "peer", m.target_ip)
        if peers >= HOST_SCAN_COUNT and \
                not self._counted(m.ts, AlertKind.HOST_SCAN, m.sender_ip, None, ""):
            self.raise_alert(m.ts, AlertKind.HOST_SCAN, m.sender_ip, None, "",
                             count=str(peers))

    # Flows -----------------------------------------------------------------------------

    def flows(self):
        """Flows opened since the last call: a pair of hosts that never spoke, or not
        with this service, is a new talker; many new peers of one source, a host scan."""
        opened = self._opened[:]
        self._opened.clear()
        decoder = self.decoder
        for key in opened:
            self._flow(key, decoder)

    cdef _flow(self, key, decoder):
        src_b, dst_b, protocol, sport, dport = key
        counters = decoder.flows.get(key)
        if counters is None:
            return
        ts = float(counters[2])
        src, dst = decoder.ip_text(src_b), decoder.ip_text(dst_b)
        service = observe.service_port(sport, dport)
        talkers = self.b.talkers
        if (src, dst, protocol, service) in talkers or (dst, src, protocol, service) in talkers:
            return
        pair = (src, dst) if src < dst else (dst, src)
        if pair in self._pairs_alerted:
            return
        if len(self._pairs_alerted) >= MAX_STATE:
            self._pairs_alerted.clear()
        self._pairs_alerted.add(pair)
        peers = self._novel(ts, src, None, "peer", dst)
        if peers >= HOST_SCAN_COUNT:
            if not self._counted(ts, AlertKind.HOST_SCAN, src, None, ""):
                self.raise_alert(ts, AlertKind.HOST_SCAN, src, None, "", count=str(peers))
            return
        detail = f"{protocol}/{service}"
        if self._counted(ts, AlertKind.NEW_TALKER, src, dst, detail):
            return
        new_host = src if src not in self.b.hosts else dst if dst not in self.b.hosts else "-"
        self.raise_alert(ts, AlertKind.NEW_TALKER, src, dst, detail,
                         protocol=str(protocol), port=str(service), new_host=new_host)
