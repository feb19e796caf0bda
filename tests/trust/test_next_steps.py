"""What to do next, read from a verdict's reasons: none for a trusted subject; expired
evidence is renewed, a ★4 claim under the wrong role is replaced by an assessor's
attestation, a failed attestation investigated, an open vulnerability fixed; a verdict
that follows from another subject points there; every step has its text in both
languages."""

from __future__ import annotations

import pytest

from cpstrust.messages import Message, catalogue
from cpstrust.model.trustpolicy import SubjectKind, SubjectVerdict, Verdict
from cpstrust.model.trustreport import StepKind
from cpstrust.trust.next_steps import next_steps


def _steps(kind: SubjectKind, verdict: Verdict, *reasons: Message) -> list[StepKind]:
    return [s.kind for s in next_steps(SubjectVerdict(kind, 1, "X", verdict,
                                                      (reasons[0], *reasons[1:]), None))]


def _refused(code: str, **facts: object) -> Message:
    return Message("trust_evidence_refused", {"id": 5, "why": Message(code, facts)})


def test_a_trusted_subject_needs_nothing() -> None:
    assert _steps(SubjectKind.ORGANISATION, Verdict.TRUSTED,
                  Message("trust_org_no_evidence", {"star": 3})) == []


def test_organisation_evidence_steps_follow_the_refusal() -> None:
    org = SubjectKind.ORGANISATION
    assert _steps(org, Verdict.AT_RISK, _refused("evidence_expired", date="2026-01-01")) == [
        StepKind.RENEW_EVIDENCE]
    assert _steps(org, Verdict.UNTRUSTED, _refused(
        "evidence_star_needs_assessor", star=5, keyid="k", roles="organisation")) == [
        StepKind.REPLACE_EVIDENCE, StepKind.GET_ASSESSOR_ATTESTATION]
    assert _steps(org, Verdict.UNTRUSTED, _refused("verify_bad_signature")) == [
        StepKind.REPLACE_EVIDENCE]
    assert _steps(org, Verdict.UNKNOWN, Message("trust_org_no_evidence", {"star": 4})) == [
        StepKind.GET_ASSESSOR_ATTESTATION]
    assert _steps(org, Verdict.UNKNOWN, Message("trust_org_no_evidence", {"star": 3})) == [
        StepKind.GET_STAR_EVIDENCE]
    below = {"id": 1, "kind": "star-declaration", "star": 2, "required": 3,
             "issued": "2026-01-01 00:00", "days": 365, "signer": "k"}
    assert _steps(org, Verdict.UNTRUSTED, Message("trust_org_star_below", below)) == [
        StepKind.RAISE_STAR]


def test_device_steps_and_a_verdict_that_follows_from_another() -> None:
    failed = Message("trust_device_attestation_failed",
                     {"id": 3, "verdict": "MODIFIED", "at": "t", "hours": 24})
    finding = Message("trust_finding_overdue", {
        "id": 8, "vulnerability": "CVE-2024-1", "severity": "critical", "since": "t",
        "days": 30, "count": 1})
    upstream = Message("trust_depends_on", {"kind": "release", "name": "P 1",
                                            "verdict": "at_risk"})
    trusted = Message("trust_depends_on", {"kind": "release", "name": "P 2",
                                           "verdict": "trusted"})
    steps = next_steps(SubjectVerdict(SubjectKind.DEVICE, 1, "plc-01", Verdict.UNTRUSTED,
                                      (upstream, trusted, failed, finding, finding), None))
    assert [s.kind for s in steps] == [StepKind.RESOLVE_UPSTREAM, StepKind.INVESTIGATE_DEVICE,
                                       StepKind.FIX_VULNERABILITY]  # each once
    assert steps[1].requirements == ("CPS.RP-1",)
    assert steps[2].requirements == ("CPS.RA-1", "CPS.MA-1")
    assert "release P 1" in steps[0].message.text()


@pytest.mark.parametrize("step", list(StepKind))
def test_every_step_has_its_text_in_english_and_japanese(step: StepKind) -> None:
    english, japanese = catalogue()[f"next_{step.value.replace('-', '_')}"]
    assert english and japanese and english != japanese
