"""The trust report's facts as JSON-ready data, in the reader's language: what ``trust
report --format json`` prints and what the HTML page is rendered from, so both say the
same. A subject is named as ``trust evaluate`` names it: ``kind`` and ``id`` (its name,
unique within its kind); edges name their ends the same way."""

from __future__ import annotations

from typing import Any

from cpstrust.messages import Lang
from cpstrust.model.trustreport import (
    TIERS,
    VERDICT_ORDER,
    ReportedSubject,
    SubjectRef,
    TrustReport,
)


def ordered_subjects(report: TrustReport) -> list[ReportedSubject]:
    """By tier (organisations first), worst verdict first, then by name."""
    return sorted(report.subjects, key=lambda s: (
        TIERS.index(s.verdict.kind), VERDICT_ORDER.index(s.verdict.verdict), s.verdict.name))


def trust_report_json(report: TrustReport, lang: Lang) -> dict[str, Any]:
    names = {s.ref: s.verdict.name for s in report.subjects}

    def end(ref: SubjectRef) -> dict[str, str]:
        return {"kind": ref.kind.value, "id": names[ref]}

    return {
        "policy": report.policy,
        "evaluated_at": report.evaluated_at.isoformat(),
        "counts": {kind.value: {verdict.value: n for verdict, n in by_verdict.items()}
                   for kind, by_verdict in report.counts().items()},
        "untrusted": report.untrusted,
        "subjects": [_subject(s, lang) for s in ordered_subjects(report)],
        "edges": [{"source": end(e.source), "target": end(e.target),
                   "relation": e.relation.value} for e in report.edges],
        "requirements": [
            {"id": label, "catalog": "cpsf",
             "title": (r.title_ja or r.title) if lang is Lang.JA else r.title,
             "provisional": r.provisional is not None}
            for label, r in report.requirements.items()],
    }


def _subject(subject: ReportedSubject, lang: Lang) -> dict[str, Any]:
    v = subject.verdict
    return {
        "kind": v.kind.value, "id": v.name, "verdict": v.verdict.value,
        "reasons": [r.text(lang) for r in v.reasons],
        "valid_until": v.valid_until.isoformat() if v.valid_until else None,
        "next_steps": [{"step": s.kind.value, "text": s.message.text(lang),
                        "requirements": list(s.requirements)} for s in subject.steps],
    }
