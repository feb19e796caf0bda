"""What a quality check asks of an SPDX 3 document beyond the model
(``SbomDetail.QUALITY``), read from its validated graph.

SPDX 3 names people, organisations and software agents as Agent elements: the document's
creators are its creationInfo's ``createdBy`` (its tools are ``createdUsing``), a
package's maker its ``originatedBy``; an agent's e-mail address is an
externalIdentifier of type email. SPDX 3 writes no NOASSERTION strings but names the
NoAssertionElement and NoAssertionLicense individuals instead (converted documents still
write downloadLocation "NOASSERTION"): either is kept apart from a value left out.
Dependency completeness is a relationship's ``completeness`` (complete, incomplete,
noAssertion), which the relationship states of its ``from`` element.
"""

from __future__ import annotations

from cpstrust.formats.sbomfields import add_unique, hash_algorithm
from cpstrust.formats.spdx3_graph import (
    AGENT_TYPES,
    LICENCE_RELATIONSHIPS,
    NO_ASSERTION,
    PACKAGE_TYPES,
    Graph,
    JsonObject,
    Licences,
    Relationship,
    identifier,
)
from cpstrust.model.sbom import ComponentFacts, Hash, SbomFacts

_GRAPH = frozenset({"dependsOn", "contains"})
_NOT_A_LOCATION = frozenset({"NOASSERTION", "NONE"})


def document_facts(graph: Graph, info: JsonObject | None,
                   relationships: list[Relationship], licences: Licences) -> SbomFacts:
    authors: list[str] = []
    contacts: list[str] = []
    for agent in _agents(graph, info, "createdBy") if info else ():
        if agent["type"] != "SoftwareAgent":  # a tool, as SPDX 2's "Tool:" creators
            add_unique(authors, agent.get("name"))
            for email in _emails(agent):
                add_unique(contacts, email)
    in_graph: set[str] = set()
    stated: set[str] = set()
    unasserted: dict[str, set[str]] = {}
    for kind, source, targets, element in relationships:
        if kind in _GRAPH:
            in_graph.add(source)
            in_graph.update(targets)
            if "completeness" in element:
                stated.add(source)
        elif kind in LICENCE_RELATIONSHIPS and any(
                _no_assertion(graph.resolve(t, graph.where(element))) for t in targets):
            name = "license_concluded" if kind == LICENCE_RELATIONSHIPS[0] else "license_declared"
            unasserted.setdefault(source, set()).add(name)
    components = {e["spdxId"]: _package_facts(graph, e, licences, unasserted)
                  for e in graph.elements if e["type"] in PACKAGE_TYPES}
    return SbomFacts(tuple(authors), tuple(contacts), components, frozenset(in_graph),
                     frozenset(stated))


def _package_facts(graph: Graph, package: JsonObject, licences: Licences,
                   unasserted: dict[str, set[str]]) -> ComponentFacts:
    makers = _agents(graph, package, "originatedBy")
    contacts: list[str] = []
    for email in _emails(makers[0]) if makers else ():
        add_unique(contacts, email)
    concluded, declared = licences.get(package["spdxId"], ([], []))
    download = package.get("software_downloadLocation")
    noassertion: list[str] = []
    if str(package.get("suppliedBy")) in NO_ASSERTION:
        noassertion.append("supplier")
    if NO_ASSERTION.intersection(map(str, package.get("originatedBy", ()))):
        noassertion.append("originator")
    if download == "NOASSERTION":
        noassertion.append("download_location")
    noassertion += sorted(unasserted.get(package["spdxId"], ()))
    return ComponentFacts(
        creator=makers[0].get("name") if makers else None,
        creator_contacts=tuple(contacts),
        concluded_licences=tuple(concluded),
        declared_licences=tuple(declared),
        distribution_hashes=tuple(
            Hash("SHA-512", m["hashValue"].lower()) for m in package.get("verifiedUsing", ())
            if isinstance(m, dict) and m.get("type") == "Hash"
            and hash_algorithm(m["algorithm"]) == "SHA-512"),
        distribution_url=download if download and download not in _NOT_A_LOCATION else None,
        source_url=None,  # software_sourceInfo is prose, as in SPDX 2
        swid=identifier(package, "swid"),
        noassertion=tuple(noassertion),
    )


def _no_assertion(licence: JsonObject | str) -> bool:
    if isinstance(licence, str):
        return licence in NO_ASSERTION
    return licence.get("simplelicensing_licenseExpression") == "NOASSERTION"


def _agents(graph: Graph, element: JsonObject, key: str) -> list[JsonObject]:
    """The agents ``element[key]`` names that the document holds (one ref or a list)."""
    refs = element.get(key)
    if refs is None:
        return []
    where = (*graph.where(element), key)
    found = [graph.resolve_typed(ref, where, AGENT_TYPES)
             for ref in (refs if isinstance(refs, list) else [refs])]
    return [agent for agent in found if isinstance(agent, dict)]


def _emails(agent: JsonObject) -> list[str]:
    return [entry["identifier"] for entry in agent.get("externalIdentifier", ())
            if isinstance(entry, dict) and entry.get("externalIdentifierType") == "email"]
