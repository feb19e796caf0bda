"""What to do next about a subject that is not trusted, read from the reasons of its
verdict (``trust.policy*`` give each reason a code and the facts behind it). Pure.

Each step names the CPSF requirements it serves where one of the shipped catalogue's
fits: supplier evidence and signed SBOMs are supply-chain security requirements
(CPS.SC-1), a signer no longer trusted is a credential's lifecycle (CPS.AC-1), an open
vulnerability is the assets' vulnerabilities and timely updates (CPS.RA-1, CPS.MA-1), a
device that fails attestation calls for the incident response procedure (CPS.RP-1), and
a system without devices for the asset inventory (CPS.AM-1). Attesting a device again
serves none of the confirmed requirements, so it names none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cpstrust.messages import Message
from cpstrust.model.trustpolicy import SubjectKind, SubjectVerdict, Verdict
from cpstrust.model.trustreport import NextStep, StepKind

SUPPLY_CHAIN = ("CPS.SC-1",)
CREDENTIALS = ("CPS.AC-1",)
VULNERABILITIES = ("CPS.RA-1", "CPS.MA-1")
INCIDENT = ("CPS.RP-1",)
INVENTORY = ("CPS.AM-1",)
# The lowest ★ only an assessor's key may vouch for (model.orgevidence keeps the rule).
ASSESSED_STAR = 4
_WRONG_ROLE = frozenset({"evidence_star_needs_assessor", "evidence_wrong_signer_role"})
# Reasons that say the verdict comes from another subject: what to do is done there.
_UPSTREAM = frozenset({"trust_supplier_verdict", "trust_depends_on", "trust_newest_release",
                       "trust_system_tally"})


def next_steps(verdict: SubjectVerdict) -> tuple[NextStep, ...]:
    """The steps that would make ``verdict``'s subject trusted, in the order of its
    reasons, each once; none for a trusted subject."""
    if verdict.verdict is Verdict.TRUSTED:
        return ()
    steps: list[NextStep] = []
    for reason in verdict.reasons:
        for step in _steps_for(verdict, reason):
            if step not in steps:
                steps.append(step)
    return tuple(steps)


def _steps_for(verdict: SubjectVerdict, reason: Message) -> Iterable[NextStep]:
    rule = _RULES.get(reason.code)
    if rule is not None:
        return rule(verdict, reason)
    if reason.code in _UPSTREAM:
        return _upstream(verdict, reason)
    return ()


def _step(step: StepKind, requirements: tuple[str, ...], **facts: object) -> NextStep:
    return NextStep(step, Message(f"next_{step.value.replace('-', '_')}", facts), requirements)


def _no_evidence(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_star_evidence(verdict.name, _int(reason, "star"))]


def _star_evidence(organisation: str, star: int) -> NextStep:
    if star >= ASSESSED_STAR:
        return _step(StepKind.GET_ASSESSOR_ATTESTATION, SUPPLY_CHAIN,
                     organisation=organisation, star=star)
    return _step(StepKind.GET_STAR_EVIDENCE, SUPPLY_CHAIN, organisation=organisation, star=star)


def _stale(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.RENEW_EVIDENCE, SUPPLY_CHAIN, organisation=verdict.name,
                  id=reason.facts["id"])]


def _below(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    required = _int(reason, "required")
    if required >= ASSESSED_STAR:
        return [_star_evidence(verdict.name, required)]
    return [_step(StepKind.RAISE_STAR, SUPPLY_CHAIN, organisation=verdict.name, star=required)]


def _refused_evidence(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    why = reason.facts["why"]  # the verifier's refusal, a Message
    code = why.code if isinstance(why, Message) else ""
    evidence = reason.facts["id"]
    if code == "evidence_expired":
        return [_step(StepKind.RENEW_EVIDENCE, SUPPLY_CHAIN, organisation=verdict.name,
                      id=evidence)]
    replace = _step(StepKind.REPLACE_EVIDENCE, SUPPLY_CHAIN, organisation=verdict.name,
                    id=evidence, why=why)
    if code in _WRONG_ROLE and isinstance(why, Message):
        return [replace, _step(StepKind.GET_ASSESSOR_ATTESTATION, SUPPLY_CHAIN,
                               organisation=verdict.name,
                               star=_int(why, "star", ASSESSED_STAR))]
    return [replace]


def _unsigned(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.GET_SIGNED_SBOM, SUPPLY_CHAIN, release=verdict.name)]


def _signer_refused(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.RESIGN_RELEASE, CREDENTIALS, release=verdict.name,
                  id=reason.facts["id"], why=reason.facts["why"])]


def _attest(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.ATTEST_DEVICE, (), device=verdict.name)]


def _failed(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.INVESTIGATE_DEVICE, INCIDENT, device=verdict.name,
                  verdict=reason.facts["verdict"], id=reason.facts["id"])]


def _finding(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.FIX_VULNERABILITY, VULNERABILITIES,
                  vulnerability=reason.facts["vulnerability"],
                  severity=reason.facts["severity"], since=reason.facts["since"],
                  days=reason.facts["days"])]


def _no_devices(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    return [_step(StepKind.REGISTER_DEVICES, INVENTORY, system=verdict.name)]


def _upstream(verdict: SubjectVerdict, reason: Message) -> list[NextStep]:
    """A reason naming another subject that is not trusted: resolve that one first."""
    upstream = str(reason.facts["verdict"])
    if upstream == Verdict.TRUSTED.value:
        return []
    facts = reason.facts
    if reason.code == "trust_supplier_verdict":
        kind, name = SubjectKind.ORGANISATION.value, facts["name"]
    elif reason.code == "trust_newest_release":
        kind, name = SubjectKind.RELEASE.value, f"{verdict.name} {facts['version']}"
    elif reason.code == "trust_system_tally":
        kind, name = SubjectKind.DEVICE.value, facts["example"]
    else:
        kind, name = str(facts["kind"]), facts["name"]
    return [_step(StepKind.RESOLVE_UPSTREAM, (), kind=kind, name=name, verdict=upstream)]


def _int(message: Message, fact: str, default: int = 0) -> int:
    value = message.facts.get(fact)
    return value if isinstance(value, int) else default


_RULES: dict[str, Callable[[SubjectVerdict, Message], list[NextStep]]] = {
    "trust_org_no_evidence": _no_evidence,
    "trust_org_star_stale": _stale,
    "trust_org_star_below": _below,
    "trust_evidence_refused": _refused_evidence,
    "trust_release_unsigned": _unsigned,
    "trust_release_sbom_not_signed": _unsigned,
    "trust_release_signer_refused": _signer_refused,
    "trust_device_no_attestation": _attest,
    "trust_device_attestation_stale": _attest,
    "trust_device_attestation_failed": _failed,
    "trust_finding_open": _finding,
    "trust_finding_overdue": _finding,
    "trust_system_no_devices": _no_devices,
}
