"""The ``@graph`` of an SPDX 3 JSON-LD document after schema validation: its elements by
id, references followed to what they name, and the names both the reader (formats/spdx3)
and its quality facts (formats/spdx3_facts) go by."""

from __future__ import annotations

from typing import Any

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import pointer

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"  # the one a 3.0.1 document names
JsonObject = dict[str, Any]
Target = JsonObject | str  # an element: in the document (or inline), or an IRI elsewhere

PACKAGE_TYPES = frozenset({"software_Package", "ai_AIPackage", "dataset_DatasetPackage"})
FILE_TYPE = "software_File"
RELATIONSHIP_TYPES = frozenset({"Relationship", "LifecycleScopedRelationship"})
AGENT_TYPES = frozenset({"Agent", "Person", "Organization", "SoftwareAgent"})
LICENCE_RELATIONSHIPS = ("hasConcludedLicense", "hasDeclaredLicense")
LISTED_LICENCE = "https://spdx.org/licenses/"
# Individuals of the SPDX model, as the context abbreviates them, and IRIs that SPDX
# itself defines (the model's terms, the licence list): named without being in a document.
_TERMS = "https://spdx.org/rdf/3.0.1/terms/"
NO_ASSERTION = frozenset({
    "NoAssertionElement", f"{_TERMS}Core/NoAssertionElement",
    "expandedlicensing_NoAssertionLicense", f"{_TERMS}ExpandedLicensing/NoAssertionLicense"})
_INDIVIDUALS = NO_ASSERTION | {"NoneElement", "SpdxOrganization", "expandedlicensing_NoneLicense"}
_DEFINED_BY_SPDX = (_TERMS, LISTED_LICENCE)

class Graph:
    """The ``@graph`` of a validated document, its elements found by id."""

    def __init__(self, elements: list[JsonObject]) -> None:
        self.elements = elements
        self.at: dict[str, int] = {}
        self.imported: frozenset[str] = frozenset()

    def resolve(self, ref: Target, where: tuple[str | int, ...]) -> Target:
        """The element ``ref`` names (an object in the document or written in place), or
        the IRI of one defined outside it (imported, or by SPDX); refused otherwise."""
        if isinstance(ref, dict):
            return ref
        index = self.at.get(ref)
        if index is not None:
            return self.elements[index]
        if ref in _INDIVIDUALS or ref in self.imported or ref.startswith(_DEFINED_BY_SPDX):
            return ref
        raise InputError("spdx3_dangling_reference", id=ref, location=pointer(where))

    def resolve_typed(self, ref: Target, where: tuple[str | int, ...],
                      expected: frozenset[str]) -> Target:
        """``resolve``, refusing an element in the document that is of none of the
        ``expected`` types."""
        target = self.resolve(ref, where)
        if isinstance(target, dict) and target.get("type") not in expected:
            raise InputError("spdx3_wrong_reference_type", id=name_of(ref),
                             found=target.get("type"), expected=", ".join(sorted(expected)),
                             location=pointer(where))
        return target

    def where(self, element: JsonObject) -> tuple[str | int, ...]:
        """The path of an element of the graph (by its id; the graph's start if none)."""
        ref = element.get("spdxId") or element.get("@id")
        index = self.at.get(ref) if isinstance(ref, str) else None
        return ("@graph",) if index is None else ("@graph", index)


# (relationshipType, from, to, the relationship) with from and to as ids; each end found.
Relationship = tuple[str, str, tuple[str, ...], JsonObject]

# Licence texts by element id: (concluded, declared), in document order.
Licences = dict[str, tuple[list[str], list[str]]]


def name_of(target: Target) -> str:
    if isinstance(target, str):
        return target
    name = target.get("spdxId") or target.get("@id") or ""
    return name if isinstance(name, str) else ""


def identifier(element: JsonObject, kind: str) -> str | None:
    """The first externalIdentifier of ``kind`` (cpe23, packageUrl, swid, ...)."""
    return next((entry["identifier"] for entry in element.get("externalIdentifier", ())
                 if isinstance(entry, dict) and entry.get("externalIdentifierType") == kind),
                None)
