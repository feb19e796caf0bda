"""The risk register and plan as JSON-ready data in the reader's language: what `risk
register|plan --format json` print and what the HTML page is rendered from."""

from __future__ import annotations

from typing import Any

from cpstrust.messages import Lang, Message
from cpstrust.model.risk import SCALE, Level, PlanItem, Risk, RiskRegister, Text, ZoneAssets


def _text(text: Text, lang: Lang) -> str:
    return text.ja if lang is Lang.JA else text.en


def heat_map(register: RiskRegister) -> list[list[int]]:
    """Counts of risks by [impact - 1][likelihood - 1]."""
    grid = [[0 for _ in SCALE] for _ in SCALE]
    for r in register.risks:
        grid[r.impact - 1][r.likelihood - 1] += 1
    return grid


def _head(register: RiskRegister) -> dict[str, Any]:
    return {"site": register.site, "kind": register.kind, "operator": register.operator,
            "at": register.at.isoformat()}


def register_json(register: RiskRegister, lang: Lang) -> dict[str, Any]:
    return {
        **_head(register),
        "summary": {level.value: sum(1 for r in register.risks if r.level is level)
                    for level in Level},
        "heat_map": heat_map(register),
        "zones": [_zone(z) for z in register.zones],
        "risks": [_risk(r, lang) for r in register.risks],
    }


def plan_json(register: RiskRegister, lang: Lang) -> dict[str, Any]:
    return {
        **_head(register),
        "zones": [z.name for z in register.zones],
        "plan": [{"rank": i, **_item(item, lang)} for i, item in enumerate(register.plan, 1)],
        "in_place": [_item(item, lang) for item in register.in_place],
    }


def _zone(zone: ZoneAssets) -> dict[str, Any]:
    return {"zone": zone.name, "criticality": zone.criticality,
            "devices": [{"name": d.name, "product": d.product, "version": d.version,
                         "supplier": d.supplier, "attestation": d.attestation}
                        for d in zone.devices],
            "open_vulnerabilities": len(zone.vulnerabilities),
            "open_ot_findings": len(zone.ot)}


def _risk(risk: Risk, lang: Lang) -> dict[str, Any]:
    t = risk.threat
    return {"zone": risk.zone, "threat": t.id, "title": _text(t.title, lang),
            "description": _text(t.description, lang), "techniques": list(t.techniques),
            "provisional": t.provisional, "likelihood": risk.likelihood,
            "impact": risk.impact, "score": risk.score, "level": risk.level.value,
            "reasons": [r.text(lang) for r in risk.reasons],
            "measures": [{"requirement": m.requirement, "lowers": m.lowers.value, "by": m.by}
                         for m in t.measures]}


def _item(item: PlanItem, lang: Lang) -> dict[str, Any]:
    r = item.requirement
    return {"requirement": r.label,
            "title": (r.title_ja or r.title) if lang is Lang.JA else r.title,
            "provisional": r.provisional, "state": item.state.value, "effort": item.effort,
            "reduction": item.reduction, "reduction_per_effort": item.per_effort,
            "addresses": [{"zone": a.zone, "threat": a.threat, "lowers": a.lowers.value,
                           "by": a.by, "reduction": a.reduction} for a in item.addresses]}


def zone_label(zone: str | None, lang: Lang) -> str:
    return zone if zone is not None else Message("risk_zone_none").text(lang)
