"""An SBOM's quality: which elements of NTIA's minimum elements, BSI TR-03183-2 v2.1.0 and
METI's SBOM guide the document and each component meet, and whether its purls agree
with its components. A buyer sends a supplier's SBOM back with these reasons.

Read from an SBOM mapped at ``SbomDetail.QUALITY``. File entries (CycloneDX components of
type ``file``, SPDX files) are evidence of what a product holds, not components of it:
the component elements are not asked of them.

Where the frameworks come from (docs/reference/sbom-minimum-elements.md):
- NTIA (July 2021), the seven data fields. "Author of SBOM data" may be a tool, as NTIA
  allows; the supplier is the component's supplier or, failing it, its maker or publisher.
- BSI TR-03183-2 v2.1.0 (2025-08-20): required fields of the SBOM and of each component;
  its "additional" fields (MUST where the data exists) are reported but not counted for
  compliance. The format must be CycloneDX 1.6 or later, or SPDX 3.0.1 or later.
- METI's guide (ver 2.0): sources confirm its advice to record when the SBOM was made,
  to check the format before handing it over, and not to leave fields as NOASSERTION; its
  own list of minimum items is not confirmed, so the framework is marked provisional.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cpstrust.model.quality import ElementResult, Framework, FrameworkResult, QualityReport, Scope
from cpstrust.model.sbom import (
    ComponentFacts,
    Sbom,
    SbomComponent,
    SbomDetail,
    SbomFacts,
    SbomFormat,
)
from cpstrust.sbom.consistency import purl_disagreements

MISSING_LISTED = 20  # refs named per element; the count says the rest

# BSI's component properties (its CycloneDX taxonomy) and the values each may take.
_BSI_PROPERTIES = {
    "executable": ("executable", "non-executable"),
    "archive": ("archive", "no archive"),
    "structured": ("structured", "unstructured"),
}
_BSI_FORMATS = {SbomFormat.CYCLONEDX_JSON: (1, 6), SbomFormat.CYCLONEDX_XML: (1, 6),
                SbomFormat.SPDX3_JSON: (3, 0, 1)}

ComponentTest = Callable[[SbomComponent, ComponentFacts, SbomFacts], bool]
_NO_FACTS = ComponentFacts()


def check_quality(sbom: Sbom) -> QualityReport:
    """The quality report of an SBOM read at QUALITY detail (ValueError otherwise)."""
    facts = sbom.facts
    if sbom.detail is not SbomDetail.QUALITY or facts is None:
        raise ValueError("check_quality needs an SBOM read at QUALITY detail")
    components = [c for c in sbom.components if c.type != "file"]
    disagreements = tuple(purl_disagreements(components))
    judge = _Judge(components, facts)
    frameworks = (
        FrameworkResult(Framework.NTIA, _ntia(sbom, judge)),
        FrameworkResult(Framework.BSI, _bsi(sbom, judge)),
        FrameworkResult(Framework.METI, _meti(sbom, judge), provisional=True),
        FrameworkResult(Framework.CONSISTENCY, (
            _consistency(components, {d.ref for d in disagreements}),)),
    )
    return QualityReport(sbom.format, sbom.spec_version, len(components), frameworks,
                         disagreements)


class _Judge:
    """Components and their facts, tested element by element."""

    def __init__(self, components: Sequence[SbomComponent], facts: SbomFacts) -> None:
        self.facts = facts
        self.pairs = [(c, facts.components.get(c.ref, _NO_FACTS)) for c in components]

    def component(self, element: str, test: ComponentTest, *, required: bool = True,
                  ) -> ElementResult:
        missing = [c.ref for c, f in self.pairs if not test(c, f, self.facts)]
        return ElementResult(element, Scope.COMPONENT, required, len(self.pairs) - len(missing),
                             len(self.pairs), tuple(missing[:MISSING_LISTED]))


def _document(element: str, met: bool, *, required: bool = True) -> ElementResult:
    return ElementResult(element, Scope.DOCUMENT, required, int(met), 1)


def _ntia(sbom: Sbom, judge: _Judge) -> tuple[ElementResult, ...]:
    facts = judge.facts
    return (
        _document("author", bool(facts.authors or sbom.tools)),
        _document("timestamp", bool(sbom.created)),
        judge.component("supplier", lambda c, f, _: bool(c.supplier or f.creator
                                                          or f.publisher)),
        judge.component("name", lambda c, f, _: bool(c.name)),
        judge.component("version", lambda c, f, _: bool(c.version)),
        judge.component("unique_identifier", _has_identifier),
        judge.component("dependency", lambda c, f, d: c.ref in d.in_dependency_graph),
    )


def _bsi(sbom: Sbom, judge: _Judge) -> tuple[ElementResult, ...]:
    facts = judge.facts
    return (
        _document("bsi_format", _bsi_format(sbom)),
        _document("creator_contact", bool(facts.creator_contacts)),
        _document("timestamp", bool(sbom.created)),
        _document("sbom_uri", bool(sbom.serial), required=False),
        judge.component("component_creator", lambda c, f, _: bool(f.creator_contacts)),
        judge.component("name", lambda c, f, _: bool(c.name)),
        judge.component("version", lambda c, f, _: bool(c.version)),
        judge.component("filename", lambda c, f, _: bool(_property(f, "filename"))),
        judge.component("dependencies_complete", lambda c, f, d: (
            c.ref in d.in_dependency_graph and c.ref in d.completeness_stated)),
        judge.component("distribution_licence", lambda c, f, _: bool(f.concluded_licences)),
        judge.component("hash_sha512", lambda c, f, _: any(
            h.algorithm == "SHA-512" for h in f.distribution_hashes)),
        *(judge.component(name, _bsi_property(name)) for name in _BSI_PROPERTIES),
        judge.component("unique_identifier", _has_identifier, required=False),
        judge.component("source_uri", lambda c, f, _: bool(f.source_url), required=False),
        judge.component("deployable_uri", lambda c, f, _: bool(f.distribution_url),
                        required=False),
        judge.component("original_licence", lambda c, f, _: bool(f.declared_licences),
                        required=False),
    )


def _meti(sbom: Sbom, judge: _Judge) -> tuple[ElementResult, ...]:
    return (
        _document("timestamp", bool(sbom.created)),
        _document("validated", True),  # every reader validates the whole document first
        judge.component("no_noassertion", lambda c, f, _: not f.noassertion),
    )


def _consistency(components: Sequence[SbomComponent], disagreeing: set[str]) -> ElementResult:
    with_purl = [c.ref for c in components if c.purl]
    missing = [ref for ref in with_purl if ref in disagreeing]
    return ElementResult("purl_agrees", Scope.COMPONENT, True, len(with_purl) - len(missing),
                         len(with_purl), tuple(missing[:MISSING_LISTED]))


def _has_identifier(component: SbomComponent, facts: ComponentFacts, _: SbomFacts) -> bool:
    return bool(component.purl or component.cpe or facts.swid)


def _bsi_format(sbom: Sbom) -> bool:
    least = _BSI_FORMATS.get(sbom.format)  # not SPDX 2
    parts = sbom.spec_version.split(".")
    if least is None or not all(part.isdigit() for part in parts):
        return False
    return tuple(map(int, parts)) >= least


def _property(facts: ComponentFacts, name: str) -> str | None:
    wanted = f"bsi:component:{name}"
    return next((value for key, value in facts.properties if key == wanted), None)


def _bsi_property(name: str) -> ComponentTest:
    allowed = _BSI_PROPERTIES[name]
    return lambda c, f, _: _property(f, name) in allowed
