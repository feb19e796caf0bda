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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.formats.files import read_limited
from cpstrust.formats.trust_policy import POLICY_LIMITS, read_trust_policy
from cpstrust.model.trust import TrustStore
from cpstrust.model.trustfacts import DeviceState, JudgedDevices, SupplyEdge, TrustFacts
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
from cpstrust.store import verified_signatures as signatures
from cpstrust.store.trust import current_trust_store
from cpstrust.store.trustverdicts import EvaluationState
from cpstrust.trust.policy import find_supply_cycle
from cpstrust.trust.policy_graph import (
    DeviceJudge,
    evaluate,
    evaluate_systems,
    tally_examples,
)
from cpstrust.trust.verify import VerifiedSignatures


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
                    full: bool = False, listed: bool = True,
                    kinds: Collection[SubjectKind] = ()) -> TrustEvaluation:
    """Verdicts for every subject under the policy at ``policy_path``, stored; only the
    changed part is computed unless ``full`` or the stored verdicts cannot be reused.
    ``listed``: return every verdict with its reasons (of ``kinds``, or all; else only
    the counts)."""
    policy = read_policy(policy_path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        supply = load.supply(session)  # read once: 10,000 edges, three readers
        _refuse_cycles(session, supply)
        state = _current_state(session, policy, store, at)
        previous = trustverdicts.evaluation_state(session)
        reusable = (not full and previous is not None
                    and _same_inputs(previous, state) and previous.evaluated_at <= at)
        verified = VerifiedSignatures(signatures.verified_signatures(session, store.version))
        if reusable and previous is not None:
            computed, counts = _incremental(session, policy, store, at, previous, state,
                                            supply, verified)
        else:
            computed, counts = _full(session, policy, store, at, verified)
            signatures.forget_other_versions(session, store.version)
        signatures.keep_verified(session, store.version, verified.found)
        trustverdicts.save_state(session, replace(state, counts=counts))
        verdicts = tuple(_shown(session, policy, at, kinds)) if listed else ()
    return TrustEvaluation(policy.name, at, reusable, computed, counts, verdicts)


def what_if(services: Services, policy_path: Path, other_path: Path,
            at: datetime) -> list[VerdictChange]:
    """Subjects whose verdict under the policy at ``other_path`` differs from theirs
    under ``policy_path``; nothing is stored."""
    policy, other = read_policy(policy_path), read_policy(other_path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        _refuse_cycles(session, load.supply(session))
        facts = _all_facts(session, min_floor(policy, other))
        verified = VerifiedSignatures(signatures.verified_signatures(session, store.version))
        before, _, devices_before = _evaluate_all(session, facts, policy, store, at, verified)
        after, judge, devices_after = _evaluate_all(session, facts, other, store, at, verified)
        moved = [(d, was) for d, was, now in zip(
            facts.devices, devices_before.verdicts, devices_after.verdicts, strict=True)
            if was is not now]
        names = load.device_names(session, {d.key for d, _ in moved})
    was_by_key = {(v.kind, v.key): v.verdict for v in before}
    changes = []
    for device, was in moved:
        now = judge.explain(device, names[device.key])
        changes.append(VerdictChange(now.kind, now.name, was, now.verdict, now.reasons))
    for now in after:
        was = was_by_key[(now.kind, now.key)]
        if was is not now.verdict:
            changes.append(VerdictChange(now.kind, now.name, was, now.verdict, now.reasons))
    return changes


def min_floor(*policies: TrustPolicy) -> int | None:
    floors = [int(p.severity_floor) for p in policies if p.severity_floor is not None]
    return min(floors) if floors else None


def _refuse_cycles(session: Session, supply: Sequence[SupplyEdge]) -> None:
    cycle = find_supply_cycle(supply)
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
        devices=load.devices(session), sites=load.sites(session), zones=load.zones(session))


def _evaluate_all(session: Session, facts: TrustFacts, policy: TrustPolicy, store: TrustStore,
                  at: datetime, verified: VerifiedSignatures,
                  ) -> tuple[list[SubjectVerdict], DeviceJudge, JudgedDevices]:
    """Every subject of ``facts``: devices by their verdict alone, the others with their
    reasons (systems included)."""
    verdicts, judge, devices = evaluate(facts, policy, store, at, verified)
    names = load.device_names(session, tally_examples(devices.sites, devices.zones))
    return ([*verdicts, *evaluate_systems(facts.sites, facts.zones, devices.sites,
                                          devices.zones, names)], judge, devices)


Counts = dict[SubjectKind, dict[Verdict, int]]


def _full(session: Session, policy: TrustPolicy, store: TrustStore, at: datetime,
          verified: VerifiedSignatures) -> tuple[int, Counts]:
    facts = _all_facts(session, min_floor(policy))
    verdicts, _, devices = _evaluate_all(session, facts, policy, store, at, verified)
    return (trustverdicts.replace_verdicts(session, verdicts, devices),
            trustverdicts.count_verdicts(verdicts, devices))


def _incremental(session: Session, policy: TrustPolicy, store: TrustStore, at: datetime,
                 previous: EvaluationState, now: EvaluationState,
                 supply: Sequence[SupplyEdge], verified: VerifiedSignatures,
                 ) -> tuple[int, Counts]:
    orgs, releases, devices = _seeds(session, at, previous, now)
    if policy.suppliers is SupplierInheritance.INHERIT:
        orgs = _with_customers(supply, orgs)
    product_ids = load.products_of(session, suppliers=orgs, releases=releases)
    facts = _affected_facts(session, policy, orgs, product_ids, devices, supply)
    verdicts, _, device_verdicts = evaluate(facts, policy, store, at, verified)
    counts = trustverdicts.recount(session, previous.counts, verdicts, device_verdicts)
    trustverdicts.update_verdicts(session, verdicts)
    trustverdicts.update_device_verdicts(session, device_verdicts)
    site_ids = {d.site for d in facts.devices}
    sites, zones = trustverdicts.stored_tallies(session, site_ids)
    names = load.device_names(session, tally_examples(sites, zones))
    systems = evaluate_systems([s for s in facts.sites if s.key in site_ids],
                               [z for z in facts.zones if z.site in site_ids], sites, zones,
                               names)
    counts = trustverdicts.recount(session, counts, systems, None)
    trustverdicts.update_verdicts(session, systems)
    return len(verdicts) + len(device_verdicts) + len(systems), counts


def _shown(session: Session, policy: TrustPolicy, at: datetime,
           kinds: Collection[SubjectKind]) -> list[SubjectVerdict]:
    """The stored verdicts of ``kinds`` (or all) with their reasons, in kind and id
    order; devices' reasons are built again from the inputs their stored verdict was
    computed from (unchanged until their ``valid_until``)."""
    shown: list[SubjectVerdict] = []
    if not kinds or SubjectKind.DEVICE in kinds:
        shown.extend(_explained_devices(session, policy, at))
    others = [k for k in SubjectKind if k is not SubjectKind.DEVICE and (not kinds or k in kinds)]
    if others:
        shown.extend(trustverdicts.stored_verdicts(session, others))
    return shown


def _explained_devices(session: Session, policy: TrustPolicy,
                       at: datetime) -> list[SubjectVerdict]:
    floor = min_floor(policy)
    devices = load.devices(session)
    facts = TrustFacts(
        organisations=(), supply=(), star_evidence=(), products=(), releases=(),
        signed_releases=(), devices=devices, sites=load.sites(session),
        zones=load.zones(session),
        findings=load.open_findings(session, floor) if floor is not None else [],
        known=trustverdicts.known_verdicts(session, SubjectKind.RELEASE, None))
    judge = DeviceJudge(facts, policy, at, {})
    names = load.device_names(session)
    return [judge.explain(d, names[d.key]) for d in devices]


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
                    product_ids: set[int], device_ids: set[int],
                    supply: Sequence[SupplyEdge]) -> TrustFacts:
    products = load.products(session, product_ids)
    releases = load.releases(session, product_ids)
    release_ids = {r.key for r in releases}
    by_key: dict[int, DeviceState] = {d.key: d for d in load.devices(session,
                                                                     release_ids=release_ids)}
    by_key.update((d.key, d) for d in load.devices(session, device_ids=device_ids - by_key.keys()))
    devices = sorted(by_key.values())
    run = {d.release for d in devices}
    floor = min_floor(policy)
    suppliers = ({e.supplier for e in supply if e.customer in orgs}
                 | {p.supplier for p in products}) - orgs
    known = {**trustverdicts.known_verdicts(session, SubjectKind.ORGANISATION, suppliers),
             **trustverdicts.known_verdicts(session, SubjectKind.RELEASE, run - release_ids)}
    return TrustFacts(
        organisations=load.organisations(session, orgs), supply=supply,
        star_evidence=load.star_evidence(session, orgs), products=products, releases=releases,
        signed_releases=load.signed_releases(session, release_ids),
        findings=load.open_findings(session, floor, run | release_ids) if floor is not None else [],
        devices=devices, sites=load.sites(session), zones=load.zones(session), known=known)
