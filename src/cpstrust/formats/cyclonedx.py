"""CycloneDX JSON (1.2–1.7) to ``Sbom``, validated against the official schema; and back.

Reading is the hot path: orjson, then jsonschema-rs against the official schema with our
string limit added to every string it types, then a direct walk into the model, which
bounds the nesting of components (the only nesting it follows).
cyclonedx-python-lib's ``Bom.from_json`` gives the same answer but costs ~100× more; it
serves as the reference in the tests and as the writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.cyclonedx_schema import JSON_VERSIONS, limited_json_validator
from cpstrust.formats.jsonread import check_tree, pointer
from cpstrust.formats.sbomfields import (
    add_unique,
    check_purl,
    cyclonedx_hashes,
    is_plain_purl,
    synthetic_ref,
)
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import (
    ComponentFacts,
    Sbom,
    SbomComponent,
    SbomDetail,
    SbomFormat,
    new_component,
    product_path,
)

JsonObject = dict[str, Any]


def read_cyclonedx_json(document: JsonObject, limits: ReadLimits,
                        detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    """Validate a parsed CycloneDX JSON document (its size already checked) and map it,
    to the ``detail`` asked for.

    Raises ``LimitExceededError`` for nesting or a string past ``limits``, and
    ``InputError`` for an unsupported spec version, a schema violation (located by the
    JSON pointer of the offending value) or an unparseable package URL.
    """
    version = document.get("specVersion")
    if version not in JSON_VERSIONS:
        check_tree(document, limits)  # before the value goes into a message
        raise InputError("cyclonedx_json_unsupported_version", version=version,
                         supported=", ".join(JSON_VERSIONS), location="/specVersion")
    _validate(document, version, limits)
    full = detail is not SbomDetail.IDENTITY
    facts: dict[str, ComponentFacts] | None = None
    facts_of = None
    if detail is SbomDetail.QUALITY:  # what `sbom check` scores: ~3 ms of imports a scan skips
        from cpstrust.formats.cyclonedx_facts import component_facts, document_facts

        facts, facts_of = {}, component_facts
    components: list[SbomComponent] = []
    _components(document.get("components", ()), _Walk(full, limits, facts, facts_of), None, (),
                "/components", components)
    metadata: JsonObject = document.get("metadata", {})
    subject: JsonObject = metadata.get("component", {})
    return Sbom(
        format=SbomFormat.CYCLONEDX_JSON,
        spec_version=version,
        serial=document.get("serialNumber"),
        subject_name=subject.get("name"),
        subject_version=subject.get("version"),
        components=tuple(components),
        dependencies=_dependencies(document.get("dependencies", ())) if full else (),
        created=metadata.get("timestamp"),
        tools=_tools(metadata.get("tools")) if full else (),
        detail=detail,
        subject_ref=subject.get("bom-ref"),
        subject_purl=subject.get("purl"),
        facts=None if facts is None else document_facts(document, facts),
    )


class _Walk(NamedTuple):
    full: bool  # SbomDetail.FULL or QUALITY
    limits: ReadLimits
    facts: dict[str, ComponentFacts] | None  # QUALITY: each component's, by ref
    facts_of: Callable[[JsonObject], ComponentFacts] | None  # QUALITY: how to read them


def _validate(document: JsonObject, version: str, limits: ReadLimits) -> None:
    validator = limited_json_validator(version, limits.max_string)
    if validator.is_valid(document):
        return
    check_tree(document, limits)  # a limit's own message and place, when one was passed
    error = next(iter(validator.iter_errors(document)))
    raise InputError("cyclonedx_json_schema_mismatch", version=version, detail=error.message,
                     location=pointer(error.instance_path))


def _components(items: list[JsonObject], walk: _Walk, parent_ref: str | None,
                index_path: tuple[int, ...], where: str, out: list[SbomComponent]) -> None:
    # Places are spelled out only when needed: one f-string per component costs ~5% of a
    # read. A component nested n levels down lies 2n + 1 levels deep in the JSON.
    limits = walk.limits
    if items and 2 * len(index_path) + 3 > limits.max_depth:
        raise LimitExceededError("input_nesting_too_deep", limit=limits.max_depth,
                                 location=f"{where}/0")
    for index, item in enumerate(items):
        if len(out) >= limits.max_components:
            raise LimitExceededError("sbom_too_many_components", limit=limits.max_components,
                                     location=f"{where}/{index}")
        component = _component(item, walk.full, parent_ref, index_path, index, where)
        out.append(component)
        if walk.facts is not None and walk.facts_of is not None:
            walk.facts[component.ref] = walk.facts_of(item)
        children = item.get("components")
        if children:
            _components(children, walk, component.ref, (*index_path, index),
                        f"{where}/{index}/components", out)


def _component(item: JsonObject, full: bool, parent_ref: str | None,
               index_path: tuple[int, ...], index: int, where: str) -> SbomComponent:
    get = item.get
    name: str = item["name"]
    purl: str | None = get("purl")
    if purl and not is_plain_purl(purl):
        check_purl(purl, component=name, location=lambda: f"{where}/{index}/purl")
    identity = (
        get("bom-ref") or synthetic_ref((*index_path, index)),  # ref
        name,
        get("version"),
        purl,
        get("type", "library"),
        get("group"),
    )
    if not full:
        return new_component((*identity, (), (), None, get("cpe"), parent_ref, ()))
    supplier: JsonObject | None = get("supplier")
    hashes: list[JsonObject] | None = get("hashes")
    licenses: list[JsonObject] | None = get("licenses")
    evidence: JsonObject | None = get("evidence")
    return new_component((  # every field, in order
        *identity,
        cyclonedx_hashes(hashes) if hashes else (),
        _licenses(licenses) if licenses else (),
        supplier.get("name") if supplier else None,  # supplier
        get("cpe"),
        parent_ref,
        _locations(evidence) if evidence else (),  # locations
    ))


def _licenses(entries: list[JsonObject]) -> tuple[str, ...]:
    if len(entries) == 1:  # the usual case, without the list and the search
        licence: JsonObject | None = entries[0].get("license")
        value = (licence.get("id") or licence.get("name")) if licence is not None \
            else entries[0].get("expression")
        return (value,) if value else ()
    found: list[str] = []
    for entry in entries:
        licence = entry.get("license")
        if licence is not None:
            add_unique(found, licence.get("id") or licence.get("name"))
        else:
            add_unique(found, entry.get("expression"))
    return tuple(found)


def _locations(evidence: JsonObject) -> tuple[str, ...]:
    # CycloneDX 1.5+: evidence.occurrences[].location is where the component's file lies.
    paths = (product_path(o["location"]) for o in evidence.get("occurrences", ()))
    return tuple(dict.fromkeys(p for p in paths if p))


def _dependencies(entries: list[JsonObject]) -> tuple[tuple[str, str], ...]:
    return tuple([(entry["ref"], target)
                  for entry in entries for target in entry.get("dependsOn", ())])


def _tools(tools: list[JsonObject] | JsonObject | None) -> tuple[str, ...]:
    # Up to 1.4 tools is a list; from 1.5 it may be {"components": [...], "services": [...]}.
    if not tools:
        return ()
    if isinstance(tools, dict):
        entries = [*tools.get("components", ()), *tools.get("services", ())]
    else:
        entries = tools
    names: list[str] = []
    for entry in entries:
        add_unique(names, entry.get("name"))
    return tuple(names)
