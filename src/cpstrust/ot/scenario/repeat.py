"""Scale mode's fast path: one generated block of frames repeated, each repetition
later by the block's length and with the TCP clients' ephemeral ports moved (so that
each repetition's connections are new ones, reassembled afresh), the TCP checksums
updated to match (RFC 1624). Simulating a gigabyte took minutes; copying a block with
two fields patched per TCP frame takes seconds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from cpstrust.model.ot_scenario import Episode, Frame

_EPHEMERAL = tuple(p for p in range(32768, 65536) if not 47808 <= p <= 47823)  # not BACnet
_INDEX = {port: index for index, port in enumerate(_EPHEMERAL)}
PORT_STEP = 7919  # a prime: repetitions walk the ephemeral range, never twice alike soon
_ETHERNET_IPV4 = b"\x08\x00"
_TCP = 6
# frame index -> (offset of the port that moves, that port, offset of the TCP checksum)
_Patch = tuple[int, int, int]


def _patch(data: bytes) -> _Patch | None:
    """Where a frame's ephemeral TCP port and checksum lie; None when nothing moves."""
    if len(data) < 34 or data[12:14] != _ETHERNET_IPV4 or data[23] != _TCP:
        return None
    at = 14 + (data[14] & 0x0F) * 4
    if len(data) < at + 20:
        return None
    sport, dport = (data[at] << 8) | data[at + 1], (data[at + 2] << 8) | data[at + 3]
    if sport in _INDEX and dport not in _INDEX:
        return at, sport, at + 16
    if dport in _INDEX and sport not in _INDEX:
        return at + 2, dport, at + 16
    return None


def _ones_add(a: int, b: int) -> int:
    total = a + b
    return (total & 0xFFFF) + (total >> 16)


def moved_port(port: int, repetition: int) -> int:
    return _EPHEMERAL[(_INDEX[port] + repetition * PORT_STEP) % len(_EPHEMERAL)]


def repeat_frames(block: Sequence[Frame], period: float, repetitions: int,
                  ) -> Iterator[Frame]:
    """The block ``repetitions`` times, the r-th later by ``r * period`` seconds, in
    time order."""
    patches = [_patch(f.data) for f in block]
    for repetition in range(repetitions):
        shift = repetition * period
        for frame, patch in zip(block, patches, strict=True):
            data = frame.data
            if patch is not None and repetition:
                data = _moved(data, patch, moved_port(patch[1], repetition))
            yield Frame(frame.ts + shift, data, frame.episode)


def _moved(data: bytes, patch: _Patch, port: int) -> bytes:
    """``data`` with the port at ``patch`` set to ``port`` and the TCP checksum
    updated incrementally: HC' = ~(~HC + ~m + m') (RFC 1624, eqn. 3)."""
    at, old, check_at = patch
    checksum = (data[check_at] << 8) | data[check_at + 1]
    total = _ones_add(_ones_add(~checksum & 0xFFFF, ~old & 0xFFFF), port)
    checksum = ~total & 0xFFFF
    return b"".join((data[:at], port.to_bytes(2, "big"), data[at + 2:check_at],
                     checksum.to_bytes(2, "big"), data[check_at + 2:]))


def repeated_episodes(episodes: Sequence[Episode], period: float, repetitions: int,
                      ) -> tuple[Episode, ...]:
    """The block's episodes in every repetition, numbered on."""
    count = len(episodes)
    return tuple(replace(e, episode_id=r * count + e.episode_id, start=e.start + r * period,
                         end=e.end + r * period)
                 for r in range(repetitions) for e in episodes)
