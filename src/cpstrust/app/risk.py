"""The risk register and plan of countermeasures of a site (``assess.risk``), computed
again from the stored facts each time it is asked for: a new vulnerability, OT finding,
attestation, trust verdict or assessment answer shows in the next register, nothing to
keep in step."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.catalogs import control_set
from cpstrust.app.services import Services
from cpstrust.app.trustreport import CPSF_CATALOGUE
from cpstrust.assess.risk import risk_register
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.files import read_limited
from cpstrust.formats.threat_catalogue import LIMITS, read_threat_catalogue
from cpstrust.model.advisory import Severity
from cpstrust.model.risk import (
    CpsfRequirement,
    DeviceAsset,
    OpenVulnerability,
    OtSignal,
    RiskRegister,
    SiteRiskFacts,
    ThreatCatalogue,
    ZoneAssets,
)
from cpstrust.store import risk as risk_store

SHIPPED_THREATS = Path(__file__).resolve().parents[1] / "catalogs" / "threats.yaml"


def threat_catalogue(requirements: Mapping[str, CpsfRequirement],
                     path: Path = SHIPPED_THREATS) -> ThreatCatalogue:
    """The threat catalogue at ``path``, each of its requirements in the CPSF catalogue."""
    catalogue = read_threat_catalogue(read_limited(path, LIMITS),
                                      source=str(path))
    for label in sorted(catalogue.requirements() | catalogue.efforts.keys()):
        if label not in requirements:
            raise InputError("threats_unknown_requirement", requirement=label,
                             source=str(path))
    return catalogue


def cpsf_requirements(services: Services) -> dict[str, CpsfRequirement]:
    return {f.requirement.label: CpsfRequirement(
                f.requirement.label, f.requirement.title, f.requirement.title_ja,
                f.requirement.provisional is not None)
            for f in control_set(services, CPSF_CATALOGUE).items}


def site_risk(services: Services, site: str, at: datetime, zone: str | None = None,
              threats: Path = SHIPPED_THREATS) -> RiskRegister:
    """The register of ``site`` (of its zone ``zone`` only, when given) as at ``at``."""
    requirements = cpsf_requirements(services)
    catalogue = threat_catalogue(requirements, threats)
    with services.store.transaction() as session:
        facts = _site_facts(session, site, requirements, at)
    if zone is not None:
        chosen = tuple(z for z in facts.zones if z.name == zone)
        if not chosen:
            raise NotFoundError("risk_no_zone", site=site, zone=zone)
        facts = SiteRiskFacts(facts.site, facts.kind, facts.operator, chosen,
                              facts.supplier_verdicts, facts.answers, facts.requirements, at)
    return risk_register(facts, catalogue)


def _site_facts(session: Session, name: str, requirements: Mapping[str, CpsfRequirement],
                at: datetime) -> SiteRiskFacts:
    stored = risk_store.site(session, name)
    devices = risk_store.devices(session, name)
    vulnerabilities = risk_store.open_vulnerabilities(session, {d.release for d in devices})
    signals = risk_store.open_ot_signals(session, name)
    verdicts = risk_store.organisation_verdicts(session, {d.supplier for d in devices})
    answers = risk_store.cpsf_answers(session, stored.operator, CPSF_CATALOGUE)
    zones = _zones(stored, devices, vulnerabilities, signals)
    return SiteRiskFacts(name, stored.kind, stored.operator, zones, verdicts, answers,
                         requirements, at)


def _zones(stored: risk_store.StoredSite, devices: Sequence[risk_store.StoredDevice],
           vulnerabilities: Sequence[risk_store.StoredVulnerability],
           signals: Sequence[risk_store.StoredOtSignal]) -> tuple[ZoneAssets, ...]:
    """The declared zones in order, then the devices placed in none when there are any.
    An OT finding on no declared device (an unknown host) counts in every zone: where it
    sits is not known."""
    in_zone: dict[str | None, list[risk_store.StoredDevice]] = defaultdict(list)
    for d in devices:
        in_zone[d.zone].append(d)
    by_release: dict[int, list[risk_store.StoredVulnerability]] = defaultdict(list)
    for v in vulnerabilities:
        by_release[v.release].append(v)
    placed = [(z, c) for z, c in stored.zones] + ([(None, None)] if None in in_zone else [])
    return tuple(_zone(z, c, in_zone.get(z, []), by_release, signals) for z, c in placed)


def _zone(name: str | None, criticality: int | None,
          devices: Sequence[risk_store.StoredDevice],
          by_release: Mapping[int, Sequence[risk_store.StoredVulnerability]],
          signals: Sequence[risk_store.StoredOtSignal]) -> ZoneAssets:
    names = {d.name for d in devices}
    releases = {d.release: (d.product, d.version) for d in devices}
    return ZoneAssets(
        name, criticality,
        tuple(DeviceAsset(d.name, d.product, d.version, d.supplier, d.attestation)
              for d in devices),
        tuple(OpenVulnerability(*releases[r], v.vulnerability, Severity(v.severity),
                                v.first_seen)
              for r in sorted(releases) for v in by_release.get(r, ())),
        tuple(OtSignal(s.id, s.device or "-", s.kind, s.severity, s.technique)
              for s in signals if s.device is None or s.device in names))
