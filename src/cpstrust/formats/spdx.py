"""SPDX 2.2/2.3 JSON and tag-value to ``Sbom``, parsed and validated with spdx-tools.

Packages become components (SPDXID as ref), and so do files, as components of type
"file" whose location is their fileName: they are what an image's authenticity is
checked against. DEPENDS_ON, DEPENDENCY_OF, CONTAINS and CONTAINED_BY between them
become (dependent, dependency) edges; the package the document DESCRIBES is the
subject. Snippets are validated but not mapped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spdx_tools.spdx.datetime_conversions import datetime_to_iso_string
from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.file import File
from spdx_tools.spdx.model.package import ExternalPackageRefCategory, Package
from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone
from spdx_tools.spdx.parser.error import SPDXParsingError
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.validation.validation_message import ValidationMessage

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import kind_of, pointer
from cpstrust.formats.sbomfields import add_unique, check_purl, hash_algorithm, summarise
from cpstrust.formats.spdx_facts import document_facts
from cpstrust.formats.spdx_tagvalue import parse_tagvalue
from cpstrust.formats.spdx_validate import validate_spdx_document
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import Hash, Sbom, SbomComponent, SbomDetail, SbomFormat, product_path

SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")

# Where something is in the source: given an SPDX id, or a relationship's (element, related).
Subject = str | tuple[str, str] | None
Locate = Callable[[Subject], str]

# (relationship, True when the edge runs from the related element to the element)
_EDGES = {
    RelationshipType.DEPENDS_ON: False,
    RelationshipType.CONTAINS: False,
    RelationshipType.DEPENDENCY_OF: True,
    RelationshipType.CONTAINED_BY: True,
}


def read_spdx_json(document: dict[str, Any], limits: ReadLimits,
                   detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Map a parsed SPDX JSON document (already size- and depth-checked) to an Sbom.

    Raises ``InputError`` for an unsupported version, a document spdx-tools cannot parse
    or whose validation fails (located by JSON pointer), or an unparseable package URL.
    """
    check_version(document.get("spdxVersion"), "/spdxVersion")
    _check_lists(document)
    try:
        parsed = JsonLikeDictParser().parse(document)  # type: ignore[no-untyped-call]
    except SPDXParsingError as exc:
        problem = summarise([str(m) for m in exc.messages])
        raise InputError("spdx_not_valid_document", problem=problem, location="/") from None
    except Exception as exc:  # spdx-tools raises assorted types on hostile input
        raise InputError("spdx_not_valid_document", problem=str(exc), location="/") from None
    return to_sbom(parsed, SbomFormat.SPDX_JSON, limits, _json_locator(document), detail)


_LISTS_OF_OBJECTS = ("packages", "files", "snippets", "relationships", "annotations",
                     "hasExtractedLicensingInfos", "externalDocumentRefs")


def _check_lists(document: dict[str, Any]) -> None:
    # spdx-tools assumes these shapes and fails with bare TypeErrors when they are wrong.
    for key in _LISTS_OF_OBJECTS:
        items = document.get(key, [])
        if not isinstance(items, list):
            raise InputError("json_expected_array", found=kind_of(items), location=f"/{key}")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError("json_expected_object", found=kind_of(item),
                                 location=pointer((key, index)))


def read_spdx_tagvalue(data: bytes, limits: ReadLimits,
                       detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Parse, validate and map an SPDX tag-value document.

    Raises ``InputError`` for text that is not UTF-8, an unsupported version or a parse or
    validation failure (located by line), and ``LimitExceededError`` for an over-long line.
    """
    text = _decode(data)
    _check_lines(text, limits)
    version = re.search(r"^[ \t]*SPDXVersion:[ \t]*(\S*)", text, re.MULTILINE)
    check_version(version.group(1) if version else None,
                  f"line {_line_of(text, version.start())}" if version else "line 1")
    return to_sbom(parse_tagvalue(text), SbomFormat.SPDX_TAG_VALUE, limits,
                   _tagvalue_locator(text), detail)


def check_version(version: object, location: str) -> None:
    """Refuse anything but SPDX 2.2 and 2.3."""
    if version not in SPDX_VERSIONS:
        raise InputError("spdx_unsupported_version", version=version,
                         supported=", ".join(SPDX_VERSIONS), location=location)


def to_sbom(document: Document, fmt: SbomFormat, limits: ReadLimits, locate: Locate,
            detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Validate a parsed SPDX document and map it to an Sbom (IDENTITY maps as FULL;
    QUALITY adds ``Sbom.facts``)."""
    if len(document.packages) > limits.max_components:
        raise LimitExceededError("spdx_too_many_packages", limit=limits.max_components,
                                 location=locate(document.packages[limits.max_components].spdx_id))
    if len(document.packages) + len(document.files) > limits.max_components:
        first_over = document.files[limits.max_components - len(document.packages)]
        raise LimitExceededError("spdx_too_many_elements", limit=limits.max_components,
                                 location=locate(first_over.spdx_id))
    messages = validate_spdx_document(document)
    if messages:
        raise InputError("spdx_validation_failed", problem=summarise([_text(m) for m in messages]),
                         location=locate(_subject_of(messages[0])))
    info = document.creation_info
    quality = detail is SbomDetail.QUALITY
    components = (*(_component(p, locate) for p in document.packages),
                  *map(_file_component, document.files))
    subject = _subject(document)
    return Sbom(
        format=fmt,
        spec_version=info.spdx_version.removeprefix("SPDX-"),
        serial=info.document_namespace,
        subject_name=subject.name if subject else None,
        subject_version=subject.version if subject else None,
        subject_purl=_external_ref(subject, ExternalPackageRefCategory.PACKAGE_MANAGER, "purl")
        if subject else None,
        components=components,
        dependencies=_dependencies(document, {c.ref for c in components}),
        created=datetime_to_iso_string(info.created),
        tools=tuple(a.name for a in info.creators if a.actor_type == ActorType.TOOL),
        detail=SbomDetail.QUALITY if quality else SbomDetail.FULL,
        facts=document_facts(document) if quality else None,
    )


def _component(package: Package, locate: Locate) -> SbomComponent:
    purl = _external_ref(package, ExternalPackageRefCategory.PACKAGE_MANAGER, "purl")
    if purl:
        check_purl(purl, component=package.name, location=lambda: locate(package.spdx_id))
    purpose = package.primary_package_purpose
    supplier = package.supplier
    return SbomComponent(
        ref=package.spdx_id,
        name=package.name,
        version=package.version,
        purl=purl,
        type=purpose.name.lower().replace("_", "-") if purpose else "library",
        hashes=tuple(Hash(hash_algorithm(c.algorithm.name), c.value.lower())
                     for c in package.checksums),
        licenses=_licences(package.license_concluded, package.license_declared),
        supplier=supplier.name if isinstance(supplier, Actor) else None,
        cpe=(_external_ref(package, ExternalPackageRefCategory.SECURITY, "cpe23Type")
             or _external_ref(package, ExternalPackageRefCategory.SECURITY, "cpe22Type")),
    )


def _file_component(file: File) -> SbomComponent:
    location = product_path(file.name)  # SPDX writes "./usr/bin/x"
    return SbomComponent(
        ref=file.spdx_id,
        name=file.name,
        version=None,
        purl=None,
        type="file",
        hashes=tuple(Hash(hash_algorithm(c.algorithm.name), c.value.lower())
                     for c in file.checksums),
        licenses=_licences(file.license_concluded),
        locations=(location,) if location else (),
    )


def _licences(*expressions: object) -> tuple[str, ...]:
    found: list[str] = []
    for expression in expressions:
        # NOASSERTION and NONE say nothing about the licence: not kept.
        if expression is not None and not isinstance(expression, SpdxNone | SpdxNoAssertion):
            add_unique(found, str(expression))
    return tuple(found)


def _external_ref(package: Package, category: ExternalPackageRefCategory,
                  kind: str) -> str | None:
    return next((r.locator for r in package.external_references
                 if r.category == category and r.reference_type == kind), None)


def _subject(document: Document) -> Package | None:
    document_id = document.creation_info.spdx_id
    described = [r.related_spdx_element_id for r in document.relationships
                 if r.relationship_type == RelationshipType.DESCRIBES
                 and r.spdx_element_id == document_id]
    described += [r.spdx_element_id for r in document.relationships
                  if r.relationship_type == RelationshipType.DESCRIBED_BY
                  and r.related_spdx_element_id == document_id]
    packages = {p.spdx_id: p for p in document.packages}
    return next((packages[i] for i in described if isinstance(i, str) and i in packages), None)


def _dependencies(document: Document, elements: set[str]) -> tuple[tuple[str, str], ...]:
    edges: list[tuple[str, str]] = []
    for r in document.relationships:
        reverse = _EDGES.get(r.relationship_type)
        target = r.related_spdx_element_id
        if reverse is None or not isinstance(target, str):
            continue
        if r.spdx_element_id in elements and target in elements:
            edges.append((target, r.spdx_element_id) if reverse else (r.spdx_element_id, target))
    return tuple(edges)


def _text(message: ValidationMessage) -> str:
    return str(message.validation_message)


def _subject_of(message: ValidationMessage) -> Subject:
    context = message.context
    if context.spdx_id or context.parent_id:
        return str(context.spdx_id or context.parent_id)
    element = context.full_element
    if isinstance(element, Relationship):
        return (str(element.spdx_element_id), str(element.related_spdx_element_id))
    return None


def _json_locator(document: dict[str, Any]) -> Locate:
    def locate(subject: Subject) -> str:
        if isinstance(subject, tuple):
            return _find(document, "relationships", lambda item: (
                item.get("spdxElementId"), item.get("relatedSpdxElement")) == subject)
        for key in ("packages", "files", "snippets"):
            found = _find(document, key, lambda item: item.get("SPDXID") == subject)
            if found != "/":
                return found
        return "/"
    return locate


def _find(document: dict[str, Any], key: str, match: Callable[[dict[str, Any]], bool]) -> str:
    items = document.get(key)
    for index, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict) and match(item):
            return pointer((key, index))
    return "/"


def _tagvalue_locator(text: str) -> Locate:
    def locate(subject: Subject) -> str:
        if isinstance(subject, tuple):
            pattern = rf"^Relationship:[ \t]*{re.escape(subject[0])}[ \t]+\S+[ \t]+" \
                      rf"{re.escape(subject[1])}[ \t]*$"
        elif subject:
            pattern = rf"^SPDXID:[ \t]*{re.escape(subject)}[ \t]*$"
        else:
            return "line 1"
        found = re.search(pattern, text, re.MULTILINE)
        return f"line {_line_of(text, found.start())}" if found else "line 1"
    return locate


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("spdx_tagvalue_not_utf8", location=f"line {line}") from None


def _check_lines(text: str, limits: ReadLimits) -> None:
    longest = max(text.splitlines() or [""], key=len)
    if len(longest) > limits.max_string:
        raise LimitExceededError("spdx_line_too_long", limit=limits.max_string,
                                 location=f"line {_line_of(text, text.index(longest))}")
