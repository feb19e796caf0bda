"""The trust-policy file (YAML) -> ``model.trustpolicy.TrustPolicy``.

Read with the project's safe YAML builder (no tags, no aliases, a key named twice
refused), checked against a JSON schema (unknown keys, wrong types and unknown values
refused), then turned into typed rules. Every error names the file and the line and
column of the offending key or value, with its JSON pointer.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, cast

import jsonschema_rs

from cpstrust.errors import InputError
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import ReadLimits
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import AttestationVerdict
from cpstrust.model.orgevidence import STAR_LEVELS
from cpstrust.model.trustpolicy import (
    AttestationRule,
    DeviceRule,
    OrganisationRule,
    SupplierInheritance,
    SystemScope,
    TrustPolicy,
    VulnerabilityRule,
)

POLICY_FORMAT = "1"
POLICY_LIMITS = ReadLimits(max_bytes=1024 * 1024, max_depth=16, max_string=4096)
MAX_RULES = 100
MAX_CRITICAL_SYSTEMS = 10_000
# A month is 30 days and a year 365: limits are durations, not calendar dates.
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_DURATION = re.compile(r"([1-9][0-9]{0,4}) (hour|day|week|month|year)s?")
_SEVERITIES = ("low", "medium", "high", "critical")

_DURATION_SCHEMA = {"type": "string", "pattern": "^" + _DURATION.pattern + "$"}
_NAME = {"type": "string", "minLength": 1, "maxLength": 255}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["trust-policy"],
    "additionalProperties": False,
    "properties": {
        "trust-policy": {"const": POLICY_FORMAT},
        "name": _NAME,
        "organisations": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "suppliers": {"enum": [s.value for s in SupplierInheritance]},
                "rules": {"type": "array", "maxItems": MAX_RULES, "items": {
                    "type": "object",
                    "required": ["star", "max-age"],
                    "additionalProperties": False,
                    "properties": {
                        "tier": {"type": "string", "pattern": "^([1-9]|1[0-9]|20|any)$"},
                        "star": {"enum": [str(level) for level in STAR_LEVELS]},
                        "max-age": _DURATION_SCHEMA,
                    },
                }},
            },
        },
        "products": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"signed-sbom": {"enum": ["required", "not-required"]}},
        },
        "devices": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "critical-systems": {"type": "array", "maxItems": MAX_CRITICAL_SYSTEMS,
                                     "items": _NAME},
                "rules": {"type": "array", "maxItems": MAX_RULES, "items": {
                    "type": "object",
                    "required": ["systems"],
                    "additionalProperties": False,
                    "properties": {
                        "systems": {"enum": [s.value for s in SystemScope]},
                        "attestation": {
                            "type": "object",
                            "required": ["verdict", "max-age"],
                            "additionalProperties": False,
                            "properties": {
                                "verdict": {"enum": [v.value for v in AttestationVerdict]},
                                "max-age": _DURATION_SCHEMA,
                            },
                        },
                        "vulnerabilities": {
                            "type": "object",
                            "required": ["severity", "max-open"],
                            "additionalProperties": False,
                            "properties": {
                                "severity": {"enum": list(_SEVERITIES)},
                                "max-open": _DURATION_SCHEMA,
                            },
                        },
                    },
                }},
            },
        },
    },
}


@functools.cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(SCHEMA)


def read_trust_policy(data: bytes, *, source: str) -> TrustPolicy:
    """Parse and check a policy file; InputError naming the file and the line."""
    places: dict[str, str] = {}
    doc = load_yaml_file(data, source=source, limits=POLICY_LIMITS,
                         too_large="policy_too_large", not_yaml="policy_not_yaml",
                         places=places)
    for error in _validator().iter_errors(doc):
        pointer = "/".join(["", *(str(p) for p in error.instance_path)])
        unexpected = getattr(error.kind, "unexpected", None)
        if unexpected:  # an unknown key: point at it, not at the mapping holding it
            pointer = f"{pointer}/{sorted(unexpected)[0]}"
        raise InputError("policy_invalid", detail=error.message, pointer=pointer or "/",
                         source=source, location=_place(places, pointer))
    policy = cast(Mapping[str, Any], doc)  # the schema requires an object
    return TrustPolicy(
        name=policy.get("name", source),
        suppliers=SupplierInheritance(policy.get("organisations", {}).get("suppliers",
                                                                          "inherit")),
        organisation_rules=tuple(_organisation_rule(r) for r in
                                 policy.get("organisations", {}).get("rules", [])),
        signed_sbom=policy.get("products", {}).get("signed-sbom") == "required",
        critical_systems=_critical(policy.get("devices", {}), source, places),
        device_rules=tuple(_device_rule(r) for r in policy.get("devices", {}).get("rules", [])),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _place(places: Mapping[str, str], pointer: str) -> str | None:
    """The line of ``pointer``, or of the nearest enclosing value read."""
    while pointer not in places and pointer:
        pointer = pointer.rsplit("/", 1)[0]
    return places.get(pointer)


def _critical(devices: Mapping[str, Any], source: str,
              places: Mapping[str, str]) -> frozenset[str]:
    names = devices.get("critical-systems", [])
    for index, name in enumerate(names):
        if name in names[:index]:
            raise InputError("policy_duplicate_system", name=name, source=source,
                             location=_place(places, f"/devices/critical-systems/{index}"))
    return frozenset(names)


def duration(text: str) -> timedelta:
    """A duration as the schema admits it: "24 hours", "30 days", "12 months"."""
    found = _DURATION.fullmatch(text)
    if found is None:
        raise ValueError(f"not a duration: {text!r}")  # the schema let it through: a bug
    return timedelta(days=int(found[1]) * _UNIT_DAYS[found[2]])


def _organisation_rule(rule: Mapping[str, str]) -> OrganisationRule:
    tier = rule.get("tier", "any")
    return OrganisationRule(tier=None if tier == "any" else int(tier), star=int(rule["star"]),
                            max_age=duration(rule["max-age"]))


def _device_rule(rule: Mapping[str, Any]) -> DeviceRule:
    attestation = rule.get("attestation")
    vulnerabilities = rule.get("vulnerabilities")
    return DeviceRule(
        applies_to=SystemScope(rule["systems"]),
        attestation=None if attestation is None else AttestationRule(
            AttestationVerdict(attestation["verdict"]), duration(attestation["max-age"])),
        vulnerabilities=None if vulnerabilities is None else VulnerabilityRule(
            Severity[vulnerabilities["severity"].upper()], duration(vulnerabilities["max-open"])),
    )
