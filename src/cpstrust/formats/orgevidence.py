"""Organisational evidence as in-toto predicates: one predicate type per kind, each
checked by a JSON schema (no other field, no missing one) and then typed.

Every predicate names the ``organisation`` it speaks for and carries ``issuedAt`` and
``expiresAt`` (RFC 3339 with a zone). The Statement's one subject is what the evidence
is about: the delivered document (SBOM, VEX) by its SHA-256, or for an organisation or
a product, its name with the SHA-256 of that name (in-toto asks every subject for a
digest). A subject that does not follow from the predicate is refused.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jsonschema_rs

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import pointer
from cpstrust.model.evidence import Statement, Subject
from cpstrust.model.orgevidence import (
    JCSTAR_LEVELS,
    STAR_LEVELS,
    AssessmentResult,
    Document,
    EvidenceKind,
    JcStarLabel,
    OrganisationEvidence,
    RequirementStatus,
    SbomDelivery,
    StarAttestation,
    StarDeclaration,
    Validity,
    VexDelivery,
)

PREDICATE_TYPES: dict[EvidenceKind, str] = {
    kind: f"https://cpstrust.dev/evidence/{kind.value}/v1" for kind in EvidenceKind
}
KIND_OF_PREDICATE = {uri: kind for kind, uri in PREDICATE_TYPES.items()}
MAX_REQUIREMENTS = 10_000
MAX_NAME = 255  # organisation, product, release, assessor names: the store's column width
REQUIREMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:()\-]{0,63}$"

_NAME: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": MAX_NAME}
_TIME: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 64}
_SHA256: dict[str, Any] = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_DOCUMENT: dict[str, Any] = {
    "type": "object", "additionalProperties": False, "required": ["name", "digest"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 1024},
        "digest": {"type": "object", "additionalProperties": False, "required": ["sha256"],
                   "properties": {"sha256": _SHA256}},
        "mediaType": {"type": "string", "minLength": 1, "maxLength": 255},
    },
}
_COMMON: dict[str, Any] = {"organisation": _NAME, "issuedAt": _TIME, "expiresAt": _TIME}
_FIELDS: dict[EvidenceKind, tuple[dict[str, Any], list[str]]] = {
    EvidenceKind.ASSESSMENT_RESULT: ({
        "profile": _NAME,
        "assessedAt": _TIME,
        "starLevel": {"enum": [None, *STAR_LEVELS]},
        "requirements": {
            "type": "object", "maxProperties": MAX_REQUIREMENTS,
            "propertyNames": {"pattern": REQUIREMENT_ID_PATTERN},
            "additionalProperties": {"enum": [s.value for s in RequirementStatus]},
        },
    }, ["profile", "assessedAt", "starLevel", "requirements"]),
    EvidenceKind.STAR_DECLARATION: ({"starLevel": {"enum": list(STAR_LEVELS)}}, ["starLevel"]),
    EvidenceKind.STAR_ATTESTATION: ({
        "starLevel": {"enum": list(STAR_LEVELS)},
        "assessor": _NAME,
        "assessedAt": _TIME,
        "report": {"type": "string", "minLength": 1, "maxLength": 1024},
    }, ["starLevel", "assessor", "assessedAt"]),
    EvidenceKind.JCSTAR_LABEL: ({
        "product": _NAME,
        "level": {"enum": list(JCSTAR_LEVELS)},
        "labelId": {"type": "string", "minLength": 1, "maxLength": 255},
    }, ["product", "level"]),
    EvidenceKind.SBOM_DELIVERY: ({"product": _NAME, "release": _NAME, "sbom": _DOCUMENT},
                                 ["product", "release", "sbom"]),
    EvidenceKind.VEX_DELIVERY: ({"vex": _DOCUMENT, "product": _NAME}, ["vex"]),
}


def schema(kind: EvidenceKind) -> dict[str, Any]:
    """The JSON schema of ``kind``'s predicate."""
    properties, required = _FIELDS[kind]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["organisation", "issuedAt", "expiresAt", *required],
        "properties": {**_COMMON, **properties},
    }


@functools.cache
def _validator(kind: EvidenceKind) -> Any:
    return jsonschema_rs.validator_for(schema(kind))


def evidence_statement(evidence: OrganisationEvidence) -> Statement:
    """The in-toto Statement of ``evidence``: its subject and its typed predicate."""
    return Statement(subjects=(expected_subject(evidence),),
                     predicate_type=PREDICATE_TYPES[evidence.kind],
                     predicate=write_predicate(evidence))


def expected_subject(evidence: OrganisationEvidence) -> Subject:
    if isinstance(evidence, SbomDelivery):
        return _document_subject(evidence.sbom)
    if isinstance(evidence, VexDelivery):
        return _document_subject(evidence.vex)
    name = evidence.product if isinstance(evidence, JcStarLabel) else evidence.organisation
    return Subject(name=name, digest={"sha256": hashlib.sha256(name.encode()).hexdigest()})


def _document_subject(document: Document) -> Subject:
    return Subject(name=document.name, digest={"sha256": document.sha256})


def write_predicate(evidence: OrganisationEvidence) -> dict[str, Any]:
    common = {"organisation": evidence.organisation,
              "issuedAt": _time_text(evidence.validity.issued_at),
              "expiresAt": _time_text(evidence.validity.expires_at)}
    return {**common, **_own_fields(evidence)}


def _own_fields(evidence: OrganisationEvidence) -> dict[str, Any]:
    if isinstance(evidence, AssessmentResult):
        return {"profile": evidence.profile, "assessedAt": _time_text(evidence.assessed_at),
                "starLevel": evidence.star_level,
                "requirements": {k: v.value for k, v in sorted(evidence.statuses.items())}}
    if isinstance(evidence, StarDeclaration):
        return {"starLevel": evidence.star_level}
    if isinstance(evidence, StarAttestation):
        return _present({"starLevel": evidence.star_level, "assessor": evidence.assessor,
                         "assessedAt": _time_text(evidence.assessed_at),
                         "report": evidence.report})
    if isinstance(evidence, JcStarLabel):
        return _present({"product": evidence.product, "level": evidence.level,
                         "labelId": evidence.label_id})
    if isinstance(evidence, SbomDelivery):
        return {"product": evidence.product, "release": evidence.release,
                "sbom": _document_json(evidence.sbom)}
    return _present({"vex": _document_json(evidence.vex), "product": evidence.product})


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """Optional fields are left out rather than written as null: the schema has no null."""
    return {k: v for k, v in fields.items() if v is not None}


def _document_json(document: Document) -> dict[str, Any]:
    return _present({"name": document.name, "digest": {"sha256": document.sha256},
                     "mediaType": document.media_type})


def read_evidence(statement: Statement, source: str) -> OrganisationEvidence:
    """The typed evidence of a verified Statement; ``InputError`` naming the place of
    the first problem (an unknown predicate type, a field the schema refuses, a bad
    time, a subject that is not the one the predicate implies)."""
    kind = KIND_OF_PREDICATE.get(statement.predicate_type)
    if kind is None:
        raise InputError("evidence_unknown_predicate_type",
                         predicate_type=statement.predicate_type, source=source,
                         location="/predicateType")
    predicate = statement.predicate
    for error in _validator(kind).iter_errors(dict(predicate)):
        raise InputError("evidence_predicate_invalid", kind=kind.value, detail=error.message,
                         source=source,
                         location="/predicate" + pointer(list(error.instance_path)).rstrip("/"))
    evidence = _typed(kind, predicate, source)
    subject = expected_subject(evidence)
    if len(statement.subjects) != 1 or statement.subjects[0] != subject:
        raise InputError("evidence_subject_not_predicate", kind=kind.value, name=subject.name,
                         source=source, location="/subject")
    return evidence


def _typed(kind: EvidenceKind, p: Mapping[str, Any], source: str) -> OrganisationEvidence:
    validity = Validity(issued_at=_time(p, "issuedAt", source),
                        expires_at=_time(p, "expiresAt", source))
    if validity.expires_at <= validity.issued_at:
        raise InputError("evidence_expires_before_issued", source=source,
                         location="/predicate/expiresAt")
    org = p["organisation"]
    if kind is EvidenceKind.ASSESSMENT_RESULT:
        star = p["starLevel"]
        return AssessmentResult(
            organisation=org, validity=validity, profile=p["profile"],
            assessed_at=_time(p, "assessedAt", source),
            star_level=None if star is None else _level(star),
            statuses={k: RequirementStatus(v) for k, v in p["requirements"].items()})
    if kind is EvidenceKind.STAR_DECLARATION:
        return StarDeclaration(organisation=org, validity=validity,
                               star_level=_level(p["starLevel"]))
    if kind is EvidenceKind.STAR_ATTESTATION:
        return StarAttestation(organisation=org, validity=validity,
                               star_level=_level(p["starLevel"]),
                               assessor=p["assessor"],
                               assessed_at=_time(p, "assessedAt", source),
                               report=p.get("report"))
    if kind is EvidenceKind.JCSTAR_LABEL:
        return JcStarLabel(organisation=org, validity=validity, product=p["product"],
                           level=_level(p["level"]), label_id=p.get("labelId"))
    if kind is EvidenceKind.SBOM_DELIVERY:
        return SbomDelivery(organisation=org, validity=validity, product=p["product"],
                            release=p["release"], sbom=_document(p["sbom"]))
    return VexDelivery(organisation=org, validity=validity, vex=_document(p["vex"]),
                       product=p.get("product"))


def _level(value: float) -> int:
    """JSON Schema takes 4.0 for 4: the level is kept as the integer it equals."""
    return int(value)


def _document(value: Mapping[str, Any]) -> Document:
    return Document(name=value["name"], sha256=value["digest"]["sha256"],
                    media_type=value.get("mediaType"))


def _time(predicate: Mapping[str, Any], name: str, source: str) -> datetime:
    return zoned_time(predicate[name], source, f"/predicate/{name}")


def zoned_time(text: str, source: str, location: str) -> datetime:
    """An RFC 3339 time with its zone: a time without one means a different instant to
    each reader."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError("evidence_invalid_time", value=text, source=source,
                         location=location)
    return moment


def _time_text(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
