"""A product's report (``cpstrust report --product``) as JSON: the facts the HTML report
shows too, so both say the same. Identifiers and statuses are written as codes; only
the quality elements carry titles, in the reader's language, as `sbom check` writes them.
"""

from __future__ import annotations

from typing import Any

from cpstrust.formats.quality_report import quality_json
from cpstrust.messages import Lang
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingStatus
from cpstrust.model.licence import ComponentLicences
from cpstrust.model.product_report import PathStep, ProductReport, ReportFinding

# Severities a report counts, worst first.
SEVERITIES = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.NONE,
              Severity.UNKNOWN)


def product_report_json(report: ProductReport, lang: Lang) -> dict[str, Any]:
    """The whole report as one JSON object."""
    names = {c.ref: c for c in report.components}
    return {
        "product": report.product,
        "supplier": report.supplier,
        "version": report.version,
        "releases": list(report.releases),
        "generated_at": report.generated_at.isoformat(),
        "sbom": {"format": report.sbom.format, "spec_version": report.sbom.spec_version,
                 "serial": report.sbom.serial, "sha256": report.sbom.sha256,
                 "source_name": report.sbom.source_name,
                 "received_at": report.sbom.received_at.isoformat()},
        "summary": _summary(report),
        "policy": report.policy,
        "components": [_component_json(c, with_decision=report.policy is not None)
                       for c in report.components],
        "conflicts": [{"between": list(c.rule.between), "decision": c.rule.decision,
                       "reason": c.rule.reason, "first": list(c.first),
                       "second": list(c.second)} for c in report.conflicts],
        "findings": [_finding_json(f, names.get(f.component_ref)) for f in report.findings],
        "roots": list(report.roots),
        "dependency_paths": [
            {"component_ref": ref,
             "path": None if path is None else [_step_json(s) for s in path]}
            for ref, path in report.paths.items()],
        "quality": quality_json(report.quality, lang),
    }


def _summary(report: ProductReport) -> dict[str, Any]:
    open_findings = [f for f in report.findings if f.status is FindingStatus.OPEN]
    return {
        "components": len(report.components),
        "file_entries": report.file_entries,
        "findings": len(report.findings),
        "open": len(open_findings),
        "open_by_severity": {s.label: sum(1 for f in open_findings if f.severity is s)
                             for s in SEVERITIES},
    }


def _component_json(c: ComponentLicences, *, with_decision: bool) -> dict[str, Any]:
    licences = [{"license": v.licence, "category": v.category,
                 **({"decision": v.decision} if with_decision else {})} for v in c.verdicts]
    return {
        "component_ref": c.ref, "name": c.name, "version": c.version, "purl": c.purl,
        "expression": c.expression, "licenses": licences, "problem": c.problem,
        "decision": c.decision if with_decision else None,
    }


def _finding_json(f: ReportFinding, component: ComponentLicences | None) -> dict[str, Any]:
    vex = f.vex
    return {
        "component_ref": f.component_ref,
        "name": component.name if component else None,
        "version": component.version if component else None,
        "purl": component.purl if component else None,
        "vulnerability_id": f.vulnerability_id,
        "aliases": list(f.aliases),
        "severity": f.severity.label,
        "summary": f.summary,
        "status": f.status,
        "version_compared": f.version_compared,
        "fixed_versions": list(f.fixed_versions),
        "decided_by": f.decided_by,
        "note": f.note,
        "vex": None if vex is None else {
            "status": vex.status, "justification": vex.justification,
            "document": vex.document, "document_id": vex.document_id,
            "statement": vex.statement},
    }


def _step_json(step: PathStep) -> dict[str, Any]:
    return {"ref": step.ref, "name": step.name, "version": step.version}
