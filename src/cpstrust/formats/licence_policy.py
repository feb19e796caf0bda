"""A licence policy file (YAML) to ``LicencePolicy``: its shape checked by a JSON schema,
then every licence id it names checked against the SPDX licence list.

    version: 1
    default: review            # a licence no rule names
    missing: review            # a component that gives no licence
    unknown: review            # a licence no index knows (free text, LicenseRef-...)
    categories:                # ScanCode LicenseDB categories (see LicenceCategory)
      permissive: allow
      copyleft: deny
    licenses:                  # SPDX ids, or "id WITH exception"; before categories
      LGPL-2.1-only: allow
      GPL-2.0-only WITH Classpath-exception-2.0: allow
    conflicts:                 # licences that must not meet in one product
      - between: [GPL-2.0-only, Apache-2.0]
        decision: deny         # or review (the default)
        reason: Apache-2.0's patent terms are further restrictions GPL-2.0 forbids
      - between: ["category:copyleft", "category:proprietary-free"]

An id that is not on the SPDX list (a typo would otherwise decide nothing), an
expression with AND or OR, or two spellings of one licence are refused, naming the place.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, cast

import jsonschema_rs
from license_expression import (
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import pointer
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.licence import (
    CATEGORY_PREFIX,
    ConflictRule,
    Decision,
    LicenceCategory,
    LicencePolicy,
)

_DECISION = {"enum": [d.value for d in Decision]}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {
        "version": {"const": "1"},
        "default": _DECISION,
        "missing": _DECISION,
        "unknown": _DECISION,
        "categories": {
            "type": "object",
            "propertyNames": {"enum": [c.value for c in LicenceCategory]},
            "additionalProperties": _DECISION,
        },
        "licenses": {"type": "object", "additionalProperties": _DECISION},
        "conflicts": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["between"],
            "properties": {
                "between": {"type": "array", "minItems": 2, "maxItems": 2,
                            "items": {"type": "string"}},
                "decision": {"enum": [Decision.REVIEW.value, Decision.DENY.value]},
                "reason": {"type": "string"},
            }}},
    },
}


@functools.cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(SCHEMA)


def read_licence_policy(data: bytes, *, source: str,
                        limits: ReadLimits = DEFAULT_LIMITS) -> LicencePolicy:
    """Parse and check a licence policy; InputError naming the file and the place."""
    document = load_yaml_file(data, source=source, limits=limits,
                              too_large="licence_policy_too_large",
                              not_yaml="licence_policy_not_yaml")
    for error in _validator().iter_errors(document):
        raise InputError("licence_policy_schema_violation", detail=error.message,
                         source=source, location=pointer(list(error.instance_path)))
    doc = cast(Mapping[str, Any], document)
    return LicencePolicy(
        licences=_licences(doc.get("licenses", {}), source),
        categories={LicenceCategory(k): Decision(v)
                    for k, v in doc.get("categories", {}).items()},
        default=Decision(doc.get("default", Decision.REVIEW)),
        missing=Decision(doc.get("missing", Decision.REVIEW)),
        unknown=Decision(doc.get("unknown", Decision.REVIEW)),
        conflicts=tuple(_conflict(rule, source, i)
                        for i, rule in enumerate(doc.get("conflicts", ()))),
    )


def _conflict(rule: Mapping[str, Any], source: str, index: int) -> ConflictRule:
    sides = tuple(_side(side, source, pointer(["conflicts", index, "between", n]))
                  for n, side in enumerate(rule["between"]))
    return ConflictRule((sides[0], sides[1]), Decision(rule.get("decision", Decision.REVIEW)),
                        rule.get("reason"))


def _side(written: str, source: str, location: str) -> str:
    """A licence (its SPDX spelling) or ``category:<category>``, checked."""
    if written.startswith(CATEGORY_PREFIX):
        if written[len(CATEGORY_PREFIX):] not in {c.value for c in LicenceCategory}:
            raise InputError("licence_policy_unknown_category", category=written,
                             source=source, location=location)
        return written
    return normalised_licence(written, source, location)


def _licences(entries: Mapping[str, str], source: str) -> dict[str, Decision]:
    found: dict[str, Decision] = {}
    first_spelling: dict[str, str] = {}
    for written, decision in entries.items():
        key = normalised_licence(written, source, pointer(["licenses", written]))
        if key in found:
            raise InputError("licence_policy_licence_twice", licence=key,
                             first=first_spelling[key], source=source,
                             location=pointer(["licenses", written]))
        found[key], first_spelling[key] = Decision(decision), written
    return found


@functools.cache
def _licensing() -> Licensing:
    """Built once: get_spdx_licensing() builds the SPDX index anew each call (~13 ms),
    once per licence a policy names, and a stored policy is read at every SBOM import."""
    return get_spdx_licensing()


def normalised_licence(written: str, source: str, location: str) -> str:
    """The SPDX spelling of one licence (or ``id WITH exception``) a policy names."""
    licensing = _licensing()
    try:
        parsed = licensing.parse(written, validate=False)
    except ExpressionError as exc:
        raise InputError("licence_policy_bad_expression", licence=written, detail=str(exc),
                         source=source, location=location) from None
    if not isinstance(parsed, LicenseSymbol | LicenseWithExceptionSymbol):  # AND, OR
        raise InputError("licence_policy_not_one_licence", licence=written, source=source,
                         location=location)
    unknown = [k for k in licensing.unknown_license_keys(parsed)
               if not str(k).startswith("LicenseRef-")]
    if unknown:
        raise InputError("licence_policy_unknown_licence", licence=", ".join(map(str, unknown)),
                         source=source, location=location)
    return str(parsed)
