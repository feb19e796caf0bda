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
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from cpstrust.model.ot import BacnetApdu, MalformedKind, PropertyRef, PropertyValue

BACNET_IP = 0x81
BVLC_FORWARDED_NPDU = 0x04
_NPDU_FUNCTIONS = frozenset({0x04, 0x09, 0x0A, 0x0B})
_LAST_BVLC_FUNCTION = 0x0C
_NETWORK_MESSAGE, _DNET, _SNET = 0x80, 0x20, 0x08
_SEGMENTED = 0x08
_OPEN, _CLOSE = -1, -2
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
Decoded = tuple[int, str | None, int | None, str | None, int | None, str | None, int | None,
                int | None, int | None, int | None, bool, tuple[PropertyRef, ...],
                int | None, int | None, int | None, int | None]
# tag number, context tag?, length (_OPEN/_CLOSE for context brackets; an application
# boolean's value), start and end of the value
Tag = tuple[int, bool, int, int, int]

_u16 = struct.Struct("!H").unpack_from


class _MalformedError(Exception):
    """Raised inside the tag walk; the caller turns it into BACNET_BAD_APDU."""


def decode_bvlc(payload: bytes) -> Decoded | MalformedKind:
    """A BACnet/IP UDP payload, whole."""
    if len(payload) < 4 or payload[0] != BACNET_IP:
        return MalformedKind.BACNET_BAD_BVLC
    function = payload[1]
    if function > _LAST_BVLC_FUNCTION or _u16(payload, 2)[0] != len(payload):
        return MalformedKind.BACNET_BAD_BVLC
    if function not in _NPDU_FUNCTIONS:
        return (function, None, None, None, None, None, None, None, None, None, False, (),
                None, None, None, None)
    at, forwarded = 4, None
    if function == BVLC_FORWARDED_NPDU:
        if len(payload) < 10:
            return MalformedKind.BACNET_BAD_BVLC
        forwarded = f"{'.'.join(str(b) for b in payload[4:8])}:{_u16(payload, 8)[0]}"
        at = 10
    return _npdu(payload, at, function, forwarded)


def _npdu(data: bytes, at: int, function: int, forwarded: str | None,
          ) -> Decoded | MalformedKind:
    if len(data) < at + 2 or data[at] != 1:
        return MalformedKind.BACNET_BAD_NPDU
    control = data[at + 1]
    at += 2
    dnet = dadr = snet = sadr = None
    try:
        if control & _DNET:
            dnet, dadr, at = _routed(data, at, allow_broadcast=True)
        if control & _SNET:
            snet, sadr, at = _routed(data, at, allow_broadcast=False)
        if control & _DNET:
            at += 1  # hop count
        if at > len(data):
            raise _MalformedError
        if control & _NETWORK_MESSAGE:
            if at >= len(data) or (data[at] >= 0x80 and at + 3 > len(data)):
                raise _MalformedError
            return (function, forwarded, snet, sadr, dnet, dadr, data[at], None, None, None,
                    False, (), None, None, None, None)
    except _MalformedError:
        return MalformedKind.BACNET_BAD_NPDU
    apdu = _apdu(data, at)
    if apdu.__class__ is MalformedKind:
        return apdu
    return (function, forwarded, snet, sadr, dnet, dadr, None, *apdu)


def _routed(data: bytes, at: int, *, allow_broadcast: bool) -> tuple[int, str, int]:
    """A network number and MAC address (hex; empty: a broadcast on that network)."""
    if at + 3 > len(data):
        raise _MalformedError
    network, length = _u16(data, at)[0], data[at + 2]
    if at + 3 + length > len(data) or (length == 0 and not allow_broadcast) or network == 0:
        raise _MalformedError
    return network, data[at + 3:at + 3 + length].hex(), at + 3 + length


# APDU type, service, invoke id, segmented, references, device, vendor, code, error class
_Apdu = tuple[int, int | None, int | None, bool, tuple[PropertyRef, ...], int | None,
              int | None, int | None, int | None]


def _apdu(data: bytes, at: int) -> _Apdu | MalformedKind:
    if at >= len(data):
        return MalformedKind.BACNET_BAD_APDU
    kind = data[at] >> 4
    try:
        return _APDU_DECODERS[kind](data, at) if kind in _APDU_DECODERS else _short(data, at)
    except (_MalformedError, IndexError, struct.error, UnicodeDecodeError):
        return MalformedKind.BACNET_BAD_APDU


def _confirmed(data: bytes, at: int) -> _Apdu:
    segmented = bool(data[at] & _SEGMENTED)
    invoke = data[at + 2]
    at += 6 if segmented else 4
    service = data[at - 1]
    if segmented:  # parameters span segments, not reassembled: the service alone
        return BacnetApdu.CONFIRMED_REQUEST, service, invoke, True, (), None, None, None, None
    params = _service_params(CONFIRMED_PARAMS, service, data, at)
    return (BacnetApdu.CONFIRMED_REQUEST, service, invoke, False, *params)


def _unconfirmed(data: bytes, at: int) -> _Apdu:
    service = data[at + 1]
    params = _service_params(UNCONFIRMED_PARAMS, service, data, at + 2)
    return (BacnetApdu.UNCONFIRMED_REQUEST, service, None, False, *params)


def _simple_ack(data: bytes, at: int) -> _Apdu:
    if at + 3 > len(data):
        raise _MalformedError
    return BacnetApdu.SIMPLE_ACK, data[at + 2], data[at + 1], False, (), None, None, None, None


def _complex_ack(data: bytes, at: int) -> _Apdu:
    segmented = bool(data[at] & _SEGMENTED)
    invoke = data[at + 1]
    at += 5 if segmented else 3
    service = data[at - 1]
    if segmented:
        return BacnetApdu.COMPLEX_ACK, service, invoke, True, (), None, None, None, None
    params = _service_params(ACK_PARAMS, service, data, at)
    return (BacnetApdu.COMPLEX_ACK, service, invoke, False, *params)


def _segment_ack(data: bytes, at: int) -> _Apdu:
    if at + 4 > len(data):
        raise _MalformedError
    return BacnetApdu.SEGMENT_ACK, None, data[at + 1], True, (), None, None, None, None


def _error(data: bytes, at: int) -> _Apdu:
    """The error class and code: the first two enumerations (some services wrap them
    in a context bracket)."""
    service, invoke = data[at + 2], data[at + 1]
    enumerated = [_unsigned(data, t) for t in _tags(data, at + 3) if not t[1] and t[0] == 9]
    if len(enumerated) < 2:
        raise _MalformedError
    error_class, error_code = enumerated[0], enumerated[1]
    return BacnetApdu.ERROR, service, invoke, False, (), None, None, error_code, error_class


def _short(data: bytes, at: int) -> _Apdu:
    """Reject and abort: an invoke id and a reason."""
    kind = data[at] >> 4
    if kind not in (BacnetApdu.REJECT, BacnetApdu.ABORT) or at + 3 != len(data):
        raise _MalformedError
    return kind, None, data[at + 1], False, (), None, None, data[at + 2], None


_APDU_DECODERS: dict[int, Callable[[bytes, int], _Apdu]] = {
    BacnetApdu.CONFIRMED_REQUEST: _confirmed, BacnetApdu.UNCONFIRMED_REQUEST: _unconfirmed,
    BacnetApdu.SIMPLE_ACK: _simple_ack, BacnetApdu.COMPLEX_ACK: _complex_ack,
    BacnetApdu.SEGMENT_ACK: _segment_ack, BacnetApdu.ERROR: _error,
}


# Tags and values (clause 20.2) ------------------------------------------------------

def _tags(data: bytes, at: int) -> list[Tag]:
    """Every tag from ``at`` to the end; _MalformedError when one runs past the end or the
    brackets do not pair."""
    tags, depth, end = [], 0, len(data)
    while at < end:
        first = data[at]
        number, context, lvt = first >> 4, bool(first & 0x08), first & 0x07
        at += 1
        if number == 15:
            number = data[at]
            at += 1
        if context and lvt in (6, 7):
            depth += 1 if lvt == 6 else -1
            if depth < 0:
                raise _MalformedError
            tags.append((number, True, _OPEN if lvt == 6 else _CLOSE, at, at))
            continue
        if not context and number == 1:  # an application boolean: the value is the LVT
            tags.append((1, False, lvt, at, at))
            continue
        length = lvt
        if lvt == 5:
            length = data[at]
            at += 1
            if length == 254:
                length, at = _u16(data, at)[0], at + 2
            elif length == 255:
                length, at = struct.unpack_from("!I", data, at)[0], at + 4
        if at + length > end:
            raise _MalformedError
        tags.append((number, context, length, at, at + length))
        at += length
    if depth:
        raise _MalformedError
    return tags


def _unsigned(data: bytes, tag: Tag) -> int:
    return int.from_bytes(data[tag[3]:tag[4]], "big")


def _object_id(data: bytes, tag: Tag) -> tuple[int, int]:
    if tag[4] - tag[3] != 4:
        raise _MalformedError
    value = _unsigned(data, tag)
    return value >> 22, value & 0x3FFFFF


def _application_value(data: bytes, tag: Tag) -> PropertyValue:
    """A primitive application-tagged value, as Python sees it."""
    number, _context, length, start, end = tag
    raw = data[start:end]
    if number in (2, 9):
        return int.from_bytes(raw, "big")
    if number == 3:
        return int.from_bytes(raw, "big", signed=True)
    if number == 1:
        return bool(length)
    if number == 4 and len(raw) == 4:
        return float(struct.unpack("!f", raw)[0])
    if number == 5 and len(raw) == 8:
        return float(struct.unpack("!d", raw)[0])
    if number == 7 and raw:
        return raw[1:].decode("utf-8" if raw[0] == 0 else "latin-1", "replace")
    if number == 12 and len(raw) == 4:
        object_type, instance = _object_id(data, tag)
        return f"{object_type}:{instance}"
    return None if number == 0 else raw


# Service parameters ------------------------------------------------------------------

# references, device instance, vendor id, code, error class: what a service's
# parameters say
_Params = tuple[tuple[PropertyRef, ...], int | None, int | None, int | None, int | None]
_ParamsDecoder = Callable[[bytes, int], _Params]


class _RefSpec:
    """Where a service puts its references: the context tag of the object identifier
    (at the top level), and, ``depth`` brackets down, those of the property id, array
    index, value bracket; ``device`` the tag of the initiating device (COV, events)."""

    __slots__ = ("depth", "device", "index", "obj", "prop", "value")

    def __init__(self, obj: int, depth: int, prop: int | None = None, index: int | None = None,
                 value: int | None = None, device: int | None = None) -> None:
        self.obj, self.depth, self.prop, self.index = obj, depth, prop, index
        self.value, self.device = value, device


def _references(spec: _RefSpec, data: bytes, at: int) -> _Params:
    tags = _tags(data, at)
    refs: list[PropertyRef] = []
    obj: tuple[int, int] | None = None
    prop = index = device = None
    depth, i, named = 0, 0, False
    while i < len(tags):
        tag = tags[i]
        number, context, length = tag[0], tag[1], tag[2]
        if length == _OPEN and depth == spec.depth and number == spec.value and context:
            value, i = _first_value(data, tags, i)
            refs.append(_ref(obj, prop, index, value))
            prop = index = None
            named = True
        elif length == _OPEN:
            depth += 1
        elif length == _CLOSE:
            if prop is not None:
                refs.append(_ref(obj, prop, index))
                prop = index = None
                named = True
            depth -= 1
        elif context and depth == 0 and number == spec.device:
            device = _object_id(data, tag)[1]
        elif context and depth == 0 and number == spec.obj:
            if obj is not None and not named:
                refs.append(PropertyRef(*obj))
            obj, named = _object_id(data, tag), False
        elif context and depth == spec.depth and number == spec.prop:
            if prop is not None:
                refs.append(_ref(obj, prop, index))
                named = True
            prop, index = _unsigned(data, tag), None
        elif context and depth == spec.depth and number == spec.index:
            index = _unsigned(data, tag)
        i += 1
    if prop is not None:
        refs.append(_ref(obj, prop, index))
    elif obj is not None and not named:
        refs.append(PropertyRef(*obj))
    return tuple(refs), device, None, None, None


def _ref(obj: tuple[int, int] | None, prop: int | None, index: int | None,
         value: PropertyValue = None) -> PropertyRef:
    object_type, instance = obj if obj is not None else (None, None)
    return PropertyRef(object_type, instance, prop, index, value)


def _first_value(data: bytes, tags: list[Tag], i: int) -> tuple[PropertyValue, int]:
    """The first primitive inside the bracket opened at ``tags[i]``, and the index of its
    closing tag."""
    depth, value, found = 0, None, False
    for j in range(i, len(tags)):
        _number, context, length = tags[j][0], tags[j][1], tags[j][2]
        if length == _OPEN:
            depth += 1
        elif length == _CLOSE:
            depth -= 1
            if depth == 0:
                return value, j
        elif not found and not context:
            value, found = _application_value(data, tags[j]), True
    raise _MalformedError


def _i_am(data: bytes, at: int) -> _Params:
    tags = _tags(data, at)
    if len(tags) != 4 or any(t[1] for t in tags) or tags[0][0] != 12 or tags[3][0] != 2:
        raise _MalformedError
    object_type, instance = _object_id(data, tags[0])
    return ((PropertyRef(object_type, instance),), instance, _unsigned(data, tags[3]),
            None, None)


def _i_have(data: bytes, at: int) -> _Params:
    tags = _tags(data, at)
    if len(tags) != 3 or tags[0][0] != 12 or tags[1][0] != 12:
        raise _MalformedError
    device, obj = _object_id(data, tags[0]), _object_id(data, tags[1])
    name = _application_value(data, tags[2])
    return (PropertyRef(*obj, 77, None, name),), device[1], None, None, None


def _enumerated_code(tag_number: int) -> _ParamsDecoder:
    """A service whose point is one context-tagged enumeration (reinitialise state,
    enable/disable)."""
    def decode(data: bytes, at: int) -> _Params:
        for tag in _tags(data, at):
            if tag[1] and tag[0] == tag_number and tag[2] >= 0:
                return (), None, None, _unsigned(data, tag), None
        raise _MalformedError
    return decode


def _file_access(data: bytes, at: int) -> _Params:
    tags = _tags(data, at)
    if not tags or tags[0][0] != 12 or tags[0][1]:
        raise _MalformedError
    return (PropertyRef(*_object_id(data, tags[0])),), None, None, None, None


def _no_params(data: bytes, at: int) -> _Params:
    _tags(data, at)  # still well-formed
    return (), None, None, None, None


def _spec(spec: _RefSpec) -> _ParamsDecoder:
    return lambda data, at: _references(spec, data, at)


_PROPERTY = _RefSpec(obj=0, depth=0, prop=1, index=2, value=3)
_COV = _RefSpec(obj=2, depth=1, prop=0, index=1, value=2, device=1)

CONFIRMED_PARAMS = {
    CONFIRMED_COV_NOTIFICATION: _spec(_COV),
    CONFIRMED_EVENT_NOTIFICATION: _spec(_RefSpec(obj=2, depth=0, device=1)),
    SUBSCRIBE_COV: _spec(_RefSpec(obj=1, depth=0)),
    SUBSCRIBE_COV_PROPERTY: _spec(_RefSpec(obj=1, depth=1, prop=0, index=1)),
    ATOMIC_READ_FILE: _file_access, ATOMIC_WRITE_FILE: _file_access,
    READ_PROPERTY: _spec(_PROPERTY), WRITE_PROPERTY: _spec(_PROPERTY),
    READ_PROPERTY_MULTIPLE: _spec(_RefSpec(obj=0, depth=1, prop=0, index=1)),
    WRITE_PROPERTY_MULTIPLE: _spec(_RefSpec(obj=0, depth=1, prop=0, index=1, value=2)),
    READ_RANGE: _spec(_PROPERTY),
    DEVICE_COMMUNICATION_CONTROL: _enumerated_code(1),
    REINITIALIZE_DEVICE: _enumerated_code(0),
}
UNCONFIRMED_PARAMS = {
    I_AM: _i_am, I_HAVE: _i_have,
    UNCONFIRMED_COV_NOTIFICATION: _spec(_COV),
    UNCONFIRMED_EVENT_NOTIFICATION: _spec(_RefSpec(obj=2, depth=0, device=1)),
    WHO_HAS: _spec(_RefSpec(obj=2, depth=0)),
    WHO_IS: _no_params,
}
ACK_PARAMS = {
    READ_PROPERTY: _spec(_PROPERTY),
    READ_PROPERTY_MULTIPLE: _spec(_RefSpec(obj=0, depth=1, prop=2, index=3, value=4)),
    READ_RANGE: _spec(_PROPERTY),
    ATOMIC_READ_FILE: _no_params, ATOMIC_WRITE_FILE: _no_params,
}


def _service_params(table: dict[int, _ParamsDecoder], service: int, data: bytes,
                    at: int) -> _Params:
    decode = table.get(service)
    if decode is None:
        if at > len(data):
            raise _MalformedError
        return (), None, None, None, None
    return decode(data, at)
