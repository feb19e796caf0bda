"""An OT incident as a STIX 2.1 bundle, for sharing with other organisations.

What is in it: the ATT&CK for ICS technique as an ``attack-pattern``; an ``indicator``
whose pattern names the addresses of the anomalous traffic; per finding the traffic as
``observed-data`` (``network-traffic`` and address SCOs) and a ``sighting`` of the
indicator (of the attack pattern when no address is known) where the site's monitor saw
it, with its count and time span; each affected device as ``infrastructure``
(``control-system``), with the open ``vulnerability`` objects of its release (``has``);
each step of the plan as a ``course-of-action`` (rank and score in its description, CPSF
requirements as external references) that ``mitigates`` the attack pattern or the
indicator, and a patch ``remediates`` the vulnerabilities; a ``report`` holds it all.

Identifiers are deterministic (UUIDv5), so exporting the same incident again writes
the same bytes: SDOs and SROs from the incident's number and creation time (two stores'
incident 1 do not collide), the technique and vulnerabilities from their ids alone (the
same in every share, so a recipient can join them), SCOs as STIX 2.1 prescribes (its
namespace, over the ID contributing properties). Timestamps are the incident's creation
and last change, and the capture times of the findings.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson

from cpstrust.messages import Lang, Message
from cpstrust.model.ot_detect import TECHNIQUE_NAMES
from cpstrust.model.ot_incident import (
    Anomaly,
    Countermeasure,
    IncidentReport,
    OpenVulnerability,
    StepKind,
)

SCO_NAMESPACE = UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")  # STIX 2.1, 2.9
NAMESPACE = uuid5(NAMESPACE_URL, "https://cpstrust.dev/stix/ot-incident")
SPEC = "2.1"


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _epoch(seconds: float) -> str:
    return _timestamp(datetime.fromtimestamp(seconds, UTC))


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class _Bundle:
    """Objects in the order they are added, each once."""

    def __init__(self, report: IncidentReport, lang: Lang) -> None:
        incident = report.incident
        self.report, self.lang = report, lang
        mode = "deidentified" if report.deidentified else "named"
        self.seed = f"{incident.id}|{incident.created_at.isoformat()}|{mode}"
        self.created = _timestamp(incident.created_at)
        self.modified = _timestamp(max(incident.updated_at, incident.created_at))
        self.objects: dict[str, dict[str, Any]] = {}
        self.producer = self.sdo("identity", "producer", name="cpstrust",
                                 identity_class="system")

    def local_id(self, kind: str, local: str) -> str:
        return f"{kind}--{uuid5(NAMESPACE, f'{self.seed}|{kind}|{local}')}"

    def add(self, obj: dict[str, Any]) -> str:
        self.objects.setdefault(obj["id"], obj)
        return str(obj["id"])

    def sdo(self, kind: str, local: str, *, shared: bool = False, **fields: Any) -> str:
        oid = (f"{kind}--{uuid5(NAMESPACE, f'{kind}|{local}')}" if shared
               else self.local_id(kind, local))
        common: dict[str, Any] = {"type": kind, "spec_version": SPEC, "id": oid,
                                  "created": self.created, "modified": self.modified}
        if kind != "identity" or local != "producer":
            common["created_by_ref"] = self.producer
        return self.add({**common, **fields})

    def relationship(self, source: str, kind: str, target: str) -> str:
        return self.sdo("relationship", f"{source}|{kind}|{target}", relationship_type=kind,
                        source_ref=source, target_ref=target)

    def sco(self, kind: str, **fields: Any) -> str:
        contributing = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS).decode()
        oid = f"{kind}--{uuid5(SCO_NAMESPACE, contributing)}"
        return self.add({"type": kind, "spec_version": SPEC, "id": oid, **fields})


def write_incident_stix(report: IncidentReport, lang: Lang = Lang.EN) -> dict[str, Any]:
    """The incident as a STIX 2.1 bundle (a dict; ``formats.stix_schema`` checks it)."""
    b = _Bundle(report, lang)
    incident = report.incident
    pattern = _attack_pattern(b)
    indicator = _indicator(b)
    if pattern and indicator:
        b.relationship(indicator, "indicates", pattern)
    sighted = indicator or pattern
    devices = _infrastructure(b)
    if sighted:
        for anomaly in report.anomalies:
            _sighting(b, anomaly, sighted)
        for infrastructure in devices.values():
            b.relationship(sighted, "related-to", infrastructure)
    for rank, step in enumerate(report.plan, 1):
        _course_of_action(b, rank, step, pattern or indicator)
    refs = [oid for oid in b.objects if oid != b.producer]
    a = incident.assessment
    b.sdo("report", "incident", report_types=["threat-report"],
          published=b.modified,
          name=f"OT incident {incident.id}: {incident.kind} on {a.devices} devices "
               f"at {a.sites} sites",
          description="; ".join(r.text(lang) for r in a.reasons) or incident.kind,
          object_refs=refs)
    bundle_id = f"bundle--{uuid5(NAMESPACE, f'{b.seed}|bundle')}"
    return {"type": "bundle", "id": bundle_id, "objects": list(b.objects.values())}


def _attack_pattern(b: _Bundle) -> str | None:
    technique = b.report.incident.technique
    if technique is None:
        return None
    return b.sdo("attack-pattern", technique, shared=True,
                 name=TECHNIQUE_NAMES.get(technique, technique),
                 external_references=[{
                     "source_name": "mitre-ics-attack", "external_id": technique,
                     "url": f"https://attack.mitre.org/techniques/{technique}/"}])


def _comparisons(a: Anomaly) -> str | None:
    parts = [f"network-traffic:{end}_ref.value = {_quoted(value)}"
             for end, value in (("src", a.src), ("dst", a.dst)) if value]
    return "[" + " AND ".join(parts) + "]" if parts else None


def _indicator(b: _Bundle) -> str | None:
    observations = sorted({p for a in b.report.anomalies if (p := _comparisons(a))})
    if not observations:
        return None
    incident = b.report.incident
    return b.sdo("indicator", "anomaly", name=f"{incident.kind} ({incident.technique or '-'})",
                 description=_explanations(b), indicator_types=["anomalous-activity"],
                 pattern=" OR ".join(observations), pattern_type="stix",
                 valid_from=_epoch(incident.assessment.first_seen))


def _explanations(b: _Bundle) -> str:
    texts = sorted({Message(a.explanation, dict(a.facts)).text(b.lang)
                    for a in b.report.anomalies})
    return "\n".join(texts[:20])


def _address(b: _Bundle, value: str) -> str:
    version = ipaddress.ip_address(value).version
    return b.sco(f"ipv{version}-addr", value=value)


def _sighting(b: _Bundle, a: Anomaly, sighted: str) -> None:
    site = b.sdo("identity", f"site|{a.site}", name=a.site or "-", identity_class="system",
                 description="the OT monitor of this site")
    fields: dict[str, Any] = {}
    ends = {end: _address(b, value) for end, value in (("src", a.src), ("dst", a.dst))
            if value and _is_ip(value)}
    if ends:
        traffic = b.sco("network-traffic", protocols=["ipv4" if all(
            ipaddress.ip_address(v).version == 4 for v in (a.src, a.dst) if v) else "ipv6"],
            **{f"{end}_ref": ref for end, ref in ends.items()})
        observed = b.sdo("observed-data", f"finding|{a.finding_id}",
                         first_observed=_epoch(a.first_seen),
                         last_observed=_epoch(a.last_seen),
                         number_observed=max(a.count, 1),
                         object_refs=[traffic, *ends.values()])
        fields["observed_data_refs"] = [observed]
    b.sdo("sighting", f"finding|{a.finding_id}", sighting_of_ref=sighted,
          where_sighted_refs=[site], first_seen=_epoch(a.first_seen),
          last_seen=_epoch(a.last_seen), count=min(a.count, 999_999_999),
          description=Message(a.explanation, dict(a.facts)).text(b.lang), **fields)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _infrastructure(b: _Bundle) -> dict[int, str]:
    by_release: dict[int, list[OpenVulnerability]] = {}
    for v in b.report.vulnerabilities:
        by_release.setdefault(v.release_id, []).append(v)
    out: dict[int, str] = {}
    devices = {a.device.device_id: a.device for a in b.report.anomalies if a.device}
    for device_id, d in sorted(devices.items(), key=lambda i: i[1].name):
        out[device_id] = b.sdo(
            "infrastructure", f"device|{d.name}", name=d.name,
            infrastructure_types=["control-system"],
            description=f"{d.product} {d.version} by {d.supplier}, at {d.site}")
        for v in by_release.get(d.release_id, ()):
            b.relationship(out[device_id], "has", _vulnerability(b, v.vulnerability_id))
    return out


def _vulnerability(b: _Bundle, vulnerability_id: str) -> str:
    refs = [{"source_name": "cve", "external_id": vulnerability_id}
            if vulnerability_id.startswith("CVE-")
            else {"source_name": "osv", "external_id": vulnerability_id,
                  "url": f"https://osv.dev/vulnerability/{vulnerability_id}"}]
    return b.sdo("vulnerability", vulnerability_id, shared=True, name=vulnerability_id,
                 external_references=refs)


def _course_of_action(b: _Bundle, rank: int, step: Countermeasure, target: str | None,
                      ) -> None:
    titles = b.report.requirement_titles
    references = [{"source_name": "cpsf", "external_id": label,
                   "description": titles[label][0] + (" (provisional)" if titles[label][2]
                                                       else "")}
                  for label in step.requirements if label in titles]
    description = (f"Rank {rank}, score {step.score} = severity weight "
                   f"{step.severity_weight} x breadth {step.breadth} x applicability "
                   f"{step.applicability} / effort {step.effort}.")
    fields: dict[str, Any] = {"external_references": references} if references else {}
    action = b.sdo("course-of-action", f"step|{rank}|{step.kind.value}",
                   name=step.message.text(b.lang), description=description, **fields)
    if target is not None:
        b.relationship(action, "mitigates", target)
    if step.kind in (StepKind.PATCH_RELEASE, StepKind.REPLACE_RELEASE):
        for fix in step.fixes:
            b.relationship(action, "remediates", _vulnerability(b, fix.vulnerability_id))
