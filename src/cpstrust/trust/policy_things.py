"""The trust-policy engine for things and systems: products, releases, devices, and the
sites and zones they are in. A product is no more trusted than its supplier and the
signer of its newest release; a release no more than its product; a device no more than
the release it runs; a system no more than its devices.

Signed releases were verified by the one verifier when ``release import`` kept them;
here their signers' keys are checked again against the trust store at the time asked
(revoked, expired, out of role or scope: ``trust.verify.key_problem``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from cpstrust.errors import InputError
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.intoto import read_statement
from cpstrust.formats.slsa import read_provenance
from cpstrust.messages import Message
from cpstrust.model.trust import Refusal, Refused, Role, TrustedKey, TrustStore
from cpstrust.model.trustfacts import ReleaseFacts, SignedReleaseEvidence, TrustFacts
from cpstrust.model.trustpolicy import (
    SubjectKind,
    SubjectVerdict,
    TrustPolicy,
    Verdict,
)
from cpstrust.trust.policy import Part, combine
from cpstrust.trust.verify import key_problem, out_of_scope

NO_RULE = Part(Verdict.TRUSTED, (Message("trust_no_rule", {}),), None)


def evaluate_products(facts: TrustFacts, policy: TrustPolicy, store: TrustStore,
                      at: datetime, orgs: Mapping[int, SubjectVerdict]) -> list[SubjectVerdict]:
    """Products and their releases in ``facts``; ``orgs`` are the organisations' verdicts
    (those not in it are read from ``facts.known``)."""
    signed: dict[int, list[SignedReleaseEvidence]] = defaultdict(list)
    for evidence in facts.signed_releases:
        signed[evidence.release].append(evidence)
    releases: dict[int, list[ReleaseFacts]] = defaultdict(list)
    for release in facts.releases:
        releases[release.product].append(release)
    out: list[SubjectVerdict] = []
    suppliers: dict[int, Part] = {}  # ten products a supplier: its part built once
    signers = _Signers(store, at)
    for product in facts.products:
        mine = releases.get(product.key, ())
        own = {r.key: _release_standing(policy, product.name, signed.get(r.key, ()), signers)
               for r in mine}
        supplier = suppliers.get(product.supplier)
        if supplier is None:
            supplier = suppliers[product.supplier] = dependency(
                SubjectKind.ORGANISATION, product.supplier, orgs, facts)
        parts = [supplier]
        if own:
            newest = mine[0] if len(mine) == 1 else max(mine, key=lambda r: r.key)
            newest_verdict = own[newest.key].verdict
            parts.append(Part(newest_verdict, (Message("trust_newest_release", {
                "version": newest.version, "verdict": _TEXT[newest_verdict]}),), None))
        verdict = combine(SubjectKind.PRODUCT, product.key, product.name, parts)
        out.append(verdict)
        as_dependency = _as_dependency(verdict)
        for r in mine:
            out.append(combine(SubjectKind.RELEASE, r.key, f"{product.name} {r.version}",
                               [own[r.key], as_dependency]))
    return out


class _Signers:
    """The trust store's word on each release signer at the time asked, looked up once
    per key: a few keys sign a hundred thousand releases."""

    def __init__(self, store: TrustStore, at: datetime) -> None:
        self._store, self._at = store, at
        self._checked: dict[str, tuple[TrustedKey | None, Refused | None]] = {}

    def check(self, keyid: str) -> tuple[TrustedKey | None, Refused | None]:
        """The key held for ``keyid`` (None if none) and why it may not sign a release
        now, scope aside (None if it may)."""
        found = self._checked.get(keyid)
        if found is None:
            key = self._store.key(keyid)
            found = self._checked[keyid] = (
                key, None if key is None else key_problem(key, Role.RELEASE_SIGNER, self._at))
        return found


def _release_standing(policy: TrustPolicy, product: str,
                      signed: Sequence[SignedReleaseEvidence], signers: _Signers) -> Part:
    if not policy.signed_sbom:
        return NO_RULE
    if not signed:
        return Part(Verdict.UNKNOWN, (Message("trust_release_unsigned", {}),), None)
    refusals: list[Message] = []
    without_sbom: list[Message] = []
    for evidence in signed if len(signed) == 1 else sorted(signed, key=lambda e: -e.id):
        signer = _signer_standing(evidence, product, signers)
        if isinstance(signer, Refused):
            refusals.append(Message("trust_release_signer_refused",
                                    {"id": evidence.id, "why": signer.message}))
            continue
        keyid, until = signer
        sbom = _signed_sbom(evidence)
        if sbom is not None and sbom in evidence.stored_sboms:
            return Part(Verdict.TRUSTED, (Message("trust_release_signed_sbom", {
                "id": evidence.id, "signer": keyid[:16]}),), until)
        without_sbom.append(Message("trust_release_sbom_not_signed", {"id": evidence.id}))
    if without_sbom:
        return Part(Verdict.AT_RISK, tuple(without_sbom), None)
    return Part(Verdict.UNTRUSTED, tuple(refusals), None)


def _signer_standing(evidence: SignedReleaseEvidence, product: str,
                     signers: _Signers) -> tuple[str, datetime | None] | Refused:
    """A signer of the release still trusted to sign ``product`` (its keyid, and when
    its key expires), or why none is."""
    refusal: Refused | None = None
    for keyid in evidence.signer_keyids:
        key, problem = signers.check(keyid)
        if key is None:
            refusal = Refused(Refusal.UNTRUSTED_SIGNER, "trust_signer_not_held", keyid=keyid[:16])
            continue
        problem = problem or (out_of_scope([key], product) if key.scopes else None)
        if problem is None:
            return keyid, key.not_after
        refusal = problem
    if refusal is None:  # kept evidence always names its signers
        return Refused(Refusal.UNTRUSTED_SIGNER, "trust_signer_not_held", keyid="?")
    return refusal


def _signed_sbom(evidence: SignedReleaseEvidence) -> str | None:
    """The SHA-256 of the SBOM the release signed (None when it names none)."""
    if evidence.envelope is None:
        return evidence.signed_sbom
    source = f"evidence {evidence.id}"
    try:
        statement = read_statement(read_envelope(evidence.envelope, source).payload, source)
        sbom = read_provenance(dict(statement.predicate), source).sbom
    except InputError:  # kept verified, so only a damaged store gets here
        return None
    return None if sbom is None else sbom.digest.get("sha256")


def dependency(kind: SubjectKind, key: int, done: Mapping[int, SubjectVerdict],
                facts: TrustFacts) -> Part:
    found = done.get(key)
    if found is not None:
        return _as_dependency(found)
    known = facts.known.get((kind, key))
    if known is None:
        return Part(Verdict.UNKNOWN, (Message("trust_dependency_unevaluated",
                                              {"kind": kind.value}),), None)
    return Part(known.verdict, (Message("trust_depends_on", {
        "kind": kind.value, "name": known.name, "verdict": known.verdict.value}),), None)


def _as_dependency(verdict: SubjectVerdict) -> Part:
    return Part(verdict.verdict, (Message("trust_depends_on", {
        "kind": _TEXT[verdict.kind], "name": verdict.name, "verdict": _TEXT[verdict.verdict]}),),
        None)


# Kinds and verdicts as the plain text facts hold: two per product and release, and
# an enum's ``value`` is a Python-level descriptor.
_TEXT: dict[SubjectKind | Verdict, str] = {e: e.value for e in (*SubjectKind, *Verdict)}
