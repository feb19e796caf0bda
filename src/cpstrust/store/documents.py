"""Documents kept as evidence: stored compressed, always read back as the exact bytes received.

A batch of 1,000 SBOMs brings 1.2 GB of JSON; stored as received, every byte went through
SQLite's write-ahead log and again into the database file at the commit (ADR 0003).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

import zstandard

from cpstrust.errors import StoreError

# Level 1: 1.7-1.9 ms per 1.2 MB SBOM for a sixth of its size; level 3 took 2.3 ms for
# 5% less, level 5 6.3 ms, negative levels 1.4 ms for a quarter to a fifth (ADR 0003).
_LEVEL = 1
# A frame may ask for a window of up to 2 GB; ours use at most 8 MB (any standard level),
# so a damaged or hostile blob cannot make the reader allocate more.
_MAX_WINDOW = 1 << 23
# Decompressed a piece at a time: a damaged size column must not size one allocation.
_PIECE = 1 << 20


class ContentEncoding(StrEnum):
    IDENTITY = "identity"  # documents stored before compression (migration 0005)
    ZSTD = "zstd"


@dataclass(frozen=True, slots=True)
class KeptDocument:
    """A document as stored: ``content`` in ``encoding``; ``size`` and ``sha256`` are
    those of the bytes as received."""

    content: bytes
    encoding: ContentEncoding
    size: int
    sha256: str


def keep_document(raw: bytes) -> KeptDocument:
    """``raw`` compressed for storage, with the size and digest of ``raw`` itself."""
    return KeptDocument(
        zstandard.ZstdCompressor(level=_LEVEL).compress(raw),
        ContentEncoding.ZSTD,
        len(raw),
        hashlib.sha256(raw).hexdigest(),
    )


def original_bytes(content: bytes, encoding: str, size: int, sha256: str, *, label: str) -> bytes:
    """The exact bytes received, from a kept document's stored columns.

    Raises StoreError naming ``label`` when they do not give them back: an unknown
    encoding, a damaged blob, more or fewer bytes than recorded (decoding stops one byte
    past ``size``), or bytes with another SHA-256.
    """
    raw = _decoded(content, encoding, size, label)
    if len(raw) > size:
        raise StoreError("store_document_longer", size=size, source=label)
    if len(raw) < size:
        raise StoreError("store_document_shorter", size=size, source=label)
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise StoreError("store_document_digest_mismatch", source=label)
    return raw


def _decoded(content: bytes, encoding: str, size: int, label: str) -> bytes:
    if encoding == ContentEncoding.IDENTITY:
        return content
    if encoding != ContentEncoding.ZSTD:
        raise StoreError("store_document_unknown_encoding", encoding=encoding, source=label)
    try:
        # One byte past the recorded size is enough to tell that it is too large.
        return _decompressed(content, limit=size + 1)
    except zstandard.ZstdError as exc:
        raise StoreError("store_document_undecompressable", reason=str(exc),
                         source=label) from exc


def _decompressed(content: bytes, *, limit: int) -> bytes:
    """At most ``limit`` bytes of the zstd frame ``content``."""
    pieces = []
    read = 0
    with zstandard.ZstdDecompressor(max_window_size=_MAX_WINDOW).stream_reader(content) as reader:
        while read < limit and (piece := reader.read(min(_PIECE, limit - read))):
            pieces.append(piece)
            read += len(piece)
    return b"".join(pieces)
