"""An OT incident's facts as JSON-ready data, in the reader's language: what
``incidents --format json`` and ``incidents show --format json`` print and what the HTML
page is rendered from. Times are given as epoch seconds (capture time) and ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cpstrust.messages import Lang, Message
from cpstrust.model.ot_detect import TECHNIQUE_NAMES
from cpstrust.model.ot_incident import Anomaly, Countermeasure, IncidentReport

SCORING = "severity_weight * breadth * applicability / effort"


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def incident_report_json(report: IncidentReport, lang: Lang) -> dict[str, Any]:
    incident, a = report.incident, report.incident.assessment
    return {
        "id": incident.id, "kind": incident.kind, "technique": incident.technique,
        "technique_name": TECHNIQUE_NAMES.get(incident.technique or ""),
        "basis": incident.basis.value, "status": incident.status.value,
        "severity": a.severity.label, "base_severity": a.base_severity.label,
        "severity_reasons": [r.text(lang) for r in a.reasons],
        "first_seen": a.first_seen, "last_seen": a.last_seen,
        "first_seen_iso": iso(a.first_seen), "last_seen_iso": iso(a.last_seen),
        "device_count": a.devices, "site_count": a.sites,
        "created_at": incident.created_at.isoformat(),
        "updated_at": incident.updated_at.isoformat(),
        "deidentified": report.deidentified,
        "findings": [_finding(f, lang) for f in report.anomalies],
        "devices": _devices(report),
        "releases": _releases(report),
        "vulnerabilities": [
            {"product": product, "version": version, "id": v.vulnerability_id,
             "severity": v.severity.label, "component": v.component,
             "component_version": v.component_version,
             "fixed_versions": list(v.fixed_versions)}
            for v in report.vulnerabilities
            for product, version in [_release_name(report, v.release_id)]],
        "attestations": [{"device": name, "verdict": att.verdict, "failed": att.failed,
                          "appraised_at": att.appraised_at.isoformat()}
                         for name, att in report.attestations],
        "plan": [_step(rank, step, report, lang) for rank, step in enumerate(report.plan, 1)],
        "scoring": SCORING,
    }


def _finding(f: Anomaly, lang: Lang) -> dict[str, Any]:
    return {"id": f"ot-{f.finding_id}", "key": f.key, "kind": f.kind, "technique": f.technique,
            "site": f.site, "device": f.device.name if f.device else None,
            "src": f.src, "dst": f.dst, "severity": f.severity.label,
            "explanation": Message(f.explanation, dict(f.facts)).text(lang),
            "count": f.count, "first_seen": f.first_seen, "last_seen": f.last_seen,
            "status": f.status}


def _devices(report: IncidentReport) -> list[dict[str, Any]]:
    seen = {a.device.device_id: a.device for a in report.anomalies if a.device}
    return [{"name": d.name, "site": d.site, "ip": d.ip, "mac": d.mac, "product": d.product,
             "version": d.version, "supplier": d.supplier}
            for d in sorted(seen.values(), key=lambda d: d.name)]


def _releases(report: IncidentReport) -> list[dict[str, Any]]:
    on: dict[tuple[str, str, str], list[str]] = {}
    for a in report.anomalies:
        if a.device is not None:
            names = on.setdefault((a.device.product, a.device.version, a.device.supplier), [])
            if a.device.name not in names:
                names.append(a.device.name)
    return [{"product": p, "version": v, "supplier": s, "devices": sorted(names)}
            for (p, v, s), names in sorted(on.items())]


def _release_name(report: IncidentReport, release_id: int) -> tuple[str, str]:
    for a in report.anomalies:
        if a.device is not None and a.device.release_id == release_id:
            return a.device.product, a.device.version
    return "", ""


def _step(rank: int, step: Countermeasure, report: IncidentReport, lang: Lang,
          ) -> dict[str, Any]:
    return {
        "rank": rank, "step": step.kind.value, "text": step.message.text(lang),
        "score": step.score, "severity_weight": step.severity_weight,
        "breadth": step.breadth, "applicability": step.applicability, "effort": step.effort,
        "requirements": [_requirement(label, report, lang) for label in step.requirements],
        "devices": list(step.devices), "sites": list(step.sites),
        "sources": list(step.sources),
        "release": ({"product": step.release[0], "version": step.release[1]}
                    if step.release else None),
        "fixes": [{"vulnerability": f.vulnerability_id, "severity": f.severity.label,
                   "component": f.component, "component_version": f.component_version,
                   "fixed_versions": list(f.fixed_versions)} for f in step.fixes],
    }


def _requirement(label: str, report: IncidentReport, lang: Lang) -> dict[str, Any]:
    title, title_ja, provisional = report.requirement_titles.get(label, (label, None, True))
    return {"id": label, "catalog": "cpsf",
            "title": (title_ja or title) if lang is Lang.JA else title,
            "provisional": provisional}
