"""Reports as SARIF 2.1.0 logs, for CI systems and code hosts.

An SBOM has no source lines, so each result points at the SBOM file and names its
component as a logical location (its purl); ``partialFingerprints`` keep a result the
same result from run to run. A finding a VEX statement declares not affected or fixed
is kept, suppressed (``external``, accepted, with the statement as justification), as
SARIF asks of results a reviewer has dismissed. Levels: critical and high are errors,
medium a warning, the rest notes; ``security-severity`` carries a score for code hosts
that rank by it (the middle of the CVSS band of the severity).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import MatchStatus, VulnerabilityMatch
from cpstrust.model.licence import (
    ComponentLicences,
    Decision,
    LicenceConflict,
    LicenceReport,
    PolicyScope,
)
from cpstrust.model.vex import VexDecision, VexStatus

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning"}
_SCORE = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
          Severity.LOW: "2.0", Severity.NONE: "0.0", Severity.UNKNOWN: "0.0"}
_DISMISSED = frozenset({VexStatus.NOT_AFFECTED, VexStatus.FIXED})
_LICENCE_LEVEL = {Decision.DENY: "error", Decision.REVIEW: "warning"}


def vulnerability_log(matches: Sequence[VulnerabilityMatch],
                      decisions: Mapping[tuple[str, str], VexDecision], *, sbom: str,
                      version: str) -> bytes:
    """A SARIF log of a scan's findings, one rule per vulnerability."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for m in matches:
        rules.setdefault(m.vulnerability_id, _vulnerability_rule(m))
        results.append(_vulnerability_result(
            m, decisions.get((m.component_ref, m.vulnerability_id)), sbom))
    return _log("cpstrust scan", version, list(rules.values()), results)


def licence_log(report: LicenceReport, *, sbom: str, version: str) -> bytes:
    """A SARIF log of the components whose licence a policy denies or sends to review,
    and of the licence conflicts it names that meet in the product."""
    flagged = [c for c in report.components if c.decision in _LICENCE_LEVEL]
    rules = [{"id": f"licence/{d.value}", "name": f"Licence{d.value.title()}",
              "shortDescription": {"text": f"A licence the policy decides: {d.value}"},
              "defaultConfiguration": {"level": _LICENCE_LEVEL[d]}}
             for d in (Decision.DENY, Decision.REVIEW)]
    rules.append({"id": "licence/conflict", "name": "LicenceConflict",
                  "shortDescription": {"text": "Licences the policy keeps apart meet in one "
                                               "product"},
                  "defaultConfiguration": {"level": "warning"}})
    by_ref = {c.ref: c for c in report.components}
    return _log("cpstrust licenses check", version, rules,
                [*(_licence_result(c, sbom) for c in flagged),
                 *(_conflict_result(c, by_ref, sbom) for c in report.conflicts)])


def scope_json(scope: PolicyScope) -> dict[str, str | None]:
    """Which part of a licence policy decided, as every licence report writes it."""
    return {"kind": scope.kind.value, "name": scope.name}


def _conflict_result(conflict: LicenceConflict, by_ref: Mapping[str, ComponentLicences],
                     sbom: str) -> dict[str, Any]:
    first, second = conflict.rule.between
    sides = [by_ref[r] for r in (*conflict.first, *conflict.second)]
    reason = f" ({conflict.rule.reason})" if conflict.rule.reason else ""
    reason += f" [{conflict.rule.scope}]"
    return {
        "ruleId": "licence/conflict",
        "level": _LICENCE_LEVEL[conflict.rule.decision],
        "message": {"text": f"{first} ({', '.join(by_ref[r].name for r in conflict.first)}) "
                            f"with {second} ({', '.join(by_ref[r].name for r in conflict.second)})"
                            f" in one product{reason}."},
        "locations": [_location(sbom, c.name, c.purl or c.ref)
                      for c in dict.fromkeys(sides)],
        "partialFingerprints": {"cpstrust/v1": _fingerprint(first, second,
                                                            *sorted(c.ref for c in sides))},
        "properties": {"scope": scope_json(conflict.rule.scope)},
    }


def _log(name: str, version: str, rules: list[dict[str, Any]],
         results: list[dict[str, Any]]) -> bytes:
    return orjson.dumps({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": name, "version": version, "rules": rules}},
            "results": results,
        }],
    }, option=orjson.OPT_INDENT_2)


def _vulnerability_rule(m: VulnerabilityMatch) -> dict[str, Any]:
    text = m.summary or m.vulnerability_id
    return {
        "id": m.vulnerability_id,
        "shortDescription": {"text": text},
        "helpUri": f"https://osv.dev/vulnerability/{m.vulnerability_id}",
        "defaultConfiguration": {"level": _LEVEL.get(m.severity, "note")},
        "properties": {"security-severity": _SCORE[m.severity],
                       "tags": ["security", "vulnerability", *m.aliases]},
    }


def _vulnerability_result(m: VulnerabilityMatch, decision: VexDecision | None,
                          sbom: str) -> dict[str, Any]:
    fixed = f"; fixed in {', '.join(m.fixed_versions)}" if m.fixed_versions else ""
    undecided = (" (its version could not be compared with every range)"
                 if m.status is MatchStatus.NOT_COMPARED else "")
    result: dict[str, Any] = {
        "ruleId": m.vulnerability_id,
        "level": _LEVEL.get(m.severity, "note"),
        "message": {"text": f"{m.name} {m.version} is affected by {m.vulnerability_id}"
                            f"{undecided}{fixed}."},
        "locations": [_location(sbom, m.name, m.purl or m.component_ref)],
        "partialFingerprints": {"cpstrust/v1": _fingerprint(m.purl or m.component_ref,
                                                            m.vulnerability_id)},
        "properties": {"status": decision.status if decision else m.status,
                       "justification": decision.justification if decision else None},
    }
    if decision is not None and decision.status in _DISMISSED:
        reason = decision.justification or decision.impact or decision.status.value
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"VEX {decision.status.value}: {reason} "
                                                    f"({decision.source} {decision.place})"}]
    return result


def _licence_result(c: ComponentLicences, sbom: str) -> dict[str, Any]:
    deciding = [v for v in c.verdicts if v.decision is c.decision]
    rules = ", ".join(sorted({f"{v.rule} ({v.scope})" for v in deciding}))
    if c.missing_scope is not None:
        rules = f"missing ({c.missing_scope})"
    what = c.expression or "no licence"
    return {
        "ruleId": f"licence/{c.decision.value}",
        "level": _LICENCE_LEVEL[c.decision],
        "message": {"text": f"{c.name} {c.version or ''}: {what} is {c.decision.value}"
                            + (f" by {rules}" if rules else "") + "."},
        "locations": [_location(sbom, c.name, c.purl or c.ref)],
        "properties": {"scopes": [scope_json(s) for s in c.scopes]},
        "partialFingerprints": {"cpstrust/v1": _fingerprint(c.purl or c.ref, what)},
    }


def _location(sbom: str, name: str, qualified: str) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": sbom}},
            "logicalLocations": [{"name": name, "fullyQualifiedName": qualified,
                                  "kind": "module"}]}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
