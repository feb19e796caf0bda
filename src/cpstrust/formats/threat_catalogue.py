"""The threat catalogue (YAML) <-> cpstrust.model.risk.ThreatCatalogue.

Checked against a JSON schema first, so that every error names its place
(``/threats/2/measures/0/by``), then for what a schema cannot say: a threat or a measure
named twice, a measure's requirement without an effort. Whether each requirement is in
the CPSF catalogue is the application layer's check (it holds the catalogue).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, cast

import jsonschema_rs

from cpstrust.errors import InputError
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import ReadLimits
from cpstrust.model.risk import (
    EvidenceKind,
    Factor,
    Measure,
    Text,
    Threat,
    ThreatCatalogue,
)

LIMITS = ReadLimits(max_bytes=1024 * 1024, max_depth=16, max_string=10_000)
_STEP = {"type": "string", "pattern": "^[1-5]$"}  # YAML scalars are read as strings
_TEXT = {"type": "object", "required": ["en", "ja"], "additionalProperties": False,
         "properties": {"en": {"type": "string", "minLength": 1},
                        "ja": {"type": "string", "minLength": 1}}}
_LABEL = {"type": "string", "pattern": "^CPS\\.[A-Z]{2}-[0-9]{1,2}$"}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "efforts", "threats"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": "1"},
        "efforts": {"type": "object", "maxProperties": 500,
                    "propertyNames": _LABEL, "additionalProperties": _STEP},
        "threats": {"type": "array", "minItems": 1, "maxItems": 200, "items": {
            "type": "object",
            "required": ["id", "title", "description", "techniques", "evidence",
                         "base_likelihood", "impact_shift", "measures"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,63}$"},
                "title": _TEXT,
                "description": _TEXT,
                "techniques": {"type": "array", "maxItems": 50,
                               "items": {"type": "string", "pattern": "^T0[0-9]{3}$"}},
                "ot_kinds": {"type": "array", "maxItems": 50,
                             "items": {"type": "string", "pattern": "^[a-z_]{1,32}$"}},
                "evidence": {"type": "array", "maxItems": 4,
                             "items": {"enum": [k.value for k in EvidenceKind]}},
                "base_likelihood": _STEP,
                "impact_shift": {"type": "string", "pattern": "^(-2|-1|0|1|2)$"},
                "provisional": {"type": "string", "minLength": 1},
                "measures": {"type": "array", "minItems": 1, "maxItems": 30, "items": {
                    "type": "object",
                    "required": ["requirement", "lowers", "by"],
                    "additionalProperties": False,
                    "properties": {
                        "requirement": _LABEL,
                        "lowers": {"enum": [f.value for f in Factor]},
                        "by": {"type": "string", "pattern": "^[1-4]$"},
                    }}},
            }}},
    },
}


@functools.cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(SCHEMA)


def _pointer(path: Sequence[str | int]) -> str:
    return "/" + "/".join(str(p) for p in path)


def read_threat_catalogue(data: bytes, *, source: str) -> ThreatCatalogue:
    """Parse and check a threat catalogue; InputError naming ``source`` and the place."""
    doc = load_yaml_file(data, source=source, limits=LIMITS, too_large="threats_too_large",
                         not_yaml="threats_not_yaml")
    for error in _validator().iter_errors(doc):
        raise InputError("threats_schema_violation", detail=error.message, source=source,
                         location=_pointer(error.instance_path))
    return _build(cast(Mapping[str, Any], doc), source)  # the schema requires an object


def _build(doc: Mapping[str, Any], source: str) -> ThreatCatalogue:
    efforts = {label: int(value) for label, value in doc["efforts"].items()}
    threats: list[Threat] = []
    seen: set[str] = set()
    for i, entry in enumerate(doc["threats"]):
        if entry["id"] in seen:
            raise InputError("threats_duplicate", entry=entry["id"], source=source,
                             location=f"/threats/{i}/id")
        seen.add(entry["id"])
        threats.append(_threat(entry, efforts, source, f"/threats/{i}"))
    return ThreatCatalogue(tuple(threats), efforts)


def _threat(entry: Mapping[str, Any], efforts: Mapping[str, int], source: str,
            where: str) -> Threat:
    measures: list[Measure] = []
    for j, m in enumerate(entry["measures"]):
        place = f"{where}/measures/{j}/requirement"
        if any(kept.requirement == m["requirement"] for kept in measures):
            raise InputError("threats_duplicate", entry=m["requirement"], source=source,
                             location=place)
        if m["requirement"] not in efforts:
            raise InputError("threats_no_effort", requirement=m["requirement"],
                             source=source, location=place)
        measures.append(Measure(m["requirement"], Factor(m["lowers"]), int(m["by"])))
    return Threat(
        entry["id"], Text(**entry["title"]), Text(**entry["description"]),
        tuple(entry["techniques"]), tuple(entry.get("ot_kinds", ())),
        frozenset(EvidenceKind(e) for e in entry["evidence"]),
        int(entry["base_likelihood"]), int(entry["impact_shift"]), tuple(measures),
        entry.get("provisional"))
