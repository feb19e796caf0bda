"""An organisation's assessment report as JSON facts (``--format json``), which the HTML
report and the radar chart are rendered from, so that all say the same. Texts from the
catalogue (titles, questions) are in the reader's language where the catalogue has it;
keys and statuses stay English."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cpstrust.formats.radar_chart import RadarAxis
from cpstrust.messages import Lang
from cpstrust.model.assessment import AssessmentReport, Gap
from cpstrust.model.catalog import Requirement
from cpstrust.timeutil import as_utc


def assessment_report_json(report: AssessmentReport, lang: Lang) -> dict[str, Any]:
    """The report's facts, as ``assess report --format json`` prints them."""
    titles = {q.label: _title(q.requirement, lang) for q in report.questions}
    titles.update({r.label: _title(r, lang) for r in report.items})
    scored = report.score
    star = scored.star
    return {
        "organisation": report.organisation,
        "generated_at": iso_utc(report.generated_at),
        "assessments": [{"source": r.source, "started_at": iso_utc(r.started_at),
                         "updated_at": iso_utc(r.updated_at)} for r in report.runs],
        "summary": {s.value: n for s, n in scored.counts.items()},
        "star": {
            "attained": star.attained, "next": star.next_level,
            "levels": [{"level": lv, "required": star.required[lv],
                        "satisfied": star.satisfied[lv]} for lv in sorted(star.required)],
            "gaps": [_gap(g, titles) for g in star.gaps],
        },
        "requirements": [_requirement(report, q.catalog, q.requirement, lang)
                         for q in report.questions],
        "maturity": {
            "provisional": report.maturity_scale.provisional,
            "items": [{"item": m.item, "title": titles.get(m.item, m.item), "level": m.level,
                       "average": m.average} for m in scored.maturity],
        },
        "plan": [{"step": p.position, "action": p.action.value, **_gap(p.gap, titles)}
                 for p in scored.plan],
    }


def radar_axes(facts: dict[str, Any]) -> list[RadarAxis]:
    """The chart's axes from the report's facts: one per management guideline item."""
    return [RadarAxis(f"{m['item']}. {m['title']}", m["level"], m["average"])
            for m in facts["maturity"]["items"]]


def _requirement(report: AssessmentReport, catalog: str, requirement: Requirement,
                 lang: Lang) -> dict[str, Any]:
    answer = report.answers.get(requirement.label)
    statement = (requirement.statement_ja if lang is Lang.JA and requirement.statement_ja
                 else requirement.statement)
    return {
        "requirement": requirement.label, "id": requirement.id, "catalog": catalog,
        "title": _title(requirement, lang), "question": statement,
        "status": report.score.statuses[requirement.label].value,
        "note": answer.note if answer else None,
        "maturity": answer.maturity if answer else None,
        "evidence": [{"path": a.path, "sha256": a.sha256, "size": a.size}
                     for a in (answer.attachments if answer else ())],
        "levels": sorted(lv for lv, labels in report.levels.items()
                         if requirement.label in labels),
        "provisional": requirement.provisional,
    }


def _gap(gap: Gap, titles: dict[str, str]) -> dict[str, Any]:
    return {"requirement": gap.requirement, "title": titles.get(gap.requirement),
            "status": gap.status.value, "level": gap.level}


def iso_utc(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z``."""
    return as_utc(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _title(requirement: Requirement, lang: Lang) -> str:
    if lang is Lang.JA and requirement.title_ja:
        return requirement.title_ja
    return requirement.title
