"""The trust report: evaluate the policy (``app.trustpolicy``, which stores the verdicts),
then lay the verdicts on the supply-chain graph and say what to do next about every
subject that is not trusted, with the CPSF requirements each step serves."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.catalogs import control_set
from cpstrust.app.services import Services
from cpstrust.app.trustpolicy import evaluate_policy
from cpstrust.model.catalog import Requirement
from cpstrust.model.trustpolicy import SubjectKind
from cpstrust.model.trustreport import (
    Edge,
    Relation,
    ReportedSubject,
    SubjectRef,
    TrustReport,
)
from cpstrust.store import trustfacts
from cpstrust.trust.next_steps import next_steps

CPSF_CATALOGUE = "cpsf"


def trust_report(services: Services, policy_path: Path, at: datetime) -> TrustReport:
    """Every subject's verdict under the policy at ``policy_path`` (evaluated now and
    stored, as ``trust evaluate`` does), the graph's edges, and the next steps."""
    evaluation = evaluate_policy(services, policy_path, at)
    subjects = tuple(ReportedSubject(v, next_steps(v)) for v in evaluation.verdicts)
    known = {s.ref for s in subjects}
    with services.store.transaction() as session:
        # An edge whose ends have no verdict (a node added since the evaluation) is left out.
        edges = tuple(e for e in supply_chain_edges(session)
                      if e.source in known and e.target in known)
    named = {label for s in subjects for step in s.steps for label in step.requirements}
    return TrustReport(evaluation.policy, evaluation.at, subjects, edges,
                       _requirements(services, named))


def supply_chain_edges(session: Session) -> Iterable[Edge]:
    """Supplier -> customer, supplier -> product -> release -> device -> zone or site,
    zone -> site."""
    org, product, release = SubjectKind.ORGANISATION, SubjectKind.PRODUCT, SubjectKind.RELEASE
    device, zone, site = SubjectKind.DEVICE, SubjectKind.ZONE, SubjectKind.SYSTEM
    for s in trustfacts.supply(session):
        yield Edge(SubjectRef(org, s.supplier), SubjectRef(org, s.customer), Relation.SUPPLIES)
    for p in trustfacts.products(session):
        yield Edge(SubjectRef(org, p.supplier), SubjectRef(product, p.key), Relation.MAKES)
    for r in trustfacts.releases(session):
        yield Edge(SubjectRef(product, r.product), SubjectRef(release, r.key), Relation.VERSION)
    for d in trustfacts.devices(session):
        yield Edge(SubjectRef(release, d.release), SubjectRef(device, d.key), Relation.RUNS_ON)
        place = SubjectRef(zone, d.zone) if d.zone is not None else SubjectRef(site, d.site)
        yield Edge(SubjectRef(device, d.key), place, Relation.LOCATED_IN)
    for z in trustfacts.zones(session):
        yield Edge(SubjectRef(zone, z.key), SubjectRef(site, z.site), Relation.LOCATED_IN)


def _requirements(services: Services, labels: Collection[str]) -> dict[str, Requirement]:
    """The shipped CPSF catalogue's requirements among ``labels``, by label."""
    if not labels:
        return {}
    held = {f.requirement.label: f.requirement
            for f in control_set(services, CPSF_CATALOGUE).items}
    return {label: held[label] for label in sorted(labels) if label in held}
