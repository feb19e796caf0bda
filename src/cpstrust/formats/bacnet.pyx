# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""BACnet/IP (ANSI/ASHRAE 135, annex J and clauses 6, 20, 21): the BVLC header, the
NPDU (routing addresses, hop count, network-layer messages) and the APDU (every PDU
type), with the parameters of the services a monitor reasons about: Who-Is/I-Am,
Who-Has/I-Have, ReadProperty(Multiple), WriteProperty(Multiple), COV notifications and
subscriptions, event notifications, ReinitializeDevice, DeviceCommunicationControl,
atomic file access, errors, rejects and aborts.

Hand-written: the maintained Python stacks (bacpypes3, BAC0) decode inside their own
application and asyncio machinery, not from bytes one message at a time, and dpkt and
scapy have no BACnet. A message whose fields disagree with its length is a MalformedKind
naming the layer (BVLC, NPDU, APDU), never an exception.

Compiled with Cython (ADR 0033): nearly every BACnet message a monitor sees is new
(COV notifications and read answers carry changing values), so each is decoded. The
payload is read through a C pointer, and a service's parameters are read in the one
walk over its tags that also checks them (lengths, paired brackets), without a list of
tags between the two. ``bacnet.pyi`` types it for mypy.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.type cimport PyType_GenericAlloc
from cpython.unicode cimport PyUnicode_DecodeLatin1, PyUnicode_DecodeUTF8

from cpstrust.model.ot import BacnetApdu, MalformedKind, PropertyRef


cdef extern from "Python.h":
    # CPython's own reading of IEEE 754 bytes: the floats struct.unpack gives
    double PyFloat_Unpack4(const char* p, int le) except? -1.0
    double PyFloat_Unpack8(const char* p, int le) except? -1.0


cdef enum:
    _BACNET_IP = 0x81
    _FORWARDED_NPDU = 0x04
BACNET_IP = _BACNET_IP
BVLC_FORWARDED_NPDU = _FORWARDED_NPDU
OBJECT_DEVICE = 8

# Confirmed services (clause 21).
CONFIRMED_COV_NOTIFICATION = 1
CONFIRMED_EVENT_NOTIFICATION = 2
SUBSCRIBE_COV = 5
ATOMIC_READ_FILE, ATOMIC_WRITE_FILE = 6, 7
READ_PROPERTY, READ_PROPERTY_MULTIPLE, WRITE_PROPERTY, WRITE_PROPERTY_MULTIPLE = 12, 14, 15, 16
DEVICE_COMMUNICATION_CONTROL = 17
REINITIALIZE_DEVICE = 20
READ_RANGE = 26
SUBSCRIBE_COV_PROPERTY = 28
# Unconfirmed services.
I_AM, I_HAVE, UNCONFIRMED_COV_NOTIFICATION, UNCONFIRMED_EVENT_NOTIFICATION = 0, 1, 2, 3
WHO_HAS, WHO_IS = 7, 8

# bvlc function, forwarded from, SNET, SADR, DNET, DADR, network message, APDU type,
# service, invoke id, segmented, references, device instance, vendor id, code, error class
# (bacnet.pyi declares it for mypy too)
Decoded = tuple[int, str | None, int | None, str | None, int | None, str | None, int | None,
                int | None, int | None, int | None, bool, tuple[PropertyRef, ...],
                int | None, int | None, int | None, int | None]

cdef enum:
    _LAST_BVLC_FUNCTION = 0x0C
    _NETWORK_MESSAGE = 0x80
    _DNET = 0x20
    _SNET = 0x08
    _SEGMENTED = 0x08
    # a tag's length when it is a context bracket
    _OPEN = -1
    _CLOSE = -2
    # a _Service field naming no tag
    _NO_TAG = -1

cdef object _BAD_BVLC = MalformedKind.BACNET_BAD_BVLC
cdef object _BAD_NPDU = MalformedKind.BACNET_BAD_NPDU
cdef object _BAD_APDU = MalformedKind.BACNET_BAD_APDU
# the APDU types by their value
cdef tuple _APDU_TYPES = tuple(sorted(BacnetApdu))
cdef int _TYPE_ERROR = BacnetApdu.ERROR
cdef int _TYPE_REJECT = BacnetApdu.REJECT
cdef int _TYPE_ABORT = BacnetApdu.ABORT
cdef type _property_ref = PropertyRef
# references, device instance, vendor id, code, error class: a service that names none
cdef tuple _NO_PARAMS = ((), None, None, None, None)


class _MalformedError(Exception):
    """Raised inside the NPDU and APDU; decode_bvlc turns it into the layer's kind."""


cdef inline unsigned int _u16(const unsigned char* p, Py_ssize_t at) noexcept:
    return (p[at] << 8) | p[at + 1]


def decode_bvlc(bytes payload):
    """A BACnet/IP UDP payload, whole."""
    cdef const unsigned char* p = <const unsigned char*>PyBytes_AS_STRING(payload)
    cdef Py_ssize_t size = PyBytes_GET_SIZE(payload)
    if size < 4 or p[0] != _BACNET_IP:
        return _BAD_BVLC
    cdef int function = p[1]
    if function > _LAST_BVLC_FUNCTION or _u16(p, 2) != size:
        return _BAD_BVLC
    # an NPDU follows Forwarded-NPDU, Distribute-Broadcast-To-Network, Original-Unicast-
    # and Original-Broadcast-NPDU; the other functions are the BVLC's own
    if function != 0x04 and function != 0x09 and function != 0x0A and function != 0x0B:
        return (function, None, None, None, None, None, None, None, None, None, False, (),
                None, None, None, None)
    forwarded = None
    cdef Py_ssize_t at = 4
    if function == _FORWARDED_NPDU:
        if size < 10:
            return _BAD_BVLC
        forwarded = f"{<int>p[4]}.{<int>p[5]}.{<int>p[6]}.{<int>p[7]}:{_u16(p, 8)}"
        at = 10
    return _npdu(p, size, at, function, forwarded)


cdef object _npdu(const unsigned char* p, Py_ssize_t size, Py_ssize_t at, int function,
                  object forwarded):
    if size < at + 2 or p[at] != 1:
        return _BAD_NPDU
    cdef int control = p[at + 1]
    at += 2
    dnet = dadr = snet = sadr = None
    try:
        if control & _DNET:
            dnet, dadr, at = _routed(p, size, at, allow_broadcast=True)
        if control & _SNET:
            snet, sadr, at = _routed(p, size, at, allow_broadcast=False)
        if control & _DNET:
            at += 1  # hop count
        if at > size:
            raise _MalformedError
        if control & _NETWORK_MESSAGE:
            if at >= size or (p[at] >= 0x80 and at + 3 > size):
                raise _MalformedError
            return (function, forwarded, snet, sadr, dnet, dadr, p[at], None, None, None,
                    False, (), None, None, None, None)
    except _MalformedError:
        return _BAD_NPDU
    apdu = _apdu(p, size, at)
    if apdu is _BAD_APDU:
        return apdu
    # one tuple built from the APDU's items: cheaper than joining two
    apdu_type, service, invoke, segmented, refs, device, vendor, code, error = <tuple>apdu
    return (function, forwarded, snet, sadr, dnet, dadr, None, apdu_type, service, invoke,
            segmented, refs, device, vendor, code, error)


cdef tuple _routed(const unsigned char* p, Py_ssize_t size, Py_ssize_t at,
                   bint allow_broadcast):
    """A network number and MAC address (hex; empty: a broadcast on that network), and
    where the NPDU goes on."""
    if at + 3 > size:
        raise _MalformedError
    cdef int network = _u16(p, at)
    cdef Py_ssize_t length = p[at + 2]
    if at + 3 + length > size or (length == 0 and not allow_broadcast) or network == 0:
        raise _MalformedError
    address = PyBytes_FromStringAndSize(<const char*>p + at + 3, length).hex()
    return network, address, at + 3 + length


# APDU (clause 20.1) -------------------------------------------------------------------
# Each gives the APDU type, service, invoke id, segmented, references, device, vendor,
# code, error class.

cdef object _apdu(const unsigned char* p, Py_ssize_t size, Py_ssize_t at):
    if at >= size:
        return _BAD_APDU
    cdef int kind = p[at] >> 4
    try:
        if kind <= _TYPE_ERROR:
            return _APDU_DECODERS[kind](_APDU_TYPES[kind], p, size, at)
        return _short(p, size, at, kind)
    except _MalformedError:
        return _BAD_APDU


# an APDU type's decoder: given the type (a BacnetApdu), the payload, its size and where
# the APDU starts
ctypedef tuple (*_ApduDecoder)(object, const unsigned char*, Py_ssize_t, Py_ssize_t)


cdef tuple _confirmed(object apdu_type, const unsigned char* p, Py_ssize_t size,
                      Py_ssize_t at):
    # type and flags, max segments and APDU size, invoke id, [sequence, window,] service
    return _with_service(apdu_type, _CONFIRMED_PARAMS, p, size, at, at + 2, at + 4)


cdef tuple _with_service(object apdu_type, dict table, const unsigned char* p,
                         Py_ssize_t size, Py_ssize_t at, Py_ssize_t invoke_at,
                         Py_ssize_t params):
    """A confirmed request or a complex ACK: the service ends its header, which a segment
    makes two bytes longer (sequence number, window size)."""
    cdef bint segmented = p[at] & _SEGMENTED
    if segmented:
        params += 2
    if params > size:
        raise _MalformedError
    service, invoke = p[params - 1], p[invoke_at]
    if segmented:  # parameters span segments, not reassembled: the service alone
        return apdu_type, service, invoke, True, (), None, None, None, None
    return (apdu_type, service, invoke, False) + _service_params(
        table, service, p, params, size)


cdef tuple _unconfirmed(object apdu_type, const unsigned char* p, Py_ssize_t size,
                        Py_ssize_t at):
    if at + 2 > size:
        raise _MalformedError
    service = p[at + 1]
    return (apdu_type, service, None, False) + _service_params(
        _UNCONFIRMED_PARAMS, service, p, at + 2, size)


cdef tuple _simple_ack(object apdu_type, const unsigned char* p, Py_ssize_t size,
                       Py_ssize_t at):
    if at + 3 > size:
        raise _MalformedError
    return apdu_type, p[at + 2], p[at + 1], False, (), None, None, None, None


cdef tuple _complex_ack(object apdu_type, const unsigned char* p, Py_ssize_t size,
                        Py_ssize_t at):
    # type and flags, invoke id, [sequence, window,] service
    return _with_service(apdu_type, _ACK_PARAMS, p, size, at, at + 1, at + 3)


cdef tuple _segment_ack(object apdu_type, const unsigned char* p, Py_ssize_t size,
                        Py_ssize_t at):
    if at + 4 > size:
        raise _MalformedError
    return apdu_type, None, p[at + 1], True, (), None, None, None, None


cdef tuple _error(object apdu_type, const unsigned char* p, Py_ssize_t size,
                  Py_ssize_t at):
    """The error class and code: the first two enumerations (some services wrap them
    in a context bracket)."""
    if at + 3 > size:
        raise _MalformedError
    cdef _Walk walk
    _start(&walk, p, at + 3, size)
    cdef int enumerations = 0
    error_class = error_code = None
    while walk.at < walk.end:
        _next_tag(&walk)
        if not walk.tag.context and walk.tag.number == 9:
            if enumerations == 0:
                error_class = _unsigned(p, walk.tag.start, walk.tag.end)
            elif enumerations == 1:
                error_code = _unsigned(p, walk.tag.start, walk.tag.end)
            enumerations += 1
    _end_walk(&walk)
    if enumerations < 2:
        raise _MalformedError
    return apdu_type, p[at + 2], p[at + 1], False, (), None, None, error_code, error_class


# by APDU type, from a confirmed request (0) to an error (5)
cdef _ApduDecoder[6] _APDU_DECODERS = [_confirmed, _unconfirmed, _simple_ack, _complex_ack,
                                       _segment_ack, _error]


cdef tuple _short(const unsigned char* p, Py_ssize_t size, Py_ssize_t at, int kind):
    """Reject and abort: an invoke id and a reason."""
    if (kind != _TYPE_REJECT and kind != _TYPE_ABORT) or at + 3 != size:
        raise _MalformedError
    return kind, None, p[at + 1], False, (), None, None, p[at + 2], None


# Tags and values (clause 20.2) ------------------------------------------------------

cdef struct _Tag:
    int number
    bint context
    # the value's length; _OPEN/_CLOSE for a context bracket, an application boolean's value
    Py_ssize_t length
    Py_ssize_t start, end  # of the value


# a walk over the tags from ``at`` to ``end``: the bracket depth so far, and the tag
# read last
cdef struct _Walk:
    const unsigned char* p
    Py_ssize_t at, end
    int depth
    _Tag tag


cdef inline void _start(_Walk* walk, const unsigned char* p, Py_ssize_t at,
                        Py_ssize_t end) noexcept:
    walk.p, walk.at, walk.end, walk.depth = p, at, end, 0


cdef int _next_tag(_Walk* walk) except -1:
    """Reads the tag at ``walk.at`` into ``walk.tag`` and moves past it; _MalformedError
    when it runs past the end or closes a bracket never opened."""
    cdef const unsigned char* p = walk.p
    cdef Py_ssize_t at = walk.at, end = walk.end, length
    cdef int first = p[at], lvt = first & 0x07
    cdef _Tag* tag = &walk.tag
    tag.number, tag.context = first >> 4, first & 0x08
    at += 1
    if tag.number == 15:
        if at >= end:
            raise _MalformedError
        tag.number = p[at]
        at += 1
    if tag.context and lvt >= 6:
        walk.depth += 1 if lvt == 6 else -1
        if walk.depth < 0:
            raise _MalformedError
        tag.length = _OPEN if lvt == 6 else _CLOSE
        tag.start = tag.end = walk.at = at
        return 0
    if not tag.context and tag.number == 1:  # an application boolean: the value is the LVT
        tag.length = lvt
        tag.start = tag.end = walk.at = at
        return 0
    length = lvt
    if lvt == 5:
        if at >= end:
            raise _MalformedError
        length = p[at]
        at += 1
        if length == 254:
            if at + 2 > end:
                raise _MalformedError
            length, at = _u16(p, at), at + 2
        elif length == 255:
            if at + 4 > end:
                raise _MalformedError
            length = (<Py_ssize_t>_u16(p, at) << 16) | _u16(p, at + 2)
            at += 4
    if at + length > end:
        raise _MalformedError
    tag.length, tag.start, tag.end = length, at, at + length
    walk.at = at + length
    return 0


cdef inline int _end_walk(_Walk* walk) except -1:
    """_MalformedError when a bracket was left open."""
    if walk.depth:
        raise _MalformedError
    return 0


cdef object _unsigned(const unsigned char* p, Py_ssize_t start, Py_ssize_t end):
    cdef unsigned long long value = 0
    if end - start > 8:  # wider than a C integer
        return int.from_bytes(_raw(p, start, end), "big")
    while start < end:
        value = (value << 8) | p[start]
        start += 1
    return value


cdef object _signed(const unsigned char* p, Py_ssize_t start, Py_ssize_t end):
    cdef Py_ssize_t width = end - start
    if width > 8:
        return int.from_bytes(_raw(p, start, end), "big", signed=True)
    if width == 0:
        return 0
    cdef unsigned long long value = 0
    cdef Py_ssize_t at = start
    while at < end:
        value = (value << 8) | p[at]
        at += 1
    if width < 8 and p[start] & 0x80:
        return <long long>value - (<long long>1 << (8 * width))
    return <long long>value


cdef inline bytes _raw(const unsigned char* p, Py_ssize_t start, Py_ssize_t end):
    return PyBytes_FromStringAndSize(<const char*>p + start, end - start)


cdef inline unsigned int _object_id(const unsigned char* p, _Tag* tag) except? 0:
    """An object identifier's 32 bits: type (10) and instance (22)."""
    if tag.end - tag.start != 4:
        raise _MalformedError
    return (_u16(p, tag.start) << 16) | _u16(p, tag.start + 2)


cdef object _application_value(const unsigned char* p, _Tag* tag):
    """A primitive application-tagged value, as Python sees it."""
    cdef int number = tag.number
    cdef Py_ssize_t start = tag.start, end = tag.end
    cdef unsigned int object_id
    if number == 2 or number == 9:
        return _unsigned(p, start, end)
    if number == 3:
        return _signed(p, start, end)
    if number == 1:
        return tag.length != 0
    if number == 4 and end - start == 4:
        return PyFloat_Unpack4(<const char*>p + start, 0)
    if number == 5 and end - start == 8:
        return PyFloat_Unpack8(<const char*>p + start, 0)
    if number == 7 and end > start:
        if p[start] == 0:
            return PyUnicode_DecodeUTF8(<char*>p + start + 1, end - start - 1, "replace")
        return PyUnicode_DecodeLatin1(<char*>p + start + 1, end - start - 1, "replace")
    if number == 12 and end - start == 4:
        object_id = _object_id(p, tag)
        return f"{object_id >> 22}:{object_id & 0x3FFFFF}"
    return None if number == 0 else _raw(p, start, end)


# Service parameters ------------------------------------------------------------------
# Each gives references, device instance, vendor id, code, error class: what a
# service's parameters say.

cdef enum _Shape:
    _REFERENCES  # objects and properties, where the _Service's tags say
    _I_AM
    _I_HAVE
    _CODE  # one context-tagged enumeration (reinitialise state, enable/disable)
    _FILE_ACCESS
    _WELL_FORMED  # nothing a monitor reads, but still well-formed


cdef class _Service:
    """How a service's parameters are read: ``shape``, and for references the context
    tag of the object identifier (at the top level), and, ``depth`` brackets down, those
    of the property id, array index, value bracket; ``device`` the tag of the initiating
    device (COV, events); for a code, its tag. _NO_TAG where the service has none."""

    cdef int shape, obj, depth, prop, index, value, device

    def __init__(self, int shape, int obj=_NO_TAG, int depth=0, int prop=_NO_TAG,
                 int index=_NO_TAG, int value=_NO_TAG, int device=_NO_TAG):
        self.shape, self.obj, self.depth, self.prop = shape, obj, depth, prop
        self.index, self.value, self.device = index, value, device


cdef tuple _service_params(dict table, int service, const unsigned char* p,
                           Py_ssize_t at, Py_ssize_t end):
    cdef PyObject* found = PyDict_GetItem(table, service)
    if found is NULL:
        return _NO_PARAMS
    cdef _Service spec = <_Service>found
    if spec.shape == _REFERENCES:
        return _references(spec, p, at, end)
    if spec.shape == _CODE:
        return _code(spec.obj, p, at, end)
    if spec.shape == _WELL_FORMED:
        _walk_all(p, at, end, NULL, 0)
        return _NO_PARAMS
    return _fixed(spec.shape, p, at, end)


cdef inline object _ref(object object_type, object instance, object prop, object index,
                        object value):
    """A PropertyRef, filled in place: its own __new__ is a Python function, and even
    tuple.__new__ costs more than reading the reference does."""
    cdef PyObject* items[5]
    items[:] = [<PyObject*>object_type, <PyObject*>instance, <PyObject*>prop,
                <PyObject*>index, <PyObject*>value]
    ref = PyType_GenericAlloc(_property_ref, 5)
    cdef Py_ssize_t at
    for at in range(5):
        _put(ref, at, <object>items[at])
    return ref


cdef inline void _put(object items, Py_ssize_t at, object value) noexcept:
    Py_INCREF(value)  # PyTuple_SET_ITEM takes the reference
    PyTuple_SET_ITEM(items, at, value)


cdef tuple _references(_Service spec, const unsigned char* p, Py_ssize_t at,
                       Py_ssize_t end):
    """The object (and property, array index, value) references a service names. A
    value is the first primitive inside the service's value bracket."""
    cdef _Walk walk
    _start(&walk, p, at, end)
    cdef _Tag* tag = &walk.tag
    cdef list refs = []
    cdef int depth = 0  # brackets open outside any value bracket
    cdef int in_value = 0  # brackets open since a value bracket opened
    cdef bint named = False  # the object has been named with a property
    cdef bint found = False
    cdef unsigned int object_id
    object_type = instance = prop = index = value = device = None
    while walk.at < walk.end:
        _next_tag(&walk)
        if in_value:
            if tag.length == _OPEN:
                in_value += 1
            elif tag.length == _CLOSE:
                in_value -= 1
                if not in_value:
                    refs.append(_ref(object_type, instance, prop, index, value))
                    prop = index = None
                    named = True
            elif not found and not tag.context:
                value, found = _application_value(p, tag), True
        elif tag.length == _OPEN and depth == spec.depth and tag.number == spec.value:
            in_value, value, found = 1, None, False
        elif tag.length == _OPEN:
            depth += 1
        elif tag.length == _CLOSE:
            if prop is not None:
                refs.append(_ref(object_type, instance, prop, index, None))
                prop = index = None
                named = True
            depth -= 1
        elif tag.context and depth == 0 and tag.number == spec.device:
            device = _object_id(p, tag) & 0x3FFFFF
        elif tag.context and depth == 0 and tag.number == spec.obj:
            if object_type is not None and not named:
                refs.append(_ref(object_type, instance, None, None, None))
            object_id = _object_id(p, tag)
            object_type, instance, named = object_id >> 22, object_id & 0x3FFFFF, False
        elif tag.context and depth == spec.depth and tag.number == spec.prop:
            if prop is not None:
                refs.append(_ref(object_type, instance, prop, index, None))
                named = True
            prop, index = _unsigned(p, tag.start, tag.end), None
        elif tag.context and depth == spec.depth and tag.number == spec.index:
            index = _unsigned(p, tag.start, tag.end)
    _end_walk(&walk)
    if prop is not None:
        refs.append(_ref(object_type, instance, prop, index, None))
    elif object_type is not None and not named:
        refs.append(_ref(object_type, instance, None, None, None))
    return tuple(refs), device, None, None, None


cdef int _walk_all(const unsigned char* p, Py_ssize_t at, Py_ssize_t end, _Tag* first,
                   int keep) except -1:
    """Walks every tag (checking them all), keeps the first ``keep`` in ``first``, and
    returns how many there are."""
    cdef _Walk walk
    _start(&walk, p, at, end)
    cdef int count = 0
    while walk.at < walk.end:
        _next_tag(&walk)
        if count < keep:
            first[count] = walk.tag
        count += 1
    _end_walk(&walk)
    return count


cdef tuple _fixed(int shape, const unsigned char* p, Py_ssize_t at, Py_ssize_t end):
    """I-Am, I-Have and atomic file access: a few tags in a fixed order."""
    cdef _Tag tags[4]
    cdef int count = _walk_all(p, at, end, tags, 4)
    cdef unsigned int object_id, device
    if shape == _I_AM:
        if (count != 4 or tags[0].context or tags[1].context or tags[2].context
                or tags[3].context or tags[0].number != 12 or tags[3].number != 2):
            raise _MalformedError
        object_id = _object_id(p, &tags[0])
        instance = object_id & 0x3FFFFF
        return ((_ref(object_id >> 22, instance, None, None, None),), instance,
                _unsigned(p, tags[3].start, tags[3].end), None, None)
    if shape == _I_HAVE:
        if count != 3 or tags[0].number != 12 or tags[1].number != 12:
            raise _MalformedError
        device = _object_id(p, &tags[0])
        object_id = _object_id(p, &tags[1])
        name = _application_value(p, &tags[2])
        return ((_ref(object_id >> 22, object_id & 0x3FFFFF, 77, None, name),),
                device & 0x3FFFFF, None, None, None)
    # atomic file access: the file object
    if not count or tags[0].number != 12 or tags[0].context:
        raise _MalformedError
    object_id = _object_id(p, &tags[0])
    return ((_ref(object_id >> 22, object_id & 0x3FFFFF, None, None, None),), None, None,
            None, None)


cdef tuple _code(int tag_number, const unsigned char* p, Py_ssize_t at, Py_ssize_t end):
    """The first primitive context tag ``tag_number``, as the service's code."""
    cdef _Walk walk
    _start(&walk, p, at, end)
    code = None
    while walk.at < walk.end:
        _next_tag(&walk)
        if (code is None and walk.tag.context and walk.tag.number == tag_number
                and walk.tag.length >= 0):
            code = _unsigned(p, walk.tag.start, walk.tag.end)
    _end_walk(&walk)
    if code is None:
        raise _MalformedError
    return (), None, None, code, None


def _refs(int obj, int depth, int prop=_NO_TAG, int index=_NO_TAG, int value=_NO_TAG,
          int device=_NO_TAG):
    return _Service(_REFERENCES, obj, depth, prop, index, value, device)


_PROPERTY = _refs(obj=0, depth=0, prop=1, index=2, value=3)
_COV = _refs(obj=2, depth=1, prop=0, index=1, value=2, device=1)
_EVENT = _refs(obj=2, depth=0, device=1)
_FILE = _Service(_FILE_ACCESS)
_NOTHING = _Service(_WELL_FORMED)

cdef dict _CONFIRMED_PARAMS = {
    CONFIRMED_COV_NOTIFICATION: _COV,
    CONFIRMED_EVENT_NOTIFICATION: _EVENT,
    SUBSCRIBE_COV: _refs(obj=1, depth=0),
    SUBSCRIBE_COV_PROPERTY: _refs(obj=1, depth=1, prop=0, index=1),
    ATOMIC_READ_FILE: _FILE, ATOMIC_WRITE_FILE: _FILE,
    READ_PROPERTY: _PROPERTY, WRITE_PROPERTY: _PROPERTY,
    READ_PROPERTY_MULTIPLE: _refs(obj=0, depth=1, prop=0, index=1),
    WRITE_PROPERTY_MULTIPLE: _refs(obj=0, depth=1, prop=0, index=1, value=2),
    READ_RANGE: _PROPERTY,
    DEVICE_COMMUNICATION_CONTROL: _Service(_CODE, obj=1),
    REINITIALIZE_DEVICE: _Service(_CODE, obj=0),
}
cdef dict _UNCONFIRMED_PARAMS = {
    I_AM: _Service(_I_AM), I_HAVE: _Service(_I_HAVE),
    UNCONFIRMED_COV_NOTIFICATION: _COV,
    UNCONFIRMED_EVENT_NOTIFICATION: _EVENT,
    WHO_HAS: _refs(obj=2, depth=0),
    WHO_IS: _NOTHING,
}
cdef dict _ACK_PARAMS = {
    READ_PROPERTY: _PROPERTY,
    READ_PROPERTY_MULTIPLE: _refs(obj=0, depth=1, prop=2, index=3, value=4),
    READ_RANGE: _PROPERTY,
    ATOMIC_READ_FILE: _NOTHING, ATOMIC_WRITE_FILE: _NOTHING,
}
