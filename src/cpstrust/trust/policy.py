"""The trust-policy engine: verdicts for organisations from their signed evidence and their
suppliers, in supply order. Pure: it reads loaded facts, the trust store and the time.

★ evidence is verified again with the one evidence verifier (``trust.orgevidence``) at
the time asked: expiry, revocation and the trust store change after import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple, cast

from cpstrust.errors import InputError
from cpstrust.formats.dsse import read_envelope
from cpstrust.messages import Message
from cpstrust.model.orgevidence import VerifiedEvidence, claimed_star
from cpstrust.model.trust import Refusal, Refused, TrustStore
from cpstrust.model.trustfacts import (
    HeldStarEvidence,
    KnownVerdict,
    OrganisationFacts,
    SupplyEdge,
    TrustFacts,
)
from cpstrust.model.trustpolicy import (
    OrganisationRule,
    Reasons,
    SubjectKind,
    SubjectVerdict,
    SupplierInheritance,
    TrustPolicy,
    Verdict,
    worst,
)
from cpstrust.trust.orgevidence import verify_evidence
from cpstrust.trust.verify import VerifiedSignatures, unreadable


class Part(NamedTuple):
    """One requirement's contribution to a verdict."""

    verdict: Verdict
    reasons: tuple[Message, ...]
    valid_until: datetime | None


def combine(kind: SubjectKind, key: int, name: str, parts: Sequence[Part]) -> SubjectVerdict:
    """The verdict of a subject from its parts: the worst verdict, every reason, the
    earliest time a part must be looked at again."""
    reasons: tuple[Message, ...] = ()
    verdict = parts[0].verdict if parts else Verdict.TRUSTED
    until: datetime | None = None
    for part in parts:
        reasons += part.reasons
        verdict = WORSE[verdict, part.verdict]
        if part.valid_until is not None and (until is None or part.valid_until < until):
            until = part.valid_until
    if not reasons:
        raise ValueError("a verdict needs its reasons")
    return SubjectVerdict(kind, key, name, verdict, cast(Reasons, reasons), until)


WORSE = {(a, b): worst(a, b) for a in Verdict for b in Verdict}  # a million look-ups


def stamp(moment: datetime) -> str:
    """A time as reasons show it (isoformat: a third of strftime's cost, per device)."""
    return moment.isoformat(" ", "minutes")[:16]


def find_supply_cycle(edges: Iterable[SupplyEdge]) -> list[int] | None:
    """Organisations forming a cycle of supply (the first one again at the end), or None."""
    suppliers: dict[int, list[int]] = defaultdict(list)
    for edge in edges:
        suppliers[edge.customer].append(edge.supplier)
    state: dict[int, int] = {}  # 1: on the current path, 2: done
    for start in list(suppliers):
        if start in state:
            continue
        path, stack = [start], [iter(suppliers[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(suppliers.get(nxt, ())))
    return None


def evaluate_organisations(facts: TrustFacts, policy: TrustPolicy, store: TrustStore,
                           at: datetime, verified: VerifiedSignatures | None = None,
                           ) -> dict[int, SubjectVerdict]:
    """The verdict of every organisation in ``facts``, suppliers before their customers
    (the supply relations must have no cycle: ``find_supply_cycle``); ``verified``: the
    signatures found valid before (``trust.verify.VerifiedSignatures``)."""
    held: dict[int, list[HeldStarEvidence]] = defaultdict(list)
    for evidence in facts.star_evidence:
        held[evidence.organisation].append(evidence)
    suppliers: dict[int, list[int]] = defaultdict(list)
    if policy.suppliers is SupplierInheritance.INHERIT:
        for edge in facts.supply:
            suppliers[edge.customer].append(edge.supplier)
    done: dict[int, SubjectVerdict] = {}
    for org in _supply_order(facts.organisations, suppliers):
        own = organisation_standing(policy.organisation_rule(org.tier), held[org.key], store,
                                    at, verified)
        parts = [own]
        if suppliers[org.key]:
            parts.append(_suppliers_part(suppliers[org.key], done, facts.known))
        done[org.key] = combine(SubjectKind.ORGANISATION, org.key, org.name, parts)
    return done


def _supply_order(orgs: Sequence[OrganisationFacts],
                  suppliers: Mapping[int, list[int]]) -> list[OrganisationFacts]:
    """``orgs`` with each after those of its suppliers that are among them."""
    by_key = {o.key: o for o in orgs}
    ordered: list[OrganisationFacts] = []
    placed: set[int] = set()
    for org in orgs:
        stack = [(org.key, iter(suppliers.get(org.key, ())))]
        while stack:
            key, pending = stack[-1]
            nxt = next(pending, None)
            if nxt is None:
                stack.pop()
                if key not in placed:
                    placed.add(key)
                    ordered.append(by_key[key])
            elif nxt in by_key and nxt not in placed:
                if any(k == nxt for k, _ in stack):
                    raise ValueError("supply relations form a cycle; check find_supply_cycle")
                stack.append((nxt, iter(suppliers.get(nxt, ()))))
    return ordered


def _suppliers_part(keys: Sequence[int], done: Mapping[int, SubjectVerdict],
                    known: Mapping[tuple[SubjectKind, int], KnownVerdict]) -> Part:
    found = [done.get(k) or known.get((SubjectKind.ORGANISATION, k)) for k in keys]
    present = [(v.name, v.verdict) for v in found if v is not None]
    missing = len(found) - len(present)
    reasons = [Message("trust_supplier_verdict", {"name": name, "verdict": verdict.value})
               for name, verdict in present if verdict is not Verdict.TRUSTED]
    if missing:
        reasons.append(Message("trust_suppliers_unevaluated", {"count": missing}))
    if not reasons:
        reasons.append(Message("trust_suppliers_trusted", {"count": len(present)}))
    verdicts = [v for _, v in present] + [Verdict.UNKNOWN] * missing
    return Part(worst(*verdicts), tuple(reasons), None)


def organisation_standing(rule: OrganisationRule | None, held: Sequence[HeldStarEvidence],
                          store: TrustStore, at: datetime,
                          verified: VerifiedSignatures | None = None) -> Part:
    """What an organisation's own ★ evidence says under ``rule``."""
    if rule is None:
        return Part(Verdict.TRUSTED, (Message("trust_org_no_rule", {}),), None)
    accepted: list[tuple[int, VerifiedEvidence]] = []
    refused: list[tuple[int, Refused]] = []
    for evidence in held:
        outcome = _verified(evidence, store, at, verified)
        if isinstance(outcome, Refused):
            refused.append((evidence.id, outcome))
        elif claimed_star(outcome.evidence) is not None:
            accepted.append((evidence.id, outcome))
    if accepted:
        return _accepted_standing(rule, accepted, at)
    if refused:
        reasons = tuple(Message("trust_evidence_refused", {"id": i, "why": r.message})
                        for i, r in refused)
        expired_only = all(r.reason is Refusal.EXPIRED for _, r in refused)
        return Part(Verdict.AT_RISK if expired_only else Verdict.UNTRUSTED, reasons, None)
    return Part(Verdict.UNKNOWN, (Message("trust_org_no_evidence", {"star": rule.star}),), None)


def _verified(evidence: HeldStarEvidence, store: TrustStore, at: datetime,
              verified: VerifiedSignatures | None) -> VerifiedEvidence | Refused:
    source = f"evidence {evidence.id}"
    try:
        envelope = read_envelope(evidence.envelope, source)
    except InputError as exc:  # kept verified, so only a damaged store gets here
        return unreadable(exc)
    return verify_evidence(envelope, store, at=at, source=source, verified=verified)


def _accepted_standing(rule: OrganisationRule, accepted: Sequence[tuple[int, VerifiedEvidence]],
                       at: datetime) -> Part:
    def star(item: tuple[int, VerifiedEvidence]) -> int:
        return claimed_star(item[1].evidence) or 0

    def issued(item: tuple[int, VerifiedEvidence]) -> datetime:
        return item[1].evidence.validity.issued_at

    meeting = [a for a in accepted if star(a) >= rule.star]
    fresh = [a for a in meeting if issued(a) >= at - rule.max_age]
    if fresh:
        best = max(fresh, key=issued)
        validity = best[1].evidence.validity
        until = min(validity.issued_at + rule.max_age, validity.expires_at)
        return Part(Verdict.TRUSTED, (_star_reason("trust_org_star_met", best, rule),), until)
    if meeting:
        best = max(meeting, key=issued)
        return Part(Verdict.AT_RISK, (_star_reason("trust_org_star_stale", best, rule),),
                    best[1].evidence.validity.expires_at)
    best = max(accepted, key=lambda a: (star(a), issued(a)))
    return Part(Verdict.UNTRUSTED, (_star_reason("trust_org_star_below", best, rule),),
                best[1].evidence.validity.expires_at)


def _star_reason(code: str, item: tuple[int, VerifiedEvidence],
                 rule: OrganisationRule) -> Message:
    evidence_id, verified = item
    return Message(code, {
        "id": evidence_id, "kind": verified.evidence.kind.value,
        "star": claimed_star(verified.evidence), "required": rule.star,
        "issued": stamp(verified.evidence.validity.issued_at),
        "days": rule.max_age.days, "signer": verified.signers[0].keyid[:16],
    })


def reasons_of(*messages: Message) -> Reasons:
    """At least one reason, as a verdict needs."""
    return (messages[0], *messages[1:])
