"""A VEX file of any of the three formats to ``VexDocument``, the format told by content:
OpenVEX (an ``@context`` of openvex.dev), CycloneDX (``bomFormat``) or CSAF
(``document.csaf_version``).

VEX decides which findings are shown as not affecting a product, so its documents are
read as strictly as signed ones: an object naming a key twice is refused (two readers
would disagree on what it says), as are input over the limits and a document of none of
the formats.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.csaf_vex import is_csaf, read_csaf_vex
from cpstrust.formats.cyclonedx_vex import is_cyclonedx, read_cyclonedx_vex
from cpstrust.formats.files import read_limited
from cpstrust.formats.jsonread import check_tree, parse_json_strict
from cpstrust.formats.openvex import is_openvex, read_openvex
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.vex import VexDocument


def read_vex_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> VexDocument:
    """Read and check one VEX document; InputError naming the file and the place."""
    return read_vex(read_limited(path, limits), source=str(path), limits=limits)


def read_vex(data: bytes, *, source: str, limits: ReadLimits = DEFAULT_LIMITS) -> VexDocument:
    if len(data) > limits.max_bytes:
        raise LimitExceededError("input_file_over_limit", size=len(data), limit=limits.max_bytes,
                         source=source)
    document: Any = parse_json_strict(data, source)
    try:
        check_tree(document, limits)
    except InputError as exc:
        raise exc.with_source(source) from None
    sha256 = hashlib.sha256(data).hexdigest()
    if is_openvex(document):
        return read_openvex(document, source=source, sha256=sha256)
    if is_cyclonedx(document):
        return read_cyclonedx_vex(document, source=source, sha256=sha256)
    if is_csaf(document):
        return read_csaf_vex(document, source=source, sha256=sha256)
    raise InputError("vex_unknown_format", source=source)
