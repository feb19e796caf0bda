"""VEX for stored releases: a document is kept as evidence and its statements set the
status of the findings they decide; after every evaluation the stored statements decide
the new findings too, so a supplier's word outlives an advisory update.

A statement sets a finding to not affected, fixed or open (affected, under
investigation), recorded as decided by VEX, with the statement's status, justification
and place. A person's decision stands: VEX leaves such findings as they are (counted).
A stored release is compared as the product its supplier named, at its version, with
its SBOM's components and serial (``cpstrust.sbom.vex``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from packageurl import PackageURL
from sqlalchemy.orm import Session

from cpstrust.app.events import FindingWatch, record_events
from cpstrust.app.scanning import StoredScope
from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.formats.files import read_limited
from cpstrust.formats.vex import read_vex
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.advisory import Severity
from cpstrust.model.events import Cause, CauseKind
from cpstrust.model.finding import FindingStatus, VulnerabilityMatch
from cpstrust.model.lifecycle import Decider
from cpstrust.model.sbom import Sbom, SbomComponent, SbomFormat
from cpstrust.model.vex import FINDING_STATUS, ProductId, VexDecision, VexDocument, VexFormat
from cpstrust.sbom.vex import decide, finding_statement
from cpstrust.store.graph import release_ids, supplier_of
from cpstrust.store.vex import (
    DecidedFinding,
    ReleaseComponent,
    ReleaseSubject,
    StoredVex,
    release_components,
    release_findings,
    release_subjects,
    save_vex_document,
    set_vex_decisions,
    stored_vex_documents,
)


@dataclass(frozen=True, slots=True)
class VexApplied:
    releases: int
    decided: int  # findings a statement speaks of
    changed: int  # whose status, or deciding statement, changed now
    kept: int  # decided by a person: left as they are


@dataclass(frozen=True, slots=True)
class VexExport:
    """A product's VEX: one statement per stored finding, and the product it speaks of
    (the last release in scope)."""

    document: VexDocument
    subject: ProductId


@dataclass(frozen=True, slots=True)
class VexImport:
    document: VexDocument
    stored_id: int
    new: bool  # False: this very document was imported before
    applied: VexApplied
    events: int  # findings resolved or reopened (``app.events``)


def import_vex(services: Services, path: Path, scope: StoredScope = StoredScope(),
               limits: ReadLimits = DEFAULT_LIMITS) -> VexImport:
    """Keep a VEX document and apply every stored statement to the releases in ``scope``
    (all by default). One transaction: a bad or conflicting document stores nothing."""
    content = read_limited(path, limits)
    document = read_vex(content, source=str(path), limits=limits)
    with services.store.transaction() as session:
        ids = release_ids(session, scope.product, scope.version)
        if not ids:
            raise NotFoundError("app_no_release_in_scope", product=scope.product,
                                version=scope.version)
        at = datetime.now(UTC)
        watch = FindingWatch(session, ids)
        stored_id, new = save_vex_document(session, document, content, at)
        applied = apply_stored_vex(session, ids)
        cause = Cause(CauseKind.VEX, f"{path.name} (stored VEX {stored_id}, sha256 "
                                     f"{document.sha256})")
        return VexImport(document, stored_id, new, applied,
                         record_events(session, watch, (), cause, at))


def export_vex(services: Services, product: str, version: str | None = None) -> VexExport:
    """A statement on every stored finding of the product's releases (or one release):
    what the supplier, or the buyer for it, has decided (``sbom.vex.finding_statement``)."""
    at = datetime.now(UTC)
    statements = []
    with services.store.transaction() as session:
        ids = release_ids(session, product, version)
        if not ids:
            raise NotFoundError("app_no_release_in_scope", product=product, version=version)
        supplier = supplier_of(session, product)
        for subject in release_subjects(session, ids):
            released = _release_product(subject)
            components = {c.id: c for c in release_components(session, subject.release_id)}
            for f in release_findings(session, subject.release_id):
                c = components[f.component_id]
                inside = ProductId(c.ref, purl=c.purl, name=c.name, version=c.version,
                                   bom_serial=subject.serial, ref=c.ref)
                statements.append(finding_statement(
                    f.vulnerability_id, f.aliases, FindingStatus(f.status), f.vex_status,
                    f.justification, f.note, f.fixed_versions,
                    replace(released, subcomponents=(inside,)), f"finding {f.id}"))
    document = VexDocument(VexFormat.OPENVEX, product, f"urn:uuid:{uuid.uuid4()}", supplier,
                           at, tuple(statements), "")
    return VexExport(document, released)


def _release_product(subject: ReleaseSubject) -> ProductId:
    """A release as a VEX product: as its SBOM names it, else by its product's name."""
    name = subject.subject_name or subject.product
    version = subject.subject_version or subject.version
    purl = subject.subject_purl or PackageURL(type="generic", name=name,
                                              version=version).to_string()
    return ProductId(f"{name} {version}", purl=purl, name=name, version=version,
                     bom_serial=subject.serial, ref=subject.subject_ref)


def apply_stored_vex(session: Session, releases: Sequence[int]) -> VexApplied:
    """Let the stored statements decide the findings of ``releases``."""
    stored = stored_vex_documents(session)
    if not stored:
        return VexApplied(len(releases), 0, 0, 0)
    documents = [read_vex(s.content, source=_source(s)) for s in stored]
    ids = {_source(s): s.id for s in stored}
    decided = changed = kept = 0
    for subject in release_subjects(session, releases):
        findings = release_findings(session, subject.release_id)
        if not findings:
            continue
        changes, counts = _changes(session, subject, findings, documents, ids)
        set_vex_decisions(session, changes)
        decided, changed, kept = decided + counts[0], changed + len(changes), kept + counts[1]
    return VexApplied(len(releases), decided, changed, kept)


def _source(stored: StoredVex) -> str:
    return f"{stored.source_name} (stored VEX {stored.id})"


def _changes(session: Session, subject: ReleaseSubject, findings: list[DecidedFinding],
             documents: list[VexDocument], ids: dict[str, int],
             ) -> tuple[list[dict[str, object]], tuple[int, int]]:
    components = release_components(session, subject.release_id)
    ref_of = {c.id: c.ref for c in components}
    sbom = Sbom(SbomFormat(subject.sbom_format or SbomFormat.CYCLONEDX_JSON), "", subject.serial,
                subject.subject_name or subject.product, subject.subject_version or subject.version,
                tuple(SbomComponent(c.ref, c.name, c.version, c.purl, parent_ref=c.parent_ref)
                      for c in components),
                subject_ref=subject.subject_ref, subject_purl=subject.subject_purl)
    by_ref = {c.ref: c for c in components}
    matches = [_as_match(f, by_ref[ref_of[f.component_id]]) for f in findings
               if f.component_id in ref_of]
    outcome = decide(sbom, matches, documents, subject_names=(subject.product,))
    changes: list[dict[str, object]] = []
    decided = kept = 0
    for finding in findings:
        decision = outcome.decisions.get((ref_of.get(finding.component_id, ""),
                                          finding.vulnerability_id))
        if decision is None:
            continue
        decided += 1
        if finding.decided_by == Decider.PERSON:
            kept += 1
            continue
        change = _change(finding, decision, ids[decision.source])
        if change is not None:
            changes.append(change)
    return changes, (decided, kept)


def _as_match(finding: DecidedFinding, component: ReleaseComponent) -> VulnerabilityMatch:
    """What the decision needs of a stored finding: its component and its ids."""
    return VulnerabilityMatch(component.ref, component.purl or "", component.name,
                              component.version or "", "", finding.vulnerability_id,
                              finding.aliases, Severity.UNKNOWN, (), None)


def _change(finding: DecidedFinding, decision: VexDecision,
            document_id: int) -> dict[str, object] | None:
    """The finding's new state, or None when the statement already set it."""
    status = FINDING_STATUS[decision.status].value
    now = (status, Decider.VEX.value, decision.status.value, decision.justification,
           document_id, decision.place)
    before = (finding.status, finding.decided_by, finding.vex_status, finding.justification,
              finding.vex_document_id, finding.vex_statement)
    if now == before:
        return None
    return {"finding_id": finding.id, "status": status, "decided_by": Decider.VEX.value,
            "vex_status": decision.status.value, "justification": decision.justification,
            "vex_document_id": document_id, "vex_statement": decision.place,
            "note": decision.impact or decision.action}
