"""Types of the compiled BACnet/IP decoder (bacnet.pyx, ADR 0033)."""

from typing import TypeAlias

from cpstrust.model.ot import MalformedKind, PropertyRef

BACNET_IP: int
BVLC_FORWARDED_NPDU: int
OBJECT_DEVICE: int
CONFIRMED_COV_NOTIFICATION: int
CONFIRMED_EVENT_NOTIFICATION: int
SUBSCRIBE_COV: int
ATOMIC_READ_FILE: int
ATOMIC_WRITE_FILE: int
READ_PROPERTY: int
READ_PROPERTY_MULTIPLE: int
WRITE_PROPERTY: int
WRITE_PROPERTY_MULTIPLE: int
DEVICE_COMMUNICATION_CONTROL: int
REINITIALIZE_DEVICE: int
READ_RANGE: int
SUBSCRIBE_COV_PROPERTY: int
I_AM: int
I_HAVE: int
UNCONFIRMED_COV_NOTIFICATION: int
UNCONFIRMED_EVENT_NOTIFICATION: int
WHO_HAS: int
WHO_IS: int

# bvlc function, forwarded from, SNET, SADR, DNET, DADR, network message, APDU type,
# service, invoke id, segmented, references, device instance, vendor id, code, error class
Decoded: TypeAlias = tuple[int, str | None, int | None, str | None, int | None, str | None,
                           int | None, int | None, int | None, int | None, bool,
                           tuple[PropertyRef, ...], int | None, int | None, int | None,
                           int | None]

def decode_bvlc(payload: bytes) -> Decoded | MalformedKind:
    """A BACnet/IP UDP payload, whole."""
