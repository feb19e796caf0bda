"""SPDX 3.0.1 JSON-LD to ``Sbom``: a small reader over our JSON reader and the official
JSON schema.

Packages (software_Package and its AI and dataset kinds) become components, with their
spdxId as ref; files become components of type "file" located at their name. Purl,
version, CPE, hashes (verifiedUsing), supplier (suppliedBy) and licences
(hasConcludedLicense, hasDeclaredLicense) are mapped; dependsOn and contains between
components become (dependent, dependency) edges; the subject is the first package the
SpdxDocument's rootElement names, directly or through an Sbom's rootElement or a
describes relationship.

Why not a library: spdx-python-model 0.0.6, the SPDX project's generated bindings, took
0.08 s to import (rdflib) and 5.3 s to read a document of 10,000 packages and 20,000
files with a relationship each (60,000 elements; this reader: ~0.5 s), and reports bad
input as Python TypeErrors without a place in the document; spdx-tools 0.8.5 writes a
pre-release SPDX 3 model and reads none. Here the document is checked element by
element against the official schema (formats/spdx3_schema.py), then what the schema
cannot say is refused with the JSON pointer of the element: two elements with one id,
two SpdxDocuments, a reference to an element that is neither in the document nor
imported nor defined by SPDX, and a reference to an element of the wrong kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import kind_of, pointer
from cpstrust.formats.sbomfields import add_unique, check_purl, hash_algorithm, summarise
from cpstrust.formats.spdx3_facts import document_facts
from cpstrust.formats.spdx3_graph import (
    AGENT_TYPES,
    CONTEXT,
    FILE_TYPE,
    LICENCE_RELATIONSHIPS,
    LISTED_LICENCE,
    PACKAGE_TYPES,
    RELATIONSHIP_TYPES,
    Graph,
    JsonObject,
    Licences,
    Relationship,
    Target,
    identifier,
    name_of,
)
from cpstrust.formats.spdx3_schema import classes, element_validator
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import (
    Hash,
    Sbom,
    SbomComponent,
    SbomDetail,
    SbomFormat,
    product_path,
)

_COLLECTION_TYPES = frozenset({"SpdxDocument", "software_Sbom", "Bom", "Bundle"})
_EDGES = frozenset({"dependsOn", "contains"})
_READ_LICENCES = frozenset({"simplelicensing_LicenseExpression",
                            "expandedlicensing_ListedLicense", "expandedlicensing_CustomLicense"})
_UNREAD_LICENCES = frozenset({
    "expandedlicensing_ConjunctiveLicenseSet", "expandedlicensing_DisjunctiveLicenseSet",
    "expandedlicensing_OrLaterOperator", "expandedlicensing_WithAdditionOperator",
    "expandedlicensing_CustomLicenseAddition", "expandedlicensing_ListedLicenseException",
    "expandedlicensing_IndividualLicensingInfo"})

def read_spdx3_json(document: JsonObject, limits: ReadLimits,
                    detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Map a parsed SPDX 3.0.1 JSON-LD document (size, depth and strings already
    checked) to an Sbom (IDENTITY maps as FULL; QUALITY adds ``Sbom.facts``).

    Raises ``InputError`` (``LimitExceededError`` past ``limits``) naming the JSON
    pointer of the offending value.
    """
    graph = Graph(_elements(document, limits))
    _validate(graph.elements)
    _index(graph)
    _check_creation_info(graph)
    spdx_document = _spdx_document(graph)
    relationships = list(_relationships(graph))
    licences = _licences(graph, relationships)
    components = [_component(graph, e, licences) for e in graph.elements
                  if e["type"] in PACKAGE_TYPES or e["type"] == FILE_TYPE]
    refs = {c.ref for c in components}
    info = _creation_info(graph, spdx_document)
    subject = _subject(graph, spdx_document, relationships)
    quality = detail is SbomDetail.QUALITY
    return Sbom(
        format=SbomFormat.SPDX3_JSON,
        spec_version=info.get("specVersion", "3.0.1") if info else "3.0.1",
        serial=spdx_document["spdxId"] if spdx_document else None,
        subject_name=subject.get("name") if subject else None,
        subject_version=subject.get("software_packageVersion") if subject else None,
        subject_purl=_purl(subject, graph.where(subject)) if subject else None,
        components=tuple(components),
        dependencies=tuple((source, target) for kind, source, targets, _ in relationships
                           if kind in _EDGES and source in refs
                           for target in targets if target in refs),
        created=info.get("created") if info else None,
        tools=_tool_names(graph, info) if info else (),
        detail=SbomDetail.QUALITY if quality else SbomDetail.FULL,
        facts=document_facts(graph, info, relationships, licences) if quality else None,
    )


def _elements(document: JsonObject, limits: ReadLimits) -> list[JsonObject]:
    context = document.get("@context")
    if context != CONTEXT:
        raise InputError("spdx3_unsupported_context",
                         context=context if isinstance(context, str) else kind_of(context),
                         supported=CONTEXT, location="/@context")
    if "@graph" not in document:
        raise InputError("spdx3_no_graph", location="/")
    elements = document["@graph"]
    if not isinstance(elements, list):
        raise InputError("json_expected_array", found=kind_of(elements), location="/@graph")
    if len(elements) > limits.max_components:
        raise LimitExceededError("spdx3_too_many_elements", limit=limits.max_components,
                                 location=f"/@graph/{limits.max_components}")
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            raise InputError("json_expected_object", found=kind_of(element),
                             location=f"/@graph/{index}")
    return elements


def _validate(elements: list[JsonObject]) -> None:
    known = classes()
    for index, element in enumerate(elements):
        kind = element.get("type")
        if isinstance(kind, str) and kind not in known and ":" not in kind:
            raise InputError("spdx3_unknown_type", type=kind,
                             location=f"/@graph/{index}/type")
        validator = element_validator(kind)
        if not validator.is_valid(element):
            # The deepest error says what is wrong; the ones above it (unevaluated
            # properties, a failed allOf) only follow from it.
            errors = sorted(validator.iter_errors(element), key=lambda e: -len(e.instance_path))
            raise InputError("spdx3_schema_mismatch", detail=summarise([e.message for e in errors]),
                             location=pointer(("@graph", index, *errors[0].instance_path)))


def _index(graph: Graph) -> None:
    for index, element in enumerate(graph.elements):
        ref = element.get("spdxId") or element.get("@id")
        if not isinstance(ref, str):
            continue
        first = graph.at.setdefault(ref, index)
        if first != index:
            raise InputError("spdx3_duplicate_id", id=ref, first=f"/@graph/{first}",
                             location=f"/@graph/{index}")


def _check_creation_info(graph: Graph) -> None:
    """Each element's creationInfo names a CreationInfo (most name one blank node: each
    name is looked up once)."""
    checked: set[str] = set()
    expected = frozenset({"CreationInfo"})
    for index, element in enumerate(graph.elements):
        ref = element.get("creationInfo")
        if ref is not None and not (isinstance(ref, str) and ref in checked):
            graph.resolve_typed(ref, ("@graph", index, "creationInfo"), expected)
            if isinstance(ref, str):
                checked.add(ref)


def _spdx_document(graph: Graph) -> JsonObject | None:
    """The one SpdxDocument (a serialization holds at most one), whose imports are the
    elements the document may name without holding them."""
    found = [(i, e) for i, e in enumerate(graph.elements) if e["type"] == "SpdxDocument"]
    if len(found) > 1:
        raise InputError("spdx3_two_documents", first=f"/@graph/{found[0][0]}",
                         location=f"/@graph/{found[1][0]}")
    if not found:
        return None
    document = found[0][1]
    graph.imported = frozenset(entry["externalSpdxId"] for entry in document.get("import", ())
                               if isinstance(entry, dict))
    return document


def _relationships(graph: Graph) -> Iterator[Relationship]:
    for index, element in enumerate(graph.elements):
        if element["type"] not in RELATIONSHIP_TYPES:
            continue
        source = graph.resolve(element["from"], ("@graph", index, "from"))
        targets = [graph.resolve(ref, ("@graph", index, "to", n))
                   for n, ref in enumerate(element["to"])]
        yield (element["relationshipType"], name_of(source),
               tuple(name_of(t) for t in targets), element)


def _licences(graph: Graph, relationships: list[Relationship]) -> Licences:
    found: Licences = {}
    for kind, source, _, element in relationships:
        if kind not in LICENCE_RELATIONSHIPS:
            continue
        where = graph.where(element)
        texts = found.setdefault(source, ([], []))[LICENCE_RELATIONSHIPS.index(kind)]
        for n, ref in enumerate(element["to"]):
            target = graph.resolve_typed(ref, (*where, "to", n),
                                         _READ_LICENCES | _UNREAD_LICENCES)
            add_unique(texts, _licence_text(target, (*where, "to", n)))
    return found


def _licence_text(target: Target, where: tuple[str | int, ...]) -> str | None:
    """An SPDX expression, a listed licence's id or a custom licence's name; None for
    NOASSERTION, NONE and licences defined in another document."""
    if isinstance(target, str):
        return target.removeprefix(LISTED_LICENCE) if target.startswith(LISTED_LICENCE) \
            else None
    kind = target["type"]
    if kind == "simplelicensing_LicenseExpression":
        expression: str = target["simplelicensing_licenseExpression"]
        # Converted SPDX 2 documents write NOASSERTION and NONE as expressions.
        return None if expression in ("NOASSERTION", "NONE") else expression
    if kind == "expandedlicensing_ListedLicense":
        return str(target["spdxId"]).removeprefix(LISTED_LICENCE)
    if kind == "expandedlicensing_CustomLicense":
        return str(target.get("name") or target["spdxId"])
    raise InputError("spdx3_licence_not_read", type=kind, location=pointer(where))


def _component(graph: Graph, element: JsonObject, licences: Licences) -> SbomComponent:
    where = graph.where(element)
    name = element.get("name")
    if not name:
        raise InputError("spdx3_element_without_name", type=element["type"],
                         location=pointer(where))
    concluded, declared = licences.get(element["spdxId"], ((), ()))
    texts: list[str] = []
    for text in (*concluded, *declared):
        add_unique(texts, text)
    hashes = tuple(_hashes(graph, element, where))
    if element["type"] == FILE_TYPE:
        location = product_path(name)
        return SbomComponent(ref=element["spdxId"], name=name, version=None, purl=None,
                             type="file", hashes=hashes, licenses=tuple(texts),
                             locations=(location,) if location else ())
    return SbomComponent(
        ref=element["spdxId"], name=name, version=element.get("software_packageVersion"),
        purl=_purl(element, where), type=_purpose(element), hashes=hashes,
        licenses=tuple(texts), supplier=_supplier(graph, element, where),
        cpe=identifier(element, "cpe23") or identifier(element, "cpe22"),
    )


def _purl(element: JsonObject, where: tuple[str | int, ...]) -> str | None:
    """software_packageUrl, or a packageUrl identifier: when both are written (or
    identifiers of several), they must be one purl."""
    purls: list[str] = []
    add_unique(purls, element.get("software_packageUrl"))
    for entry in element.get("externalIdentifier", ()):
        if isinstance(entry, dict) and entry.get("externalIdentifierType") == "packageUrl":
            add_unique(purls, entry["identifier"])
    if len(purls) > 1:
        raise InputError("spdx3_purls_disagree", first=purls[0], second=purls[1],
                         location=pointer(where))
    if not purls:
        return None
    check_purl(purls[0], component=element.get("name", ""), location=lambda: pointer(where))
    return purls[0]


def _purpose(element: JsonObject) -> str:
    # SPDX 3 writes "operatingSystem" where SPDX 2 wrote OPERATING_SYSTEM: both become
    # "operating-system".
    purpose = element.get("software_primaryPurpose")
    return re.sub(r"(?<!^)(?=[A-Z])", "-", purpose).lower() if purpose else "library"


def _hashes(graph: Graph, element: JsonObject,
            where: tuple[str | int, ...]) -> Iterator[Hash]:
    for n, ref in enumerate(element.get("verifiedUsing", ())):
        method = graph.resolve(ref, (*where, "verifiedUsing", n))
        if isinstance(method, dict) and method.get("type") == "Hash":
            yield Hash(hash_algorithm(method["algorithm"]), method["hashValue"].lower())


def _supplier(graph: Graph, element: JsonObject, where: tuple[str | int, ...]) -> str | None:
    ref = element.get("suppliedBy")
    if ref is None:
        return None
    agent = graph.resolve_typed(ref, (*where, "suppliedBy"), AGENT_TYPES)
    return agent.get("name") if isinstance(agent, dict) else None


def _creation_info(graph: Graph, spdx_document: JsonObject | None) -> JsonObject | None:
    """The document's creationInfo; without an SpdxDocument, the first Sbom's."""
    holder = spdx_document or next(
        (e for e in graph.elements if e["type"] == "software_Sbom"), None)
    if holder is None:
        return None
    info = graph.resolve_typed(holder["creationInfo"], (*graph.where(holder), "creationInfo"),
                               frozenset({"CreationInfo"}))
    return info if isinstance(info, dict) else None


def _tool_names(graph: Graph, info: JsonObject) -> tuple[str, ...]:
    names: list[str] = []
    for ref in info.get("createdUsing", ()):
        tool = graph.resolve_typed(ref, graph.where(info), frozenset({"Tool"}))
        add_unique(names, tool.get("name") if isinstance(tool, dict) else None)
    return tuple(names)


def _subject(graph: Graph, spdx_document: JsonObject | None,
             relationships: list[Relationship]) -> JsonObject | None:
    """The first package named as a root: by the SpdxDocument, or by the Sboms (when
    there is no SpdxDocument), or by the collections these name in turn."""
    described: dict[str, list[str]] = {}
    for kind, source, targets, _ in relationships:
        if kind == "describes":
            described.setdefault(source, []).extend(targets)
    pending: list[Target] = [spdx_document] if spdx_document else [
        e for e in graph.elements if e["type"] == "software_Sbom"]
    seen: set[str] = set()
    while pending:
        element = pending.pop(0)
        if not isinstance(element, dict) or name_of(element) in seen:
            continue
        seen.add(name_of(element))
        if element["type"] in PACKAGE_TYPES:
            return element
        if element["type"] in _COLLECTION_TYPES:
            where = graph.where(element)
            pending += [graph.resolve(ref, (*where, "rootElement", n))
                        for n, ref in enumerate(element.get("rootElement", ()))]
            pending += [graph.resolve(ref, where)
                        for ref in described.get(name_of(element), ())]
    return None
