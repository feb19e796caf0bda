"""``Sbom`` to CycloneDX 1.6 JSON, written by cyclonedx-python-lib."""

from __future__ import annotations

import logging
import uuid
import warnings
from collections import defaultdict
from datetime import datetime

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import HashAlgorithm, HashType
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.model.sbom import Sbom, SbomComponent

logger = logging.getLogger(__name__)

_HASHES = {a.value: a for a in HashAlgorithm}
_TYPES = {t.value: t for t in ComponentType}


def write_cyclonedx_json(sbom: Sbom) -> bytes:
    """Serialise ``sbom`` as CycloneDX 1.6 JSON (UTF-8).

    Nesting is rebuilt from ``parent_ref`` and ``locations`` become evidence occurrences;
    the described product keeps its ref, and with it its edges. Hashes whose algorithm
    CycloneDX does not know (e.g. SPDX's MD2) and edges naming a ref that is neither a
    component nor the described product are left out, with a debug log line, because
    the schema or cyclonedx-python-lib would refuse them.
    """
    components = {c.ref: _component(c) for c in sbom.components}
    metadata = _metadata(sbom)
    bom = Bom(serial_number=_serial(sbom.serial), metadata=metadata)
    for c in sbom.components:
        parent = components.get(c.parent_ref) if c.parent_ref else None
        (parent.components if parent is not None else bom.components).add(components[c.ref])
    refs = {ref: c.bom_ref for ref, c in components.items()}
    if metadata.component is not None and sbom.subject_ref and sbom.subject_ref not in refs:
        refs[sbom.subject_ref] = metadata.component.bom_ref
    for ref, targets in _edges(sbom, set(refs)).items():
        bom.dependencies.add(Dependency(
            ref=refs[ref], dependencies=[Dependency(ref=refs[t]) for t in targets]))
    with warnings.catch_warnings():
        # The library warns about BOM shapes the schema allows (e.g. no root dependencies).
        warnings.simplefilter("ignore")
        return JsonV1Dot6(bom).output_as_string(indent=None).encode()


def _serial(serial: str | None) -> uuid.UUID | None:
    if serial and serial.startswith("urn:uuid:"):
        try:
            return uuid.UUID(serial.removeprefix("urn:uuid:"))
        except ValueError:
            return None
    return None


def _metadata(sbom: Sbom) -> BomMetaData:
    metadata = BomMetaData(tools=ToolRepository(components=[
        Component(name=name, type=ComponentType.APPLICATION) for name in sbom.tools]))
    if sbom.subject_name:
        metadata.component = Component(name=sbom.subject_name, version=sbom.subject_version,
                                       type=ComponentType.APPLICATION,
                                       bom_ref=sbom.subject_ref)
    if sbom.created:
        try:
            metadata.timestamp = datetime.fromisoformat(sbom.created)
        except ValueError:
            logger.debug("creation time %r is not ISO 8601; writing the current time",
                         sbom.created)
    return metadata


def _component(c: SbomComponent) -> Component:
    try:
        purl = PackageURL.from_string(c.purl) if c.purl else None
    except ValueError as exc:
        raise InputError("sbom_invalid_purl", component=c.name, purl=c.purl, problem=str(exc),
                         location=c.ref) from None
    factory = LicenseFactory()
    return Component(
        bom_ref=c.ref, name=c.name, version=c.version, purl=purl, group=c.group, cpe=c.cpe,
        type=_TYPES.get(c.type, ComponentType.LIBRARY),
        hashes=[HashType(alg=_HASHES[h.algorithm], content=h.value)
                for h in c.hashes if _known_hash(h.algorithm, c.ref)],
        licenses=[factory.make_from_string(text) for text in c.licenses],
        supplier=OrganizationalEntity(name=c.supplier) if c.supplier else None,
        evidence=ComponentEvidence(occurrences=[Occurrence(location=path)
                                                for path in c.locations])
        if c.locations else None,
    )


def _known_hash(algorithm: str, ref: str) -> bool:
    if algorithm in _HASHES:
        return True
    logger.debug("%s: hash algorithm %s has no CycloneDX name; left out", ref, algorithm)
    return False


def _edges(sbom: Sbom, known: set[str]) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = defaultdict(list)
    for ref, target in sbom.dependencies:
        if ref in known and target in known:
            edges[ref].append(target)
        else:
            logger.debug("edge %s -> %s names a ref that is not a component; left out",
                         ref, target)
    return edges
