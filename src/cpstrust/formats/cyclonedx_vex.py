"""CycloneDX VEX (JSON, spec 1.4-1.7) to ``VexDocument``, checked against the official
CycloneDX schema of its version.

Each vulnerability with an ``analysis.state`` is a statement; one without is a finding
someone listed, not a statement, and is left out (a document with no statement at all
is refused). States map to the VEX statuses: ``not_affected`` and ``false_positive`` to
not_affected, ``resolved`` and ``resolved_with_pedigree`` to fixed, ``exploitable`` to
affected, ``in_triage`` to under_investigation.

``affects[].ref`` names either a component of this document (its purl, CPE, name and
version then name the product: the refs of one BOM mean nothing in another), or, as a
BOM-Link ``urn:cdx:<serial>/<version>#<ref>``, a component of the BOM with that serial
(cpstrust keeps a BOM's serial, not its version, so the version is not compared). A
local ref that names no component here is refused, as is a version whose own status
contradicts the statement's state (``unaffected`` under ``exploitable``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from cpstrust.errors import InputError
from cpstrust.formats.cyclonedx_schema import JSON_VERSIONS, json_validator
from cpstrust.formats.jsonread import pointer
from cpstrust.formats.vers import parse_vers
from cpstrust.formats.vexfields import Fields, Path, latest
from cpstrust.model.vex import ProductId, VexDocument, VexFormat, VexStatement, VexStatus

_STATE = {
    "not_affected": VexStatus.NOT_AFFECTED, "false_positive": VexStatus.NOT_AFFECTED,
    "resolved": VexStatus.FIXED, "resolved_with_pedigree": VexStatus.FIXED,
    "exploitable": VexStatus.AFFECTED, "in_triage": VexStatus.UNDER_INVESTIGATION,
}
# A version's own status that says the opposite of its statement's state.
_CONTRADICTS = {
    VexStatus.NOT_AFFECTED: "affected", VexStatus.FIXED: "affected",
    VexStatus.AFFECTED: "unaffected", VexStatus.UNDER_INVESTIGATION: "unaffected",
}
_BOM_LINK = re.compile(r"urn:cdx:([0-9a-fA-F-]{36})/([1-9][0-9]*)(?:#(.+))?")


def is_cyclonedx(document: object) -> bool:
    return isinstance(document, dict) and document.get("bomFormat") == "CycloneDX"


def read_cyclonedx_vex(document: dict[str, Any], *, source: str, sha256: str) -> VexDocument:
    """A CycloneDX document already parsed (duplicate keys refused, limits checked)."""
    fields = Fields(source)
    version = document.get("specVersion")
    if version not in JSON_VERSIONS or version in ("1.2", "1.3"):
        raise fields.error("vex_cyclonedx_version", ("specVersion",), version=str(version)[:20])
    for error in json_validator(version).iter_errors(document):
        raise InputError("vex_schema_violation", format=f"CycloneDX {version}",
                         detail=error.message[:300], source=source,
                         location=pointer(list(error.instance_path)))
    metadata = document.get("metadata", {})
    issued = fields.timestamp(metadata, "timestamp", ("metadata",))
    components = dict(_components(document))
    statements = tuple(
        _statement(fields, node, at, components, issued)
        for at, node in fields.objects(document, "vulnerabilities", ())
        if "state" in node.get("analysis", {}))
    if not statements:
        raise fields.error("vex_no_statement", ("vulnerabilities",), format="CycloneDX")
    author = next((a.get("name") for a in metadata.get("authors", ()) if a.get("name")),
                  (metadata.get("supplier") or {}).get("name"))
    return VexDocument(VexFormat.CYCLONEDX, source, document.get("serialNumber"), author,
                       issued, statements, sha256)


def _components(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every component of the document with a bom-ref, nested ones too."""
    stack = [document.get("metadata", {}).get("component") or {}, *document.get("components", ())]
    while stack:
        node = stack.pop()
        if "bom-ref" in node:
            yield node["bom-ref"], node
        stack.extend(node.get("components", ()))


def _statement(fields: Fields, node: dict[str, Any], at: Path,
               components: dict[str, dict[str, Any]], issued: datetime | None) -> VexStatement:
    analysis = node["analysis"]
    status = _STATE[analysis["state"]]
    justification = analysis.get("justification") or (
        "false_positive" if analysis["state"] == "false_positive" else None)
    action = "; ".join([*analysis.get("response", ()),
                        *(t for t in (node.get("recommendation"), node.get("workaround")) if t)])
    moment = latest(fields.timestamp(analysis, "lastUpdated", (*at, "analysis")),
                    fields.timestamp(analysis, "firstIssued", (*at, "analysis")),
                    fields.timestamp(node, "updated", at))
    return VexStatement(
        vulnerability=node.get("id") or "",
        aliases=tuple(r["id"] for r in node.get("references", ()) if r.get("id")),
        status=status, justification=justification, impact=analysis.get("detail"),
        action=action or None,
        products=tuple(_product(fields, a, a_at, components, status)
                       for a_at, a in fields.objects(node, "affects", at)),
        timestamp=moment or issued, place=pointer(at))


def _product(fields: Fields, affects: dict[str, Any], at: Path,
             components: dict[str, dict[str, Any]], status: VexStatus) -> ProductId:
    ref: str = affects["ref"]
    versions: list[str] = []
    ranges = []
    for v_at, entry in fields.objects(affects, "versions", at):
        if entry.get("status") == _CONTRADICTS[status]:
            raise fields.error("vex_version_contradicts", (*v_at, "status"),
                               version_status=entry["status"], status=status.value)
        if "version" in entry:
            versions.append(entry["version"])
        else:
            ranges.append(parse_vers(entry["range"], source=fields.source,
                                     location=pointer((*v_at, "range"))))
    link = _BOM_LINK.fullmatch(ref)
    if link is not None:
        return ProductId(label=ref, bom_serial=f"urn:uuid:{link.group(1).lower()}",
                         ref=unquote(link.group(3)) if link.group(3) else None,
                         versions=tuple(versions), ranges=tuple(ranges))
    if ref.startswith("urn:cdx:"):
        raise fields.error("vex_bad_bom_link", (*at, "ref"), ref=ref[:200])
    component = components.get(ref)
    if component is None:
        raise fields.error("vex_unknown_ref", (*at, "ref"), ref=ref[:200])
    return ProductId(label=ref, purl=component.get("purl"), cpe=component.get("cpe"),
                     name=component.get("name"), version=component.get("version"),
                     versions=tuple(versions), ranges=tuple(ranges))
