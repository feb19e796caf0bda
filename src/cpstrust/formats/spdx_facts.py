"""What a quality check asks of an SPDX 2.2/2.3 document beyond the model
(``SbomDetail.QUALITY``), read from spdx-tools' parsed and validated ``Document``.

SPDX 2 writes people and organisations as ``Person: name (email)`` and
``Organization: name (email)``: the creators of the document (``creationInfo.creators``)
and each package's ``originator`` (who made it) and ``supplier``. ``NOASSERTION`` is kept
apart from a value left out, since a supplier that asserts nothing is what the METI
guide asks to avoid. Dependency completeness is what SPDX can say of it: a relationship
to ``NONE`` (no more) or ``NOASSERTION`` (unknown).
"""

from __future__ import annotations

from spdx_tools.spdx.model.actor import Actor, ActorType
from spdx_tools.spdx.model.checksum import ChecksumAlgorithm
from spdx_tools.spdx.model.document import Document
from spdx_tools.spdx.model.package import ExternalPackageRefCategory, Package
from spdx_tools.spdx.model.relationship import RelationshipType
from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
from spdx_tools.spdx.model.spdx_none import SpdxNone

from cpstrust.formats.sbomfields import add_unique, hash_algorithm
from cpstrust.model.sbom import ComponentFacts, Hash, SbomFacts

_GRAPH = frozenset({RelationshipType.DEPENDS_ON, RelationshipType.DEPENDENCY_OF,
                    RelationshipType.CONTAINS, RelationshipType.CONTAINED_BY})


def document_facts(document: Document) -> SbomFacts:
    authors: list[str] = []
    contacts: list[str] = []
    for creator in document.creation_info.creators:
        if creator.actor_type != ActorType.TOOL:
            add_unique(authors, creator.name)
            add_unique(contacts, creator.email)
    graph: set[str] = set()
    stated: set[str] = set()
    for r in document.relationships:
        if r.relationship_type not in _GRAPH:
            continue
        graph.add(r.spdx_element_id)
        if isinstance(r.related_spdx_element_id, str):
            graph.add(r.related_spdx_element_id)
        else:  # NONE or NOASSERTION: the element's dependencies are said complete or not
            stated.add(r.spdx_element_id)
    components = {p.spdx_id: _package_facts(p) for p in document.packages}
    return SbomFacts(tuple(authors), tuple(contacts), components, frozenset(graph),
                     frozenset(stated))


def _package_facts(package: Package) -> ComponentFacts:
    maker = package.originator if isinstance(package.originator, Actor) else None
    contacts: list[str] = []
    add_unique(contacts, maker.email if maker else None)
    noassertion = tuple(name for name, value in (
        ("supplier", package.supplier), ("originator", package.originator),
        ("download_location", package.download_location),
        ("license_concluded", package.license_concluded),
        ("license_declared", package.license_declared)) if isinstance(value, SpdxNoAssertion))
    download = package.download_location
    swid = next((r.locator for r in package.external_references
                 if r.category == ExternalPackageRefCategory.SECURITY
                 and r.reference_type == "swid"), None)
    return ComponentFacts(
        creator=maker.name if maker else None,
        creator_contacts=tuple(contacts),
        concluded_licences=_expression(package.license_concluded),
        declared_licences=_expression(package.license_declared),
        # SPDX 2 has one checksum list, of the package as distributed.
        distribution_hashes=tuple(Hash(hash_algorithm(c.algorithm.name), c.value.lower())
                                  for c in package.checksums
                                  if c.algorithm == ChecksumAlgorithm.SHA512),
        distribution_url=download if isinstance(download, str) else None,
        source_url=None,  # SPDX 2 has no field for it (sourceInfo is prose)
        swid=swid,
        noassertion=noassertion,
    )


def _expression(value: object) -> tuple[str, ...]:
    if value is None or isinstance(value, SpdxNone | SpdxNoAssertion):
        return ()
    return (str(value),)
