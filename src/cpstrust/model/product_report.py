"""A product's report for people (``cpstrust report --product``): one release's
components and their licences, its findings with what VEX said of them, the dependency
path to each vulnerable component, and its SBOM's quality."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingStatus
from cpstrust.model.licence import ComponentLicences, LicenceConflict
from cpstrust.model.lifecycle import Decider
from cpstrust.model.quality import QualityReport
from cpstrust.model.vex import VexStatus


@dataclass(frozen=True, slots=True)
class FindingVex:
    """The VEX statement that decided a finding, and the stored document it is in."""

    status: VexStatus
    justification: str | None
    document: str  # the document's name as received
    document_id: int  # the stored document (``vex_document``)
    statement: str | None  # where in the document (a JSON pointer)


@dataclass(frozen=True, slots=True)
class ReportFinding:
    component_ref: str
    vulnerability_id: str
    aliases: tuple[str, ...]
    severity: Severity
    summary: str | None
    status: FindingStatus
    version_compared: bool  # False: neither found nor ruled out (MatchStatus.NOT_COMPARED)
    fixed_versions: tuple[str, ...]
    decided_by: Decider
    note: str | None
    vex: FindingVex | None


@dataclass(frozen=True, slots=True)
class PathStep:
    """One element of a dependency path: a component, or the product the SBOM describes."""

    ref: str
    name: str
    version: str | None


@dataclass(frozen=True, slots=True)
class ReportSbom:
    """The release's SBOM as kept: what it is, and the evidence of it."""

    format: str  # model.sbom.SbomFormat
    spec_version: str
    serial: str | None
    sha256: str
    source_name: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class ProductReport:
    product: str
    supplier: str | None
    version: str  # the release reported on
    releases: tuple[str, ...]  # every stored release of the product, in the order stored
    sbom: ReportSbom
    file_entries: int  # files the SBOM lists besides its components (not reported on)
    roots: tuple[str, ...]  # where dependency paths start (``sbom.paths.root_refs``)
    # Every component but file entries, with its licences; their decisions are the
    # policy's when ``policy`` is set, else meaningless (only categories are shown).
    components: tuple[ComponentLicences, ...]
    conflicts: tuple[LicenceConflict, ...]
    policy: str | None  # the licence policy file applied
    findings: tuple[ReportFinding, ...]  # worst first
    # Each vulnerable component's shortest path from a root; None: no root reaches it.
    paths: Mapping[str, tuple[PathStep, ...] | None]
    quality: QualityReport
    generated_at: datetime
