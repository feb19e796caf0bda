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
    organisations:             # overrides for the products an organisation supplies
      Acme:
        missing: deny
    products:                  # overrides for one product, over its organisation's
      Gateway:
        licenses: {GPL-3.0-only: review}
        conflicts:
          - between: [GPL-2.0-only, Apache-2.0]
            decision: allow    # lifts the base's rule for this product

An override takes every key of the base but ``version``, ``organisations`` and
``products`` (``model.licence.effective_policy`` layers them). An id that is not on the
SPDX list (a typo would otherwise decide nothing), an expression with AND or OR, two
spellings of one licence, two conflict rules between the same sides in one scope, or two
organisations (or products) whose names differ only in case or Unicode form are refused,
naming the place. A name no stored organisation or product has is allowed: a policy may
be written before the product is stored.
"""

from __future__ import annotations

import functools
import unicodedata
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
from cpstrust.messages import message
from cpstrust.model.licence import (
    BASE_SCOPE,
    CATEGORY_PREFIX,
    ConflictRule,
    Decision,
    LicenceCategory,
    LicencePolicy,
    PolicyOverride,
    PolicyScope,
    ScopeKind,
)

_DECISION = {"enum": [d.value for d in Decision]}
# Overrides per organisation or product: enough for a large portfolio, few enough that a
# hostile file cannot make the re-evaluation of every release build a judge per name.
MAX_SCOPES = 10_000
# A stored organisation's or product's name: the store's column width, no outer spaces
# (a name that cannot match one stored would silently decide nothing).
_NAME = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^\S(.*\S)?$"}


def _conflicts_schema(decisions: list[Decision]) -> dict[str, Any]:
    return {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["between"],
        "properties": {
            "between": {"type": "array", "minItems": 2, "maxItems": 2,
                        "items": {"type": "string"}},
            "decision": {"enum": [d.value for d in decisions]},
            "reason": {"type": "string"},
        }}}


_RULES: dict[str, Any] = {
    "default": _DECISION,
    "missing": _DECISION,
    "unknown": _DECISION,
    "categories": {
        "type": "object",
        "propertyNames": {"enum": [c.value for c in LicenceCategory]},
        "additionalProperties": _DECISION,
    },
    "licenses": {"type": "object", "additionalProperties": _DECISION},
    "conflicts": _conflicts_schema([Decision.REVIEW, Decision.DENY]),
}
_OVERRIDES = {
    "type": "object", "maxProperties": MAX_SCOPES, "propertyNames": _NAME,
    "additionalProperties": {
        "type": "object", "additionalProperties": False,
        # An override may also lift a broader scope's conflict rule.
        "properties": _RULES | {"conflicts": _conflicts_schema(list(Decision))},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version"],
    "properties": {"version": {"const": "1"}, **_RULES,
                   "organisations": _OVERRIDES, "products": _OVERRIDES},
}
_SCOPE_KEYS = {ScopeKind.ORGANISATION: "organisations", ScopeKind.PRODUCT: "products"}


@functools.cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(SCHEMA)


def read_licence_policy(data: bytes, *, source: str,
                        limits: ReadLimits = DEFAULT_LIMITS) -> LicencePolicy:
    """Parse and check a licence policy; InputError naming the file and the place."""
    places: dict[str, str] = {}
    document = load_yaml_file(data, source=source, limits=limits,
                              too_large="licence_policy_too_large",
                              not_yaml="licence_policy_not_yaml", places=places)
    for error in _validator().iter_errors(document):
        raise InputError("licence_policy_schema_violation", detail=error.message,
                         source=source, location=pointer(list(error.instance_path)))
    doc = cast(Mapping[str, Any], document)
    base = _override(doc, source, BASE_SCOPE, [])
    return LicencePolicy(
        licences=base.licences, categories=base.categories,
        default=base.default or Decision.REVIEW, missing=base.missing or Decision.REVIEW,
        unknown=base.unknown or Decision.REVIEW, conflicts=base.conflicts,
        organisations=_scoped(doc, ScopeKind.ORGANISATION, source, places),
        products=_scoped(doc, ScopeKind.PRODUCT, source, places),
    )


def _scoped(doc: Mapping[str, Any], kind: ScopeKind, source: str,
            places: Mapping[str, str]) -> dict[str, PolicyOverride]:
    """The overrides under ``organisations`` or ``products``, by name; two names one
    person would read as the same (case, Unicode form) are refused at the second."""
    key = _SCOPE_KEYS[kind]
    found: dict[str, PolicyOverride] = {}
    first_by_folded: dict[str, str] = {}
    for name, rules in doc.get(key, {}).items():
        folded = unicodedata.normalize("NFKC", name).casefold()
        if folded in first_by_folded:
            raise InputError("licence_policy_scope_twice",
                             kind=message(f"licence_scope_kind_{kind.value}"), name=name,
                             first=first_by_folded[folded], source=source,
                             location=places.get(f"/{key}/{name}", pointer([key, name])))
        first_by_folded[folded] = name
        found[name] = _override(rules, source, PolicyScope(kind, name), [key, name])
    return found


def _override(rules: Mapping[str, Any], source: str, scope: PolicyScope,
              at: list[str | int]) -> PolicyOverride:
    """The rules of one scope, at ``at`` in the document, checked."""
    conflicts = tuple(_conflict(rule, source, scope, [*at, "conflicts", i])
                      for i, rule in enumerate(rules.get("conflicts", ())))
    seen: dict[frozenset[str], int] = {}
    for i, rule in enumerate(conflicts):
        if rule.sides in seen:
            raise InputError("licence_policy_conflict_twice", first=seen[rule.sides],
                             sides=" + ".join(rule.between), source=source,
                             location=pointer([*at, "conflicts", i]))
        seen[rule.sides] = i
    return PolicyOverride(
        licences=_licences(rules.get("licenses", {}), source, at),
        categories={LicenceCategory(k): Decision(v)
                    for k, v in rules.get("categories", {}).items()},
        default=_decision(rules.get("default")), missing=_decision(rules.get("missing")),
        unknown=_decision(rules.get("unknown")), conflicts=conflicts)


def _decision(written: str | None) -> Decision | None:
    return None if written is None else Decision(written)


def _conflict(rule: Mapping[str, Any], source: str, scope: PolicyScope,
              at: list[str | int]) -> ConflictRule:
    sides = tuple(_side(side, source, pointer([*at, "between", n]))
                  for n, side in enumerate(rule["between"]))
    return ConflictRule((sides[0], sides[1]), Decision(rule.get("decision", Decision.REVIEW)),
                        rule.get("reason"), scope)


def _side(written: str, source: str, location: str) -> str:
    """A licence (its SPDX spelling) or ``category:<category>``, checked."""
    if written.startswith(CATEGORY_PREFIX):
        if written[len(CATEGORY_PREFIX):] not in {c.value for c in LicenceCategory}:
            raise InputError("licence_policy_unknown_category", category=written,
                             source=source, location=location)
        return written
    return normalised_licence(written, source, location)


def _licences(entries: Mapping[str, str], source: str, at: list[str | int],
              ) -> dict[str, Decision]:
    found: dict[str, Decision] = {}
    first_spelling: dict[str, str] = {}
    for written, decision in entries.items():
        place = pointer([*at, "licenses", written])
        key = normalised_licence(written, source, place)
        if key in found:
            raise InputError("licence_policy_licence_twice", licence=key,
                             first=first_spelling[key], source=source, location=place)
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
