"""What a quality check asks of a CycloneDX JSON document beyond the model
(``SbomDetail.QUALITY``), read from the already validated document.

The fields (CycloneDX 1.6 names; older versions have a subset): ``metadata.authors`` and
``metadata.manufacturer`` (the organisation that made the BOM), each component's
``manufacturer`` (or ``author`` before 1.6), its ``bsi:component:*`` properties,
licences with their ``acknowledgement`` (1.6), ``externalReferences`` of type
``distribution`` (with hashes), ``source-distribution`` and ``vcs``, ``swid``,
``dependencies`` and ``compositions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cpstrust.formats.sbomfields import add_unique, cyclonedx_hashes
from cpstrust.model.sbom import ComponentFacts, SbomFacts

JsonObject = dict[str, Any]

BSI_PROPERTY_PREFIX = "bsi:"
# Compositions whose aggregate says something about completeness.
_NOT_SAID = "not_specified"


def component_facts(item: JsonObject) -> ComponentFacts:
    """The facts of one component, from its JSON object."""
    manufacturer: JsonObject = item.get("manufacturer") or {}
    contacts = _entity_contacts(manufacturer)
    for author in item.get("authors") or ():  # 1.6: people who wrote the component
        add_unique(contacts, author.get("email"))
    concluded, declared = _licences_by_acknowledgement(item.get("licenses") or ())
    distribution, source = _references(item.get("externalReferences") or ())
    return ComponentFacts(
        creator=manufacturer.get("name") or item.get("author"),
        publisher=item.get("publisher"),
        creator_contacts=tuple(contacts),
        properties=tuple((p["name"], p.get("value") or "") for p in item.get("properties") or ()
                         if p.get("name", "").startswith(BSI_PROPERTY_PREFIX)),
        concluded_licences=concluded,
        declared_licences=declared,
        distribution_hashes=cyclonedx_hashes(distribution.get("hashes") or ()),
        distribution_url=distribution.get("url"),
        source_url=source.get("url"),
        swid=(item.get("swid") or {}).get("tagId"),
    )


def document_facts(document: JsonObject, components: dict[str, ComponentFacts]) -> SbomFacts:
    """The document's facts, with its components' (by ref)."""
    metadata: JsonObject = document.get("metadata") or {}
    authors: list[str] = []
    contacts: list[str] = []
    for author in metadata.get("authors") or ():
        add_unique(authors, author.get("name") or author.get("email"))
        add_unique(contacts, author.get("email"))
    manufacturer: JsonObject = metadata.get("manufacturer") or {}  # 1.6: made the BOM
    add_unique(authors, manufacturer.get("name"))
    contacts.extend(c for c in _entity_contacts(manufacturer) if c not in contacts)
    graph: set[str] = set()
    for entry in document.get("dependencies") or ():
        graph.add(entry["ref"])
        graph.update(entry.get("dependsOn") or ())
    stated: set[str] = set()
    for composition in document.get("compositions") or ():
        if composition.get("aggregate", _NOT_SAID) != _NOT_SAID:
            stated.update(_refs(composition.get("assemblies") or ()))
            stated.update(_refs(composition.get("dependencies") or ()))
    return SbomFacts(tuple(authors), tuple(contacts), components, frozenset(graph),
                     frozenset(stated))


def _entity_contacts(entity: JsonObject) -> list[str]:
    """E-mail addresses and URLs of an organizational entity."""
    contacts: list[str] = []
    for url in entity.get("url") or ():
        add_unique(contacts, url)
    for contact in entity.get("contact") or ():
        add_unique(contacts, contact.get("email"))
    return contacts


def _licences_by_acknowledgement(entries: Iterable[JsonObject],
                                 ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    concluded: list[str] = []
    declared: list[str] = []
    for entry in entries:
        licence: JsonObject | None = entry.get("license")
        value = (licence.get("id") or licence.get("name")) if licence is not None \
            else entry.get("expression")
        acknowledgement = (licence or entry).get("acknowledgement")
        if acknowledgement == "concluded":
            add_unique(concluded, value)
        elif acknowledgement == "declared":
            add_unique(declared, value)
    return tuple(concluded), tuple(declared)


def _references(entries: Iterable[JsonObject]) -> tuple[JsonObject, JsonObject]:
    """The first reference to the deployable form, and the first to the source."""
    distribution: JsonObject = {}
    source: JsonObject = {}
    for entry in entries:
        kind = entry.get("type")
        if kind == "distribution" and not distribution:
            distribution = entry
        elif kind in ("source-distribution", "vcs") and not source:
            source = entry
    return distribution, source


def _refs(entries: Iterable[Any]) -> Iterable[str]:
    # 1.5+: a composition lists refs as strings; 1.4 also allowed {"ref": ...} objects.
    return (e if isinstance(e, str) else e.get("ref", "") for e in entries)
