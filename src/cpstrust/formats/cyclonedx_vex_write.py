"""``VexDocument`` to CycloneDX 1.6 VEX JSON, written by cyclonedx-python-lib.

Each statement is a vulnerability with its analysis. A component of a stored SBOM is
named by a BOM-Link to that SBOM (``urn:cdx:<serial>/1#<ref>``: cpstrust does not keep a
BOM's version, and 1 is BOM-Link's default); one of an SBOM without a serial is listed
in this document with its purl. The described product is the document's subject.
OpenVEX justifications are mapped to CycloneDX's (``CYCLONEDX_FROM_OPENVEX``), the
original word kept in the analysis detail.
"""

from __future__ import annotations

import uuid
import warnings
from urllib.parse import quote

from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.impact_analysis import ImpactAnalysisJustification, ImpactAnalysisState
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityAnalysis,
    VulnerabilityReference,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from cpstrust.model.vex import (
    CYCLONEDX_FROM_OPENVEX,
    ProductId,
    VexDocument,
    VexStatement,
    VexStatus,
)

_STATE = {
    VexStatus.NOT_AFFECTED: ImpactAnalysisState.NOT_AFFECTED,
    VexStatus.FIXED: ImpactAnalysisState.RESOLVED,
    VexStatus.AFFECTED: ImpactAnalysisState.EXPLOITABLE,
    VexStatus.UNDER_INVESTIGATION: ImpactAnalysisState.IN_TRIAGE,
}
_JUSTIFICATIONS = {j.value: j for j in ImpactAnalysisJustification}


def write_cyclonedx_vex(document: VexDocument, subject: ProductId) -> bytes:
    bom = Bom(serial_number=uuid.uuid4(), metadata=BomMetaData(
        timestamp=document.timestamp, component=_component(subject, "subject")))
    listed: dict[str, Component] = {}
    for n, statement in enumerate(document.statements, 1):
        refs = [_ref(p, listed) for product in statement.products
                for p in (product.subcomponents or (product,))]
        bom.vulnerabilities.add(_vulnerability(statement, refs, f"statement-{n}"))
    for component in listed.values():
        bom.components.add(component)
    with warnings.catch_warnings():
        # The library warns about BOM shapes the schema allows (no dependency graph).
        warnings.simplefilter("ignore")
        return JsonV1Dot6(bom).output_as_string(indent=2).encode()


def _component(product: ProductId, ref: str) -> Component:
    return Component(name=product.name or product.label, version=product.version,
                     type=ComponentType.APPLICATION, bom_ref=ref,
                     purl=PackageURL.from_string(product.purl) if product.purl else None)


def _ref(target: ProductId, listed: dict[str, Component]) -> str:
    if target.bom_serial and target.ref:
        return f"urn:cdx:{target.bom_serial.removeprefix('urn:uuid:')}/1#{quote(target.ref)}"
    key = target.purl or target.label
    if key not in listed:
        listed[key] = Component(name=target.name or target.label, version=target.version,
                                type=ComponentType.LIBRARY, bom_ref=key,
                                purl=PackageURL.from_string(target.purl) if target.purl else None)
    return key


def _vulnerability(statement: VexStatement, refs: list[str], ref: str) -> Vulnerability:
    given = statement.justification
    mapped = given if given in _JUSTIFICATIONS else CYCLONEDX_FROM_OPENVEX.get(given or "")
    detail = statement.impact
    if given and given != mapped:
        detail = f"{detail} ({given})" if detail else given
    return Vulnerability(
        bom_ref=ref, id=statement.vulnerability, source=_source(statement.vulnerability),
        references=[VulnerabilityReference(id=a, source=_source(a)) for a in statement.aliases],
        analysis=VulnerabilityAnalysis(
            state=_STATE[statement.status],
            justification=_JUSTIFICATIONS[mapped] if mapped else None, detail=detail),
        recommendation=statement.action,
        affects=[BomTarget(ref=r) for r in dict.fromkeys(refs)])


def _source(identifier: str) -> VulnerabilitySource:
    """The database an id comes from, by its prefix (CVE, GHSA, PYSEC, GO, ...)."""
    return VulnerabilitySource(name=identifier.split("-", 1)[0])
