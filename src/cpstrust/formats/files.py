"""Reading an input file with the size limit checked before and during the read; writing
an output file whole or not at all."""

from __future__ import annotations

import hashlib
import os
import tempfile
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


def write_whole(out: Path, data: bytes) -> None:
    """Write ``data`` to ``out`` whole or not at all: a temporary file beside it, renamed
    over it when complete, so that neither a reader nor a failure halfway sees part of
    it. InputError naming ``out`` when it cannot be written."""
    try:
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise InputError("output_unwritable", error=exc.strerror or str(exc),
                         source=str(out)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o644)  # as a file written by the shell would be
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(out)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError("output_unwritable", error=exc.strerror or str(exc),
                         source=str(out)) from None
