"""Reading an input file with the size limit checked before and during the read."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.limits import ReadLimits


def read_limited(path: Path, limits: ReadLimits) -> bytes:
    """The bytes of ``path``; refuses a file over ``limits.max_bytes``.

    The read stops one byte past the limit in case the file grows meanwhile, so the
    parser's own size check still sees it.
    """
    source = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise LimitExceededError("input_file_over_limit", size=size, limit=limits.max_bytes,
                                     source=source)
        with path.open("rb") as handle:
            return handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise InputError("input_file_unreadable", reason=exc.strerror or str(exc),
                         source=source) from None


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, streamed (``hashlib.file_digest`` reads in large blocks)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
