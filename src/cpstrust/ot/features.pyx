# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
# cython: cdivision=True
"""What the learned model sees: per-flow windows of fixed length, each summed up as a
vector (``WINDOW_FEATURES``) of what rules judge poorly one message at a time: the
request rate against what the baseline expected, the mix of functions (how many, and
its entropy), units and addresses touched, the share of writes and of exceptions,
requests left unanswered, how regular the requests came (the spread of their
intervals) and how much each asked for. The same code feeds learning and detection, so
the model is scored on exactly what it was trained on.

Compiled with Cython (ADR 0033): on slow polls a window holds a few requests, so
opening, closing and summing one up is paid nearly per request. Each flow keeps one
``_Flow`` of C counters for its whole life, reset rather than re-made when its window
closes, found by client then server (no key tuple built per message); the vector is
computed with the C library's functions, the very ones Python's ``math`` calls, and
rounded as Python's ``round`` rounds. ``features.pyi`` types it for mypy."""

from cpython.dict cimport PyDict_GetItemWithError
from cpython.mem cimport PyMem_Free, PyMem_Realloc
from cpython.object cimport PyObject
from libc.math cimport INFINITY, copysign, fabs, floor, fmod, log, log1p, log2, sqrt

from collections.abc import Callable

from cpstrust.model.ot import MODBUS_WRITE_FUNCTIONS, BacnetMessage, ModbusMessage

WINDOW_SECONDS = 10.0
FlowWindowKey = tuple[str, str, str]  # client, server, protocol
# what a closed window yields: the flow, its first and last message time, the vector
WindowSink = Callable[[FlowWindowKey, float, float, tuple[float, ...]], None]
cdef double _SECONDS = WINDOW_SECONDS
cdef enum:
    _BACNET_CONFIRMED = 0
    _BACNET_UNCONFIRMED = 1
    _BACNET_WRITE = 15  # WriteProperty
    _BACNET_ERROR = 5  # error, reject, abort: 5, 6, 7
    _BACNET_ABORT = 7
    _SMALL = 8  # distinct values held in a C array before a set takes over
# where the messages' fields are (they are tuples): read by position, not by name
cdef Py_ssize_t _M_TS = ModbusMessage._fields.index("ts")
cdef Py_ssize_t _M_SRC = ModbusMessage._fields.index("src")
cdef Py_ssize_t _M_DST = ModbusMessage._fields.index("dst")
cdef Py_ssize_t _M_UNIT = ModbusMessage._fields.index("unit_id")
cdef Py_ssize_t _M_FUNCTION = ModbusMessage._fields.index("function")
cdef Py_ssize_t _M_RESPONSE = ModbusMessage._fields.index("response")
cdef Py_ssize_t _M_EXCEPTION = ModbusMessage._fields.index("exception")
cdef Py_ssize_t _M_ADDRESS = ModbusMessage._fields.index("address")
cdef Py_ssize_t _M_QUANTITY = ModbusMessage._fields.index("quantity")
cdef Py_ssize_t _M_VALUES = ModbusMessage._fields.index("values")
# C globals: read without a lookup in the module's dict
cdef object _modbus_type = ModbusMessage
cdef object _bacnet_type = BacnetMessage
cdef frozenset _writes = MODBUS_WRITE_FUNCTIONS


cdef double _window_index(double ts) noexcept:
    """``ts // WINDOW_SECONDS`` exactly as Python computes it (floatobject.c's divmod):
    ``floor(ts / 10)`` alone can land one higher just below a boundary."""
    cdef double mod = fmod(ts, _SECONDS)
    cdef double div = (ts - mod) / _SECONDS
    cdef double whole
    if mod < 0:
        div -= 1.0
    if not div:
        return copysign(0.0, ts / _SECONDS)
    whole = floor(div)
    if div - whole > 0.5:
        whole += 1.0
    return whole


cpdef double round4(double x):
    """``round(x, 4)``, in C unless ``x * 10**4`` falls so near a tie that its own
    rounding could decide it: then Python's exact (decimal) rounding. Elsewhere the
    nearest integer of the exact product is that of the computed one, and dividing it
    by 10**4 gives the double nearest the decimal, as Python's string round trip does."""
    cdef double scaled = x * 10000.0
    cdef double whole, fraction
    if fabs(scaled) < 4503599627370496.0:  # 2**52, and neither inf nor nan
        whole = floor(scaled)
        fraction = scaled - whole  # exact
        # the product's error is at most 2**-53 of it: 2**-50 keeps well clear of ties
        if fabs(fraction - 0.5) > fabs(scaled) * 8.881784197001252e-16:
            if fraction > 0.5:
                whole += 1.0
            return copysign(whole / 10000.0, x)  # -0.0 stays -0.0, as in Python
    return (<object>x).__round__(4)


cdef class _Distinct:
    """How many distinct values were added since ``clear``: the first few in a C
    array searched in a line (a window names one to three units and addresses, nearly
    always), any more in a set."""

    cdef long long small[_SMALL]
    cdef Py_ssize_t held
    cdef set more  # None until the array is full

    cdef int add(self, long long value) except -1:
        cdef Py_ssize_t at
        if self.more is not None:
            self.more.add(value)
            return 0
        for at in range(self.held):
            if self.small[at] == value:
                return 0
        if self.held < _SMALL:
            self.small[self.held] = value
            self.held += 1
            return 0
        self.more = {self.small[at] for at in range(self.held)}
        self.more.add(value)
        return 0

    cdef Py_ssize_t count(self):
        return self.held if self.more is None else len(self.more)

    cdef void clear(self) noexcept:
        self.held = 0
        self.more = None


cdef class _Counts:
    """Requests by function (or service) in the order the functions first came, as a
    dict iterates: the entropy sums their shares in that order."""

    cdef long long* codes
    cdef long long* counts
    cdef Py_ssize_t held, capacity

    def __dealloc__(self):
        PyMem_Free(self.codes)
        PyMem_Free(self.counts)

    cdef int add(self, long long code) except -1:
        cdef Py_ssize_t at
        for at in range(self.held):
            if self.codes[at] == code:
                self.counts[at] += 1
                return 0
        if self.held == self.capacity:
            self._grow()
        self.codes[self.held] = code
        self.counts[self.held] = 1
        self.held += 1
        return 0

    cdef int _grow(self) except -1:
        cdef Py_ssize_t capacity = self.capacity * 2 if self.capacity else 4
        cdef void* codes = PyMem_Realloc(self.codes, capacity * sizeof(long long))
        if codes is NULL:
            raise MemoryError()
        self.codes = <long long*>codes
        cdef void* counts = PyMem_Realloc(self.counts, capacity * sizeof(long long))
        if counts is NULL:
            raise MemoryError()
        self.counts = <long long*>counts
        self.capacity = capacity
        return 0

    cdef void clear(self) noexcept:
        self.held = 0  # the arrays are kept for the next window

    cdef double entropy(self, long long total):
        """Shannon entropy (bits) of the function mix: 0 for one function."""
        cdef double found = 0.0, share
        cdef Py_ssize_t at
        for at in range(self.held):
            share = <double>self.counts[at] / <double>total
            found -= share * log2(share)
        return round4(found)


cdef class _Flow:
    """One flow (client, server, protocol) and its open window's counters: kept while
    the flow is known, its window reset when the next one opens."""

    cdef tuple key
    cdef bint is_open
    cdef bint resolved  # expected asked (once: it depends on the pair alone)
    cdef bint known  # the baseline knows the flow: ``expected`` holds its rate
    cdef double expected
    cdef double index, end, first, last
    cdef double gaps, gap_squares  # between successive requests
    cdef long long requests, answers, writes, exceptions, items
    cdef _Counts functions  # function or service -> requests
    cdef _Distinct units, addresses

    def __cinit__(self, tuple key):
        self.key = key
        self.functions = _Counts()
        self.units = _Distinct()
        self.addresses = _Distinct()

    cdef void open(self, double index, double ts) noexcept:
        self.is_open = True
        self.index = index
        self.end = (index + 1.0) * _SECONDS
        self.first = self.last = ts
        self.requests = self.answers = self.writes = self.exceptions = self.items = 0
        self.gaps = self.gap_squares = 0.0
        self.functions.clear()
        self.units.clear()
        self.addresses.clear()

    cdef int request(self, double ts, long long function) except -1:
        cdef double gap
        if self.requests:
            gap = ts - self.last
            self.gaps += gap
            self.gap_squares += gap * gap
        self.last = ts
        self.requests += 1
        return self.functions.add(function)

    cdef tuple vector(self):
        """The window summed up, in ``WINDOW_FEATURES``' order."""
        cdef double requests = <double>self.requests
        cdef double sent = log1p(requests)
        return (sent, _against(requests, self.expected) if self.known else 0.0,
                1.0 if self.known else 0.0, <double>self.functions.held,
                self.functions.entropy(self.requests), <double>self.units.count(),
                log1p(<double>self.addresses.count()), <double>self.writes / requests,
                <double>self.exceptions / <double>(self.answers if self.answers > 1 else 1),
                round4(sent - log1p(<double>self.answers)),
                _spread(self.gaps, self.gap_squares, self.requests - 1),
                round4(log1p(<double>self.items / requests)))


cdef class FlowWindows:
    """Per-flow windows of ``WINDOW_SECONDS``; ``sink`` receives each as it closes.
    ``expected`` gives the requests a window of a known flow normally holds (None for a
    flow the baseline does not know); it is asked once per flow. At most ``max_flows``
    windows are open at once, and a flow no window of which is open may be forgotten
    (its ``_Flow`` made again when it speaks) once twice as many flows are known."""

    cdef readonly object sink, expected
    cdef readonly Py_ssize_t max_flows
    cdef dict _open  # the flows with an open window, in the order their windows opened
    cdef dict _modbus, _bacnet  # client -> server -> _Flow
    cdef Py_ssize_t _known, _forget_at  # flows in the tables; when to drop closed ones

    def __init__(self, sink, expected=lambda c, s: None, Py_ssize_t max_flows=100_000):
        self.sink = sink
        self.expected = expected
        self.max_flows = max_flows
        self._open = {}
        self._modbus = {}
        self._bacnet = {}
        self._known = 0
        self._forget_at = 2 * max(max_flows, 1)

    cdef _Flow _flow(self, dict flows, object client, object server, str protocol):
        # WithError: PyDict_GetItem would save and restore the error state each time
        cdef PyObject* servers = PyDict_GetItemWithError(flows, client)
        cdef PyObject* found
        if servers is not NULL:
            found = PyDict_GetItemWithError(<dict>servers, server)
            if found is not NULL:
                return <_Flow>found
        return self._new_flow(flows, client, server, protocol)

    cdef _Flow _new_flow(self, dict flows, object client, object server, str protocol):
        if self._known >= self._forget_at:
            self._forget_closed()
        flow = _Flow((client, server, protocol))
        servers = flows.get(client)
        if servers is None:
            servers = flows[client] = {}
        servers[server] = flow
        self._known += 1
        return flow

    cdef int _forget_closed(self) except -1:
        """Drop the flows without an open window, so that the table stays bounded;
        the next time, when it has doubled (a flow made costs O(1) on average)."""
        self._known = 0
        for flows in (self._modbus, self._bacnet):
            for client, servers in list((<dict>flows).items()):
                for server, flow in list((<dict>servers).items()):
                    if (<_Flow>flow).is_open:
                        self._known += 1
                    else:
                        del (<dict>servers)[server]
                if not servers:
                    del (<dict>flows)[client]
        self._forget_at = 2 * max(self._known, self.max_flows, 1)
        return 0

    cdef int _window(self, _Flow flow, double ts) except -1:
        """Make ``flow``'s window the one ``ts`` falls in, closing the one before."""
        cdef double index = _window_index(ts)
        if flow.is_open:
            if flow.index == index:
                return 0
            self._close(flow)
        elif len(self._open) >= self.max_flows:
            self.flush_before(ts)
        flow.open(index, ts)
        self._open[flow] = None
        return 0

    def modbus(self, m):
        if type(m) is not _modbus_type:
            raise TypeError(f"a ModbusMessage, not {type(m).__name__}")
        cdef tuple t = <tuple>m
        cdef double ts = t[_M_TS]
        cdef _Flow w
        if t[_M_RESPONSE]:
            w = self._flow(self._modbus, t[_M_DST], t[_M_SRC], "modbus")
            if not w.is_open or ts >= w.end:  # the open window, as nearly always: no call
                self._window(w, ts)
            w.answers += 1
            if t[_M_EXCEPTION] is not None:
                w.exceptions += 1
            return
        w = self._flow(self._modbus, t[_M_SRC], t[_M_DST], "modbus")
        if not w.is_open or ts >= w.end:
            self._window(w, ts)
        function = t[_M_FUNCTION]
        w.request(ts, function)
        w.units.add(t[_M_UNIT])
        address = t[_M_ADDRESS]
        if address is not None:
            w.addresses.add(address)
        quantity = t[_M_QUANTITY]
        cdef long long items = quantity if quantity is not None else 0
        if not items:
            items = len(t[_M_VALUES]) or 1
        w.items += items
        if function in _writes:
            w.writes += 1

    def bacnet(self, m):
        if type(m) is not _bacnet_type:
            raise TypeError(f"a BacnetMessage, not {type(m).__name__}")
        apdu = m.apdu_type
        if apdu is None or apdu == _BACNET_UNCONFIRMED:  # network messages, unconfirmed:
            return  # not a request/answer
        cdef double ts = m.ts
        cdef _Flow w
        if apdu != _BACNET_CONFIRMED:
            w = self._flow(self._bacnet, m.dst, m.src, "bacnet")
            self._window(w, ts)
            w.answers += 1
            if _BACNET_ERROR <= apdu <= _BACNET_ABORT:
                w.exceptions += 1
            return
        w = self._flow(self._bacnet, m.src, m.dst, "bacnet")
        self._window(w, ts)
        service = m.service
        w.request(ts, -1 if service is None else service)
        if service == _BACNET_WRITE:
            w.writes += 1
        references = m.references
        w.items += len(references) or 1
        for ref in references:
            if ref.instance is not None:
                w.units.add(ref.object_type or 0)
                w.addresses.add(ref.instance)

    def flush_before(self, double ts):
        """Close every window that ended before ``ts`` (or all, with ``math.inf``)."""
        cdef double index = _window_index(ts) if ts < INFINITY else INFINITY
        for flow in list(self._open):
            if (<_Flow>flow).index < index:
                self._close(<_Flow>flow)

    cdef int _close(self, _Flow flow) except -1:
        del self._open[flow]
        flow.is_open = False
        if flow.requests:  # answers alone (a window cut by the clock) say little
            if not flow.resolved:
                expected = self.expected(flow.key[0], flow.key[1])
                flow.known = expected is not None
                flow.expected = expected if flow.known else 0.0
                flow.resolved = True
            self.sink(flow.key, flow.first, flow.last, flow.vector())
        return 0


def against_expected(double requests, expected):
    """How many times more (positive) or fewer requests than expected, as a log."""
    if expected is None:
        return 0.0
    return _against(requests, expected)


cdef double _against(double requests, double expected):
    return round4(log((requests + 1.0) / (expected + 1.0)))


cdef double _spread(double total, double squares, long long gaps):
    """The coefficient of variation of the intervals between requests: near 0 for a
    steady poll, large for bursts; 0 with fewer than two intervals."""
    if gaps < 2 or total <= 0:
        return 0.0
    cdef double mean = total / <double>gaps
    cdef double variance = squares / <double>gaps - mean * mean
    if 0.0 > variance:  # max(variance, 0.0) as Python's max picks
        variance = 0.0
    cdef double spread = sqrt(variance) / mean
    if 10.0 < spread:  # min(spread, 10.0)
        spread = 10.0
    return round4(spread)
