"""The trust report on the bundled demo, on SQLite and PostgreSQL: every verdict kind
appears, each with its reasons; the suppliers' evidence tells expired from wrong signer
role; each subject that is not trusted gets next steps tied to CPSF requirements; the
graph's edges join subjects that have verdicts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cpstrust.app.demo import demo_policy, load_demo
from cpstrust.app.services import Services
from cpstrust.app.trustreport import trust_report
from cpstrust.model.trustpolicy import SubjectKind, Verdict
from cpstrust.model.trustreport import Relation, StepKind, TrustReport

NOW = datetime.now(UTC)


@pytest.fixture
def report(services: Services) -> TrustReport:
    load_demo(services, NOW)
    return trust_report(services, demo_policy(), NOW)


def _by_name(report: TrustReport) -> dict[tuple[SubjectKind, str], tuple[Verdict, list[str],
                                                                         list[StepKind]]]:
    return {(s.verdict.kind, s.verdict.name): (s.verdict.verdict,
                                               [str(r) for r in s.verdict.reasons],
                                               [step.kind for step in s.steps])
            for s in report.subjects}


def test_the_demo_shows_every_verdict_kind_with_its_reasons(report: TrustReport) -> None:
    assert {s.verdict.verdict for s in report.subjects} == set(Verdict)
    for kind in (SubjectKind.ORGANISATION, SubjectKind.PRODUCT, SubjectKind.RELEASE,
                 SubjectKind.DEVICE):
        seen = {s.verdict.verdict for s in report.subjects if s.verdict.kind is kind}
        assert {Verdict.TRUSTED, Verdict.UNTRUSTED} <= seen, kind
    assert report.untrusted > 0
    assert all(s.verdict.reasons for s in report.subjects)


def test_suppliers_evidence_is_told_apart(report: TrustReport) -> None:
    found = _by_name(report)
    setouchi = found[(SubjectKind.ORGANISATION, "Setouchi Sensors")]
    assert setouchi[0] is Verdict.TRUSTED and "meets ★3" in setouchi[1][0]
    hokuriku = found[(SubjectKind.ORGANISATION, "Hokuriku Controls")]
    assert hokuriku[0] is Verdict.TRUSTED and "★4 by star-attestation" in hokuriku[1][0]
    verdict, reasons, steps = found[(SubjectKind.ORGANISATION, "Minato Building Systems")]
    assert verdict is Verdict.UNTRUSTED
    assert any("expired" in r for r in reasons)
    assert any("counts only when signed by an assessor's key" in r for r in reasons)
    assert sorted(steps) == sorted([StepKind.REPLACE_EVIDENCE,
                                    StepKind.GET_ASSESSOR_ATTESTATION, StepKind.RENEW_EVIDENCE])


def test_devices_are_attested_and_their_findings_named(report: TrustReport) -> None:
    found = _by_name(report)
    assert found[(SubjectKind.DEVICE, "hub-press1")][0] is Verdict.TRUSTED
    weld = found[(SubjectKind.DEVICE, "hub-weld2")]
    assert weld[0] is Verdict.UNTRUSTED and StepKind.INVESTIGATE_DEVICE in weld[2]
    line1 = found[(SubjectKind.DEVICE, "gw-line1")]
    assert line1[0] is Verdict.AT_RISK
    assert StepKind.FIX_VULNERABILITY in line1[2] and StepKind.ATTEST_DEVICE in line1[2]
    gateway = found[(SubjectKind.RELEASE, "HC-Gateway 3.4.0")]
    assert gateway[0] is Verdict.UNKNOWN and gateway[2] == [StepKind.GET_SIGNED_SBOM,
                                                            StepKind.RESOLVE_UPSTREAM]


def test_steps_name_cpsf_requirements_of_the_shipped_catalogue(report: TrustReport) -> None:
    named = {label for s in report.subjects for step in s.steps for label in step.requirements}
    assert {"CPS.SC-1", "CPS.RA-1", "CPS.MA-1", "CPS.RP-1"} <= named
    assert set(report.requirements) == named
    assert report.requirements["CPS.SC-1"].title
    assert all(not s.steps for s in report.subjects if s.verdict.verdict is Verdict.TRUSTED)


def test_edges_join_the_tiers(report: TrustReport) -> None:
    refs = {s.ref for s in report.subjects}
    assert all(e.source in refs and e.target in refs for e in report.edges)
    relations = {e.relation for e in report.edges}
    assert relations == set(Relation)
    names = {s.ref: s.verdict.name for s in report.subjects}
    assert ("Setouchi Sensors", "Hokuriku Controls") in {
        (names[e.source], names[e.target]) for e in report.edges
        if e.relation is Relation.SUPPLIES}
