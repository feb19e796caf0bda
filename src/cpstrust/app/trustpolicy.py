"""Trust policy: evaluate a policy over the whole supply chain, store the verdicts, and
on the next run compute only the subjects whose inputs changed; show who would change
verdict under another policy.

Incremental rule: the stored verdicts are reused while the policy file, the trust store
version and the graph (fingerprint) are those they were computed with; then only these
are computed again, with everything that depends on them: organisations with new
evidence (and, when the policy inherits, their customers), releases with new signed
evidence or a changed set of open findings, devices with new attestations, and every
subject whose verdict has aged out (``valid_until``). Anything else: a full evaluation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.formats.files import read_limited
from cpstrust.formats.trust_policy import POLICY_LIMITS, read_trust_policy
from cpstrust.model.trust import TrustStore
from cpstrust.model.trustfacts import DeviceFacts, SupplyEdge, TrustFacts
from cpstrust.model.trustpolicy import (
    SubjectKind,
    SubjectVerdict,
    SupplierInheritance,
    TrustPolicy,
    Verdict,
    VerdictChange,
)
from cpstrust.store import trustfacts as load
from cpstrust.store import trustverdicts
from cpstrust.store.trust import current_trust_store
from cpstrust.store.trustverdicts import EvaluationState
from cpstrust.trust.policy import find_supply_cycle
from cpstrust.trust.policy_graph import evaluate, evaluate_systems, tally


@dataclass(frozen=True, slots=True)
class TrustEvaluation:
    """An evaluation: how many subjects it computed (all of them unless incremental),
    the count of every stored verdict by kind, and the verdicts when asked for."""

    policy: str
    at: datetime
    incremental: bool
    computed: int
    counts: Mapping[SubjectKind, Mapping[Verdict, int]]
    verdicts: tuple[SubjectVerdict, ...]

    @property
    def untrusted(self) -> int:
        return sum(c.get(Verdict.UNTRUSTED, 0) for c in self.counts.values())


def read_policy(path: Path) -> TrustPolicy:
    return read_trust_policy(read_limited(path, POLICY_LIMITS), source=str(path))


def evaluate_policy(services: Services, policy_path: Path, at: datetime, *,
                    full: bool = False, listed: bool = True) -> TrustEvaluation:
    """Verdicts for every subject under the policy at ``policy_path``, stored; only the
    changed part is computed unless ``full`` or the stored verdicts cannot be reused.
    ``listed``: return every verdict (else only the counts)."""
    policy = read_policy(policy_path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        _refuse_cycles(session)
        state = _current_state(session, policy, store, at)
        previous = trustverdicts.evaluation_state(session)
        reusable = (not full and previous is not None
                    and _same_inputs(previous, state) and previous.evaluated_at <= at)
        if reusable and previous is not None:
            computed = _incremental(session, policy, store, at, previous, state)
        else:
            computed = _full(session, policy, store, at)
        trustverdicts.save_state(session, state)
        counts = trustverdicts.verdict_counts(session)
        verdicts = tuple(trustverdicts.stored_verdicts(session)) if listed else ()
    return TrustEvaluation(policy.name, at, reusable, computed, counts, verdicts)


def what_if(services: Services, policy_path: Path, other_path: Path,
            at: datetime) -> list[VerdictChange]:
    """Subjects whose verdict under the policy at ``other_path`` differs from theirs
    under ``policy_path``; nothing is stored."""
    policy, other = read_policy(policy_path), read_policy(other_path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        _refuse_cycles(session)
        facts = _all_facts(session, min_floor(policy, other))
    before = {(v.kind, v.key): v for v in _evaluate_all(facts, policy, store, at)}
    changes = []
    for after in _evaluate_all(facts, other, store, at):
        was = before[(after.kind, after.key)]
        if was.verdict is not after.verdict:
            changes.append(VerdictChange(after.kind, after.name, was.verdict, after.verdict,
                                         after.reasons))
    return changes


def min_floor(*policies: TrustPolicy) -> int | None:
    floors = [int(p.severity_floor) for p in policies if p.severity_floor is not None]
    return min(floors) if floors else None


def _refuse_cycles(session: Session) -> None:
    cycle = find_supply_cycle(load.supply(session))
    if cycle is not None:
        names = load.organisation_names(session, set(cycle))
        raise InputError("trust_supply_cycle", cycle=" → ".join(names[k] for k in cycle))


def _current_state(session: Session, policy: TrustPolicy, store: TrustStore,
                   at: datetime) -> EvaluationState:
    evidence_mark, attestation_mark = load.marks(session)
    return EvaluationState(policy.sha256, store.version, load.graph_fingerprint(session),
                           evidence_mark, attestation_mark,
                           load.finding_summary(session, min_floor(policy)), at)


def _same_inputs(previous: EvaluationState, now: EvaluationState) -> bool:
    return (previous.policy_sha256, previous.trust_store_version, previous.graph) == (
        now.policy_sha256, now.trust_store_version, now.graph)


def _all_facts(session: Session, floor: int | None) -> TrustFacts:
    return TrustFacts(
        organisations=load.organisations(session), supply=load.supply(session),
        star_evidence=load.star_evidence(session), products=load.products(session),
        releases=load.releases(session), signed_releases=load.signed_releases(session),
        findings=load.open_findings(session, floor) if floor is not None else [],
        devices=load.devices(session), attestations=load.latest_attestations(session),
        sites=load.sites(session), zones=load.zones(session))


def _evaluate_all(facts: TrustFacts, policy: TrustPolicy, store: TrustStore,
                  at: datetime) -> list[SubjectVerdict]:
    verdicts = evaluate(facts, policy, store, at)
    by_device = {v.key: v for v in verdicts if v.kind is SubjectKind.DEVICE}
    sites, zones = tally(facts.devices, by_device)
    return [*verdicts, *evaluate_systems(facts.sites, facts.zones, sites, zones)]


def _full(session: Session, policy: TrustPolicy, store: TrustStore, at: datetime) -> int:
    verdicts = _evaluate_all(_all_facts(session, min_floor(policy)), policy, store, at)
    return trustverdicts.replace_verdicts(session, verdicts)


def _incremental(session: Session, policy: TrustPolicy, store: TrustStore, at: datetime,
                 previous: EvaluationState, now: EvaluationState) -> int:
    orgs, releases, devices = _seeds(session, at, previous, now)
    if policy.suppliers is SupplierInheritance.INHERIT:
        orgs = _with_customers(load.supply(session), orgs)
    product_ids = load.products_of(session, suppliers=orgs, releases=releases)
    facts = _affected_facts(session, policy, orgs, product_ids, devices)
    verdicts = evaluate(facts, policy, store, at)
    trustverdicts.update_verdicts(session, verdicts)
    site_ids = {d.site for d in facts.devices}
    sites, zones = trustverdicts.stored_tallies(session, site_ids)
    systems = evaluate_systems([s for s in facts.sites if s.key in site_ids],
                               [z for z in facts.zones if z.site in site_ids], sites, zones)
    trustverdicts.update_verdicts(session, systems)
    return len(verdicts) + len(systems)


def _seeds(session: Session, at: datetime, previous: EvaluationState,
           now: EvaluationState) -> tuple[set[int], set[int], set[int]]:
    """Organisations, releases and devices whose own inputs changed or aged out."""
    aged = trustverdicts.aged_out(session, at)
    orgs, releases = load.new_evidence(session, previous.evidence_mark)
    orgs |= aged[SubjectKind.ORGANISATION]
    releases |= aged[SubjectKind.RELEASE]
    releases |= {r for r in previous.findings.keys() | now.findings.keys()
                 if previous.findings.get(r) != now.findings.get(r)}
    releases |= load.releases_of_products(session, aged[SubjectKind.PRODUCT])
    devices = load.new_attestations(session, previous.attestation_mark)
    devices |= aged[SubjectKind.DEVICE]
    return orgs, releases, devices


def _with_customers(edges: Collection[SupplyEdge], orgs: set[int]) -> set[int]:
    customers: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        customers[edge.supplier].append(edge.customer)
    found, pending = set(orgs), list(orgs)
    while pending:
        for customer in customers[pending.pop()]:
            if customer not in found:
                found.add(customer)
                pending.append(customer)
    return found


def _affected_facts(session: Session, policy: TrustPolicy, orgs: set[int],
                    product_ids: set[int], device_ids: set[int]) -> TrustFacts:
    products = load.products(session, product_ids)
    releases = load.releases(session, product_ids)
    release_ids = {r.key for r in releases}
    by_key: dict[int, DeviceFacts] = {d.key: d for d in load.devices(session,
                                                                     release_ids=release_ids)}
    by_key.update((d.key, d) for d in load.devices(session, device_ids=device_ids - by_key.keys()))
    devices = list(by_key.values())
    run = {d.release for d in devices}
    floor = min_floor(policy)
    supply = load.supply(session)
    suppliers = ({e.supplier for e in supply if e.customer in orgs}
                 | {p.supplier for p in products}) - orgs
    known = {**trustverdicts.known_verdicts(session, SubjectKind.ORGANISATION, suppliers),
             **trustverdicts.known_verdicts(session, SubjectKind.RELEASE, run - release_ids)}
    return TrustFacts(
        organisations=load.organisations(session, orgs), supply=supply,
        star_evidence=load.star_evidence(session, orgs), products=products, releases=releases,
        signed_releases=load.signed_releases(session, release_ids),
        findings=load.open_findings(session, floor, run | release_ids) if floor is not None else [],
        devices=devices, attestations=load.latest_attestations(session, set(by_key)),
        sites=load.sites(session), zones=load.zones(session), known=known)
