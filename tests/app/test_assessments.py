"""Assessment use cases on the store (SQLite and PostgreSQL): answers from a file kept
whole or not at all, one answer at a time resumed, the report's scoring, the OSCAL
exports validated by trestle, and the signed assessment result verified."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from installations import NOW, SECRETS, file_key, row_counts, trusted
from trestle.oscal.assessment_results import AssessmentResults
from trestle.oscal.poam import PlanOfActionAndMilestones

from cpstrust.app import assessments
from cpstrust.app.assessment_report import (
    OscalExport,
    assessment_report,
    export_oscal,
    sign_result,
)
from cpstrust.app.assessments import GivenAnswer
from cpstrust.app.catalogs import profile_requirements
from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.dsse import read_envelope
from cpstrust.model.orgevidence import AssessmentResult, RequirementStatus, VerifiedEvidence
from cpstrust.model.trust import Role, TrustStore
from cpstrust.store.tables import AssessmentAnswerRow, AssessmentAttachmentRow, AssessmentRow
from cpstrust.trust.orgevidence import verify_evidence

ORG = "Hokuriku Controls"
STAR3 = "cpsf-star3"


def star3_labels(services: Services) -> list[str]:
    return [f.requirement.label for f in profile_requirements(services, STAR3).items]


def write_answers(path: Path, entries: list[str], header: str = "") -> Path:
    path.write_text(f"version: 1\n{header}answers:\n" + "".join(entries))
    return path


def entry(requirement: str, status: str = "met", extra: str = "") -> str:
    return f"  - requirement: {requirement}\n    status: {status}\n{extra}"


def all_met(services: Services, tmp_path: Path, but: dict[str, str] | None = None) -> Path:
    but = but or {}
    return write_answers(tmp_path / "answers.yaml", [
        entry(label, but.get(label, "met")) for label in star3_labels(services)])


def test_answers_from_a_file_are_kept_with_their_evidence_hashed(
        services: Services, tmp_path: Path) -> None:
    (tmp_path / "register.csv").write_bytes(b"asset,owner\nplc-1,ops\n")
    path = write_answers(tmp_path / "a.yaml", [
        entry("CPS.AM-1", extra="    note: reviewed\n    evidence: [register.csv]\n"),
        entry("cps.gv-1", "partially-met")], header=f"profile: {STAR3}\n")
    done = assessments.import_answers(services, ORG, STAR3, path, NOW)
    assert done.stored == 2
    state = done.state
    assert len(state.pending) == 13 and "CPS.AM-1" not in [q.label for q in state.pending]
    answer = state.answers["CPS.AM-1"]
    assert answer.note == "reviewed"
    (attached,) = answer.attachments
    assert attached.sha256 == hashlib.sha256(b"asset,owner\nplc-1,ops\n").hexdigest()
    assert attached.size == 22 and attached.path == str((tmp_path / "register.csv").resolve())
    assert state.answers["CPS.GV-1"].status is RequirementStatus.PARTIALLY_MET


@pytest.mark.parametrize(("entries", "code", "location"), [
    ([entry("CPS.XX-9")], "assess_unknown_requirement", "/answers/0"),
    ([entry("CPS.AM-1"), entry("cps.am-1")], "answers_duplicate_requirement", "/answers/1"),
    ([entry("CPS.AM-1", extra="    maturity: 3\n")], "assess_maturity_not_asked", "/answers/0"),
    ([entry("CPS.AM-1"), entry("CPS.GV-1", extra="    evidence: [missing.pdf]\n")],
     "assess_evidence_missing", "/answers/1"),
    ([entry("CPS.AM-1", "done")], "answers_bad_status", "/answers/0/status"),
])
def test_a_bad_answer_file_stores_nothing(services: Services, tmp_path: Path,
                                          entries: list[str], code: str,
                                          location: str) -> None:
    path = write_answers(tmp_path / "bad.yaml", entries)
    with pytest.raises(InputError) as caught:
        assessments.import_answers(services, ORG, STAR3, path, NOW)
    assert (caught.value.code, caught.value.source, caught.value.location) == (
        code, str(path), location)
    assert set(row_counts(services.store, AssessmentRow, AssessmentAnswerRow,
                          AssessmentAttachmentRow).values()) == {0}


def test_a_file_for_another_profile_or_organisation_is_refused(
        services: Services, tmp_path: Path) -> None:
    other_profile = write_answers(tmp_path / "p.yaml", [entry("CPS.AM-1")],
                                  header="profile: cpsf-star4\n")
    with pytest.raises(InputError, match="cpsf-star4"):
        assessments.import_answers(services, ORG, STAR3, other_profile, NOW)
    other_org = write_answers(tmp_path / "o.yaml", [entry("CPS.AM-1")],
                              header="organisation: Someone Else\n")
    with pytest.raises(InputError, match="Someone Else"):
        assessments.import_answers(services, ORG, STAR3, other_org, NOW)


def test_answers_given_one_by_one_are_kept_and_the_session_resumes(
        services: Services) -> None:
    state = assessments.open_assessment(services, ORG, "mgmt-guideline-v3", NOW)
    assert len(state.pending) == 10 and all(q.maturity for q in state.pending)
    assessments.answer(services, state, GivenAnswer("1", RequirementStatus.MET, "policy",
                                                    maturity=4), NOW)
    resumed = assessments.open_assessment(services, ORG, "mgmt-guideline-v3", NOW)
    assert [q.label for q in resumed.pending] == [str(i) for i in range(2, 11)]
    assert resumed.answers["1"].maturity == 4
    with pytest.raises(InputError):
        assessments.answer(services, resumed, GivenAnswer("CPS.AM-1", RequirementStatus.MET),
                           NOW)


def test_the_report_scores_the_star_level_gaps_plan_and_maturity(
        services: Services, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        assessment_report(services, ORG, NOW)
    assessments.import_answers(services, ORG, STAR3, all_met(
        services, tmp_path, {"CPS.RA-1": "not-met", "CPS.IP-9": "not-applicable"}), NOW)
    state = assessments.open_assessment(services, ORG, "mgmt-guideline-v3", NOW)
    assessments.answer(services, state, GivenAnswer("2", RequirementStatus.PARTIALLY_MET,
                                                    maturity=2), NOW)
    averages = tmp_path / "avg.csv"
    averages.write_text("item,average\n" + "".join(f"{i},2.5\n" for i in range(1, 11)))
    report = assessment_report(services, ORG, NOW, averages)
    star = report.score.star
    assert (star.attained, star.next_level) == (None, 3)
    assert [(g.requirement, g.status) for g in star.gaps] == [
        ("CPS.RA-1", RequirementStatus.NOT_MET)]
    assert report.score.counts[RequirementStatus.UNANSWERED] == 9  # nine items of ten
    assert [m.level for m in report.score.maturity][:3] == [None, 2, None]
    assert {m.average for m in report.score.maturity} == {2.5}
    assessments.import_answers(services, ORG, STAR3, all_met(services, tmp_path), NOW)
    # ★4 and ★5 select the same requirements as ★3 today: all three are attained.
    assert assessment_report(services, ORG, NOW).score.star.attained == 5


def test_averages_for_an_unknown_item_are_refused(services: Services, tmp_path: Path) -> None:
    assessments.open_assessment(services, ORG, STAR3, NOW)
    averages = tmp_path / "avg.yaml"
    averages.write_text("version: 1\naverages: {'11': 3}\n")
    with pytest.raises(InputError) as caught:
        assessment_report(services, ORG, NOW, averages)
    assert caught.value.code == "averages_unknown_item"
    assert caught.value.location == "/averages/11"


def test_oscal_exports_validate_with_trestle(services: Services, tmp_path: Path) -> None:
    assessments.import_answers(services, ORG, STAR3, all_met(
        services, tmp_path, {"CPS.RA-1": "not-met", "CPS.AM-1": "partially-met"}), NOW)
    results = AssessmentResults.model_validate(json.loads(export_oscal(
        services, ORG, OscalExport.ASSESSMENT_RESULTS, NOW))["assessment-results"])
    (result,) = results.results
    assert len(result.findings or []) == 15 and len(result.observations or []) == 15
    states = {f.title.split(":")[0]: f.target.status.state.value for f in result.findings or []}
    assert states["CPS.RA-1"] == "not-satisfied" and states["CPS.DS-1"] == "satisfied"
    poam = PlanOfActionAndMilestones.model_validate(json.loads(export_oscal(
        services, ORG, OscalExport.POAM, NOW))["plan-of-action-and-milestones"])
    assert [i.title.split(":")[0] for i in poam.poam_items] == ["CPS.AM-1", "CPS.RA-1"]
    assessments.import_answers(services, ORG, STAR3, all_met(services, tmp_path), NOW)
    with pytest.raises(NotFoundError):
        export_oscal(services, ORG, OscalExport.POAM, NOW)


def test_the_signed_result_verifies_against_the_catalogue_ids(
        services: Services, tmp_path: Path) -> None:
    key = file_key(services, "org")
    assessments.import_answers(services, ORG, STAR3, all_met(services, tmp_path), NOW)
    signed = sign_result(services, ORG, key="org", secrets=SECRETS, at=NOW)
    # ★4 and ★5 are attained too, but a result against the ★3 profile claims ★3 only.
    assert signed.result.profile == STAR3 and signed.result.star_level == 3
    assert set(signed.result.statuses) == set(star3_labels(services))
    store = TrustStore(version=1, issued_at=NOW,
                       keys=(trusted(key, Role.ORGANISATION, scopes=[ORG]),))
    verified = verify_evidence(read_envelope(signed.envelope, "signed"), store, at=NOW,
                               known_requirements=set(star3_labels(services)))
    assert isinstance(verified, VerifiedEvidence)
    assert isinstance(verified.evidence, AssessmentResult)
    assert verified.evidence.statuses == signed.result.statuses
