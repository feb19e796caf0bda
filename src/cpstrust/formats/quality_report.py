"""An SBOM's quality report (``sbom check``) as JSON: the same object wherever it is
written (``sbom check --format json``, a product's report), with the titles and what to
fix in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cpstrust.messages import Lang, Message, render
from cpstrust.model.sbom import PurlDisagreement

if TYPE_CHECKING:  # `scan` writes disagreements and needs no more of the quality model
    from cpstrust.model.quality import ElementResult, QualityReport


def quality_json(report: QualityReport, lang: Lang) -> dict[str, Any]:
    """Format, components judged, each framework with its score (percent, one decimal)
    and elements, and the purls that disagree with their components."""
    return {
        "format": report.format,
        "spec_version": report.spec_version,
        "components": report.components,
        "frameworks": [{
            "framework": f.framework,
            "title": _text(f"framework.{f.framework.value}", lang),
            "score": percent(f.score),
            "compliant": f.compliant,
            "provisional": f.provisional,
            "elements": [_element_json(e, lang) for e in f.elements],
        } for f in report.frameworks],
        "purl_disagreements": [disagreement_json(d) for d in report.disagreements],
    }


def percent(score: float) -> float:
    """A score from 0 to 1 as the percentage reports show: one decimal."""
    return round(100 * score, 1)


def _element_json(e: ElementResult, lang: Lang) -> dict[str, Any]:
    return {
        "element": e.element,
        "title": _text(f"quality.{e.element}", lang),
        "scope": e.scope,
        "required": e.required,
        "met": e.met,
        "applicable": e.applicable,
        "score": percent(e.score),
        "missing": list(e.missing),
        "fix": None if e.met == e.applicable else _text(f"quality_fix.{e.element}", lang),
    }


def disagreement_json(d: PurlDisagreement) -> dict[str, Any]:
    return {"component_ref": d.ref, "name": d.name, "purl": d.purl, "field": d.field,
            "component_value": d.component_value, "purl_value": d.purl_value}


def _text(code: str, lang: Lang) -> str:
    return render(Message(code), lang)
