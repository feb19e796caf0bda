"""Read any supported SBOM: detect CycloneDX JSON/XML, SPDX 2 JSON/tag-value or SPDX 3
JSON-LD and dispatch."""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import Any

from cpstrust.errors import CpstrustError, InputError, LimitExceededError
from cpstrust.formats.cyclonedx import read_cyclonedx_json
from cpstrust.formats.files import read_limited
from cpstrust.formats.jsonread import check_tree, kind_of, parse_json
from cpstrust.lifetime import keep_until_exit
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.sbom import Sbom, SbomDetail

# A tag-value document is lines of "Tag: value"; comments start with "#". The patterns
# avoid \s around line starts, which would backtrack quadratically on runs of newlines.
_TAG = re.compile(rb"[ \t]*[A-Za-z][A-Za-z0-9]*:")
_SPDX_VERSION_TAG = re.compile(rb"^[ \t]*SPDXVersion:", re.MULTILINE)
# The first byte that is not ASCII whitespace (what bytes.lstrip strips), found without
# copying the document: lstrip copied a 12 MB SBOM, ~10 ms of a scan.
_NOT_SPACE = re.compile(rb"[^ \t\n\r\x0b\x0c]")


def read_sbom(data: bytes, *, source: str, limits: ReadLimits = DEFAULT_LIMITS,
              detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Parse, validate and map one SBOM document, whatever its supported format.

    ``source`` names the document in errors. Raises ``InputError`` (``LimitExceededError``
    when over ``limits``) carrying the source, the place in the document and the problem;
    nothing else escapes for bad input.

    ``detail`` IDENTITY maps only what matching needs: in CycloneDX JSON, the format of
    the large SBOMs (other formats map everything, and say so in ``Sbom.detail``). The
    whole document is validated either way.
    """
    try:
        if len(data) > limits.max_bytes:
            raise LimitExceededError("sbom_too_large", size=len(data), limit=limits.max_bytes)
        return _dispatch(data, limits, detail)
    except CpstrustError as exc:
        raise exc.with_source(source) from None


def read_sbom_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS,
                   detail: SbomDetail = SbomDetail.FULL) -> tuple[Sbom, bytes]:
    """Read and parse the SBOM at ``path``; return it with the raw bytes (kept as evidence).

    The size is checked before reading, and the read itself stops one byte past the limit
    in case the file grows meanwhile.
    """
    data = read_limited(path, limits)
    return read_sbom(data, source=str(path), limits=limits, detail=detail), data


def _dispatch(data: bytes, limits: ReadLimits, detail: SbomDetail) -> Sbom:
    body = data.removeprefix(codecs.BOM_UTF8)
    first = _NOT_SPACE.search(body)
    start = first.group() if first else b""
    if not start:
        raise InputError("sbom_empty_file", location="line 1")
    if start in (b"{", b"["):
        document = parse_json(data)
        keep_until_exit(document)  # a command's exit drops it whole (lifetime)
        return _read_json(document, limits, detail)
    if start == b"<" or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # XML may be UTF-16 (JSON and tag-value may not): lxml decodes it.
        from cpstrust.formats.cyclonedx_xml import read_cyclonedx_xml  # lxml: only for XML

        return read_cyclonedx_xml(data, limits, detail)
    if _looks_like_tag_value(body) and _SPDX_VERSION_TAG.search(body):
        from cpstrust.formats.spdx import read_spdx_tagvalue  # spdx-tools: ~0.15 s to import

        return read_spdx_tagvalue(data, limits, detail)
    raise InputError("sbom_not_recognised", location="line 1")


def _looks_like_tag_value(data: bytes) -> bool:
    """Whether the first line that is neither blank nor a comment is a ``Tag:`` line."""
    for line in io.BytesIO(data):
        stripped = line.strip()
        if stripped and not stripped.startswith(b"#"):
            return _TAG.match(line) is not None
    return False


def _read_json(document: Any, limits: ReadLimits, detail: SbomDetail) -> Sbom:
    if not isinstance(document, dict):
        raise InputError("sbom_top_level_not_object", found=kind_of(document), location="/")
    if "bomFormat" in document:
        if document["bomFormat"] != "CycloneDX":
            check_tree(document, limits)  # before the value goes into a message
            raise InputError("sbom_bom_format_not_cyclonedx", value=document["bomFormat"],
                             location="/bomFormat")
        return read_cyclonedx_json(document, limits, detail)  # limits checked in validation
    check_tree(document, limits)
    if "spdxVersion" in document:
        from cpstrust.formats.spdx import read_spdx_json  # spdx-tools: ~0.15 s to import

        return read_spdx_json(document, limits, detail)
    if "@context" in document:  # JSON-LD: SPDX 3
        from cpstrust.formats.spdx3 import read_spdx3_json  # the schema: only for SPDX 3

        return read_spdx3_json(document, limits, detail)
    raise InputError("sbom_json_unrecognised", location="/")
