"""SPDX 2.2/2.3 document validation in linear time, built from spdx-tools' own validators.

spdx-tools' ``validate_full_spdx_document`` applies the right rules but looks every
reference up in freshly built lists, so it is quadratic: 60 s for 10,000 packages here.
This module runs the same per-element validators from spdx-tools and does the
document-wide checks (references exist, ids unique, files of unanalysed packages, the
DESCRIBES rule) itself, against sets built once. spdx-tools ships no SPDX JSON schema,
so these validators are the reference for SPDX.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.relationship import RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone
from spdx_tools.spdx.validation.actor_validator import validate_actor
from spdx_tools.spdx.validation.creation_info_validator import validate_creation_info
from spdx_tools.spdx.validation.extracted_licensing_info_validator import (
    validate_extracted_licensing_infos,
)
from spdx_tools.spdx.validation.file_validator import validate_file
from spdx_tools.spdx.validation.license_expression_validator import validate_license_expression
from spdx_tools.spdx.validation.package_validator import validate_package
from spdx_tools.spdx.validation.snippet_validator import validate_snippet
from spdx_tools.spdx.validation.spdx_id_validators import validate_spdx_id
from spdx_tools.spdx.validation.validation_message import (
    SpdxElementType,
    ValidationContext,
    ValidationMessage,
)

_NOT_IN_22 = (RelationshipType.SPECIFICATION_FOR, RelationshipType.REQUIREMENT_DESCRIPTION_FOR)


@dataclass
class _Index:
    document: Document
    ids: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    valid_licences: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.files = {f.spdx_id for f in self.document.files}
        self.ids = {self.document.creation_info.spdx_id, *self.files,
                    *(p.spdx_id for p in self.document.packages),
                    *(s.spdx_id for s in self.document.snippets)}


def validate_spdx_document(document: Document) -> list[ValidationMessage]:
    """Every problem spdx-tools' validators find in ``document``, in document order."""
    version: str = document.creation_info.spdx_version
    index = _Index(document)
    messages = validate_creation_info(document.creation_info, version)
    messages += _unique_ids(document)
    messages += _packages(index, version)
    for file in document.files:
        messages += _own_id(file, SpdxElementType.FILE, document)
        messages += validate_file(file, version)
        messages += _licences(index, file.spdx_id, [file.license_concluded,
                                                    *file.license_info_in_file])
    for snippet in document.snippets:
        messages += _own_id(snippet, SpdxElementType.SNIPPET, document)
        messages += validate_snippet(snippet, version)
        context = ValidationContext(spdx_id=snippet.spdx_id, full_element=snippet)
        messages += _reference(index, snippet.file_spdx_id, context, files_only=True)
        messages += _licences(index, snippet.spdx_id, [snippet.license_concluded,
                                                       *snippet.license_info_in_snippet])
    for annotation in document.annotations:
        context = ValidationContext(element_type=SpdxElementType.ANNOTATION,
                                    full_element=annotation)
        messages += validate_actor(annotation.annotator, "annotation")
        messages += _reference(index, annotation.spdx_id, context)
    messages += _relationships(index, version)
    messages += validate_extracted_licensing_infos(document.extracted_licensing_info)
    messages += _describes(document)
    return messages


def _own_id(element: Any, kind: SpdxElementType, document: Document) -> list[ValidationMessage]:
    context = ValidationContext(spdx_id=element.spdx_id, element_type=kind, full_element=element)
    return [ValidationMessage(m, context) for m in validate_spdx_id(element.spdx_id, document)]


def _unique_ids(document: Document) -> list[ValidationMessage]:
    elements: list[Any] = [*document.packages, *document.files, *document.snippets]
    counts = Counter([document.creation_info.spdx_id, *(e.spdx_id for e in elements)])
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if not duplicates:
        return []
    return [ValidationMessage(
        f"every spdx_id must be unique within the document, but found the following "
        f"duplicates: {duplicates}",
        ValidationContext(spdx_id=duplicates[0], element_type=SpdxElementType.DOCUMENT))]


def _packages(index: _Index, version: str) -> list[ValidationMessage]:
    document = index.document
    with_files: set[Any] = {r.spdx_element_id for r in document.relationships
                  if r.relationship_type == RelationshipType.CONTAINS
                  and r.related_spdx_element_id in index.files}
    with_files |= {r.related_spdx_element_id for r in document.relationships
                   if r.relationship_type == RelationshipType.CONTAINED_BY
                   and r.spdx_element_id in index.files}
    messages: list[ValidationMessage] = []
    for package in document.packages:
        context = ValidationContext(spdx_id=package.spdx_id, element_type=SpdxElementType.PACKAGE,
                                    full_element=package)
        messages += _own_id(package, SpdxElementType.PACKAGE, document)
        if not package.files_analyzed and package.spdx_id in with_files:
            messages.append(ValidationMessage(
                "package must contain no elements if files_analyzed is False", context))
        messages += _licences(index, package.spdx_id, [package.license_concluded,
                                                       package.license_declared])
        if package.license_info_from_files and not package.files_analyzed:
            messages.append(ValidationMessage(
                "license_info_from_files must be None if files_analyzed is False, but is: "
                f"{package.license_info_from_files}", context))
        else:
            messages += _licences(index, package.spdx_id, package.license_info_from_files)
        messages += validate_package(package, version, context)
    return messages


def _licences(index: _Index, parent_id: str, expressions: list[Any]) -> list[ValidationMessage]:
    messages: list[ValidationMessage] = []
    for expression in expressions:
        if expression is None or isinstance(expression, SpdxNone | SpdxNoAssertion):
            continue
        # Most packages share a handful of licences: validate each distinct text once.
        key = str(expression)
        if key in index.valid_licences:
            continue
        found = validate_license_expression(expression, index.document, parent_id)
        if not found:
            index.valid_licences.add(key)
        messages += found
    return messages


def _reference(index: _Index, spdx_id: str, context: ValidationContext, *,
               files_only: bool = False) -> list[ValidationMessage]:
    found = validate_spdx_id(spdx_id, index.document)
    known = index.files if files_only else index.ids
    if ":" not in spdx_id and spdx_id not in known:
        where = "the SPDX document's files" if files_only else "the SPDX document"
        found.append(f'did not find the referenced spdx_id "{spdx_id}" in {where}')
    return [ValidationMessage(m, context) for m in found]


def _relationships(index: _Index, version: str) -> list[ValidationMessage]:
    messages: list[ValidationMessage] = []
    for relationship in index.document.relationships:
        context = ValidationContext(element_type=SpdxElementType.RELATIONSHIP,
                                    full_element=relationship)
        messages += _reference(index, relationship.spdx_element_id, context)
        related = relationship.related_spdx_element_id
        if not isinstance(related, SpdxNone | SpdxNoAssertion):
            messages += _reference(index, related, context)
        if version == "SPDX-2.2" and relationship.relationship_type in _NOT_IN_22:
            messages.append(ValidationMessage(
                f"{relationship.relationship_type} is not supported in SPDX-2.2", context))
    return messages


def _describes(document: Document) -> list[ValidationMessage]:
    document_id = document.creation_info.spdx_id
    describes = any(
        (r.relationship_type == RelationshipType.DESCRIBES and r.spdx_element_id == document_id)
        or (r.relationship_type == RelationshipType.DESCRIBED_BY
            and r.related_spdx_element_id == document_id)
        for r in document.relationships)
    single_package = len(document.packages) == 1 and not document.files and not document.snippets
    if describes or single_package:
        return []
    return [ValidationMessage(
        f'there must be at least one relationship "{document_id} DESCRIBES ..." or '
        f'"... DESCRIBED_BY {document_id}" when there is not only a single package present',
        ValidationContext(spdx_id=document_id, element_type=SpdxElementType.DOCUMENT))]
