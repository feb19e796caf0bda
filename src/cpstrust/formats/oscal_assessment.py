"""An organisation's assessment as OSCAL: assessment results (one result, a finding and an
observation per requirement asked) and a plan of action and milestones (one item per
gap, in the plan's order).

Each document is built as OSCAL JSON and then validated by compliance-trestle's model
before it is written, so that what is exported is what trestle accepts; trestle
(pydantic, ~0.4 s) is imported only then. cpstrust has no assessment plan or system
security plan: ``import-ap`` names the questionnaire's catalogue or profile, as the
remark says. Inner uuids are derived from the document's, so one export is consistent.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from cpstrust.formats.assessment_report import iso_utc
from cpstrust.formats.oscal import NS
from cpstrust.model.assessment import SATISFIED, Action, AssessmentReport, Question
from cpstrust.model.orgevidence import RequirementStatus

_ACTION_TEXT = {
    Action.ANSWER: "Answer the question: decide whether the measure is in place.",
    Action.COMPLETE: "Complete the measure, which is partly in place.",
    Action.IMPLEMENT: "Put the measure in place.",
}


def write_assessment_results(report: AssessmentReport, document: uuid.UUID) -> bytes:
    """OSCAL assessment-results JSON of the report, validated by trestle."""
    from trestle.oscal.assessment_results import AssessmentResults

    start = min(r.started_at for r in report.runs)
    end = max(r.updated_at for r in report.runs)
    result = {
        "uuid": str(_derived(document, "result")),
        "title": f"Assessment of {report.organisation}",
        "description": (f"Self-assessment of {report.organisation} against "
                        f"{_sources(report)}, answered in cpstrust."),
        "start": iso_utc(start), "end": iso_utc(end),
        "props": _star_props(report),
        "reviewed-controls": {"control-selections": [{"include-controls": [
            {"control-id": q.requirement.id} for q in report.questions]}]},
        "observations": [_observation(report, q, document, end) for q in report.questions],
        "findings": [_finding(report, q, document) for q in report.questions],
    }
    tree = {"uuid": str(document), "metadata": _metadata(report, "Assessment results"),
            "import-ap": {"href": f"#{_sources(report)}",
                          "remarks": "No separate assessment plan: the questionnaire was "
                                     f"generated from {_sources(report)}."},
            "results": [result]}
    return AssessmentResults.model_validate(tree).oscal_serialize_json_bytes(pretty=True)


def write_poam(report: AssessmentReport, document: uuid.UUID) -> bytes:
    """OSCAL plan-of-action-and-milestones JSON: one item per gap, the plan's order
    kept in the ``priority`` prop. ``ValueError`` when there is no gap (OSCAL needs
    one item at least; the caller says so first)."""
    from trestle.oscal.poam import PlanOfActionAndMilestones

    if not report.score.plan:
        raise ValueError("a POA&M needs a gap")
    titles = {q.label: q.requirement for q in report.questions}
    items = []
    for step in report.score.plan:
        gap = step.gap
        requirement = titles.get(gap.requirement)
        title = requirement.title if requirement else gap.requirement
        items.append({
            "uuid": str(_derived(document, f"poam-item/{gap.requirement}")),
            "title": f"{gap.requirement}: {title}",
            "description": _ACTION_TEXT[step.action],
            "props": [_prop("priority", str(step.position)), _prop("star-level", str(gap.level)),
                      _prop("status", gap.status.value), _prop("action", step.action.value)],
            "remarks": f"Blocks ★{gap.level} of the supply-chain security rating."})
    tree = {"uuid": str(document), "metadata": _metadata(report, "Plan of action"),
            "poam-items": items}
    return PlanOfActionAndMilestones.model_validate(tree).oscal_serialize_json_bytes(
        pretty=True)


def _metadata(report: AssessmentReport, what: str) -> dict[str, Any]:
    from trestle.oscal import OSCAL_VERSION

    return {"title": f"{what}: {report.organisation}",
            "last-modified": iso_utc(report.generated_at), "version": "1",
            "oscal-version": OSCAL_VERSION,
            "props": [_prop("organisation", report.organisation)]}


def _sources(report: AssessmentReport) -> str:
    return ", ".join(r.source for r in report.runs)


def _star_props(report: AssessmentReport) -> list[dict[str, Any]]:
    star = report.score.star
    props = []
    if star.attained is not None:
        props.append(_prop("star-level", str(star.attained)))
    if star.next_level is not None:
        props.append(_prop("next-star-level", str(star.next_level)))
    return props


def _observation(report: AssessmentReport, question: Question, document: uuid.UUID,
                 collected: datetime) -> dict[str, Any]:
    answer = report.answers.get(question.label)
    status = report.score.statuses[question.label]
    observation: dict[str, Any] = {
        "uuid": str(_derived(document, f"observation/{question.label}")),
        "title": f"{question.label}: {question.requirement.title}",
        "description": answer.note if answer and answer.note else f"Answered {status.value}.",
        "methods": ["EXAMINE" if answer and answer.attachments else "INTERVIEW"],
        "collected": iso_utc(collected),
        "props": [_prop("status", status.value)],
    }
    if answer and answer.maturity is not None:
        observation["props"].append(_prop("maturity-level", str(answer.maturity)))
    if answer and answer.attachments:
        observation["relevant-evidence"] = [
            {"href": f"file://{a.path}" if a.path.startswith("/") else a.path,
             "description": f"{a.path} ({a.size} bytes)",
             "props": [_prop("sha256", a.sha256)]} for a in answer.attachments]
    return observation


def _finding(report: AssessmentReport, question: Question,
             document: uuid.UUID) -> dict[str, Any]:
    status = report.score.statuses[question.label]
    state = "satisfied" if status in SATISFIED else "not-satisfied"
    reason = "other" if status is RequirementStatus.UNANSWERED else (
        "pass" if state == "satisfied" else "fail")
    return {
        "uuid": str(_derived(document, f"finding/{question.label}")),
        "title": f"{question.label}: {question.requirement.title}",
        "description": f"{question.label} is {status.value}.",
        "target": {"type": "objective-id", "target-id": f"{question.requirement.id}_obj",
                   "status": {"state": state, "reason": reason},
                   "props": [_prop("status", status.value)]},
        "related-observations": [
            {"observation-uuid": str(_derived(document, f"observation/{question.label}"))}],
    }


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": value}


def _derived(document: uuid.UUID, what: str) -> uuid.UUID:
    return uuid.uuid5(document, what)
