"""Each component's licence against a policy: OR picks the best choice, AND the worst
part; the policy decides by licence, then category (ScanCode LicenseDB), then default."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.formats.licensedb import licence_categories
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.model.licence import (
    BASE_SCOPE,
    ComponentLicences,
    Decision,
    LicenceCategory,
    PolicyScope,
    Rule,
    ScopeKind,
)
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.licences import check_licences

POLICY = read_licence_policy(b"""
version: 1
default: review
missing: deny
unknown: review
categories:
  permissive: allow
  copyleft: deny
licenses:
  LGPL-2.1-only: allow
  GPL-2.0-only WITH Classpath-exception-2.0: allow
""", source="policy.yaml")
DATA = Path(__file__).resolve().parents[1] / "data" / "quality"


def _decided(*licences: dict[str, Any]) -> ComponentLicences:
    component: dict[str, Any] = {"type": "library", "name": "thing", "version": "1.0",
                                 "bom-ref": "thing"}
    if licences:
        component["licenses"] = list(licences)
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}
    sbom = read_sbom(json.dumps(document).encode(), source="bom.json",
                     detail=SbomDetail.QUALITY)
    (decided,) = check_licences(sbom, POLICY, licence_categories()).components
    return decided


def _expression(text: str) -> dict[str, str]:
    return {"expression": text}


@pytest.mark.parametrize(("expression", "decision"), [
    ("MIT", Decision.ALLOW),  # permissive
    ("GPL-3.0-only", Decision.DENY),  # copyleft
    ("MPL-2.0", Decision.REVIEW),  # copyleft-limited: no rule, the default
    ("LGPL-2.1-only", Decision.ALLOW),  # named, before its category
    ("GPL-3.0-only OR MIT", Decision.ALLOW),  # the user may choose MIT
    ("GPL-3.0-only AND MIT", Decision.DENY),  # both apply
    ("(MIT OR GPL-3.0-only) AND MPL-2.0", Decision.REVIEW),
    ("GPL-2.0-only WITH Classpath-exception-2.0", Decision.ALLOW),  # named as a whole
    ("GPL-2.0-only WITH Autoconf-exception-2.0", Decision.DENY),  # its licence decides
    ("LicenseRef-Acme-Proprietary", Decision.REVIEW),  # no index knows it
])
def test_an_expression_is_decided_by_its_parts(expression: str, decision: Decision) -> None:
    assert _decided(_expression(expression)).decision is decision


def test_each_licence_says_what_decided_it() -> None:
    decided = _decided(_expression("GPL-3.0-only OR LGPL-2.1-only OR MPL-2.0 OR Foo-Bar"))
    assert [(v.licence, v.category, v.decision, v.rule) for v in decided.verdicts] == [
        ("GPL-3.0-only", LicenceCategory.COPYLEFT, Decision.DENY, Rule.CATEGORY),
        ("LGPL-2.1-only", LicenceCategory.COPYLEFT_LIMITED, Decision.ALLOW, Rule.LICENCE),
        ("MPL-2.0", LicenceCategory.COPYLEFT_LIMITED, Decision.REVIEW, Rule.DEFAULT),
        ("Foo-Bar", None, Decision.REVIEW, Rule.UNKNOWN)]
    assert decided.expression == "GPL-3.0-only OR LGPL-2.1-only OR MPL-2.0 OR Foo-Bar"


def test_a_component_without_a_licence_is_decided_as_missing() -> None:
    decided = _decided()
    assert (decided.expression, decided.decision, decided.verdicts) == (None, Decision.DENY, ())


def test_several_listed_licences_all_apply() -> None:
    decided = _decided({"license": {"id": "MIT"}}, {"license": {"id": "GPL-3.0-only"}})
    assert (decided.expression, decided.decision) == ("MIT AND GPL-3.0-only", Decision.DENY)


def test_the_concluded_licence_decides_before_the_declared_one() -> None:
    decided = _decided({"license": {"id": "GPL-3.0-only", "acknowledgement": "declared"}},
                       {"license": {"id": "MIT", "acknowledgement": "concluded"}})
    assert (decided.expression, decided.decision) == ("MIT", Decision.ALLOW)


def test_a_free_text_licence_name_is_unknown_not_guessed() -> None:
    decided = _decided({"license": {"name": "Bouncy Castle Licence"}})
    assert [(v.licence, v.rule) for v in decided.verdicts] == [
        ("Bouncy Castle Licence", Rule.UNKNOWN)]


def test_file_entries_are_not_judged_and_spdx_concluded_licences_decide() -> None:
    cdx = read_sbom_file(DATA / "bsi-complete.cdx.json", DEFAULT_LIMITS, SbomDetail.QUALITY)[0]
    assert [c.ref for c in check_licences(cdx, POLICY, licence_categories()).components] == [
        "urllib3", "uplink"]
    spdx = read_sbom_file(DATA / "spdx23.spdx.json", DEFAULT_LIMITS, SbomDetail.QUALITY)[0]
    decided = {c.ref: (c.expression, c.decision)
               for c in check_licences(spdx, POLICY, licence_categories()).components}
    assert decided == {"SPDXRef-gateway": (None, Decision.DENY),  # NOASSERTION: missing
                       "SPDXRef-libfoo": ("MIT", Decision.ALLOW)}


def test_the_licence_index_knows_the_common_licences() -> None:
    categories = licence_categories()
    assert len(categories) > 2000
    assert (categories["Apache-2.0"], categories["GPL-2.0-only"], categories["LGPL-2.1-only"],
            categories["CC0-1.0"]) == (LicenceCategory.PERMISSIVE, LicenceCategory.COPYLEFT,
                                       LicenceCategory.COPYLEFT_LIMITED,
                                       LicenceCategory.PUBLIC_DOMAIN)


CONFLICTS = read_licence_policy(b"""
version: 1
categories: {permissive: allow, copyleft: allow, proprietary-free: allow}
conflicts:
  - between: [GPL-2.0-only, Apache-2.0]
    decision: deny
    reason: Apache-2.0 adds terms GPL-2.0 forbids
  - between: ["category:copyleft", "category:proprietary-free"]
""", source="policy.yaml")


def _conflicts(*expressions: str) -> list[tuple[tuple[str, str], tuple[str, ...],
                                              tuple[str, ...]]]:
    components = [{"type": "library", "name": f"c{i}", "version": "1.0", "bom-ref": f"c{i}",
                   "licenses": [{"expression": e}]} for i, e in enumerate(expressions)]
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components}
    sbom = read_sbom(json.dumps(document).encode(), source="bom.json",
                     detail=SbomDetail.QUALITY)
    report = check_licences(sbom, CONFLICTS, licence_categories())
    return [(c.rule.between, c.first, c.second) for c in report.conflicts]


def test_licences_that_must_not_meet_in_one_product_are_flagged() -> None:
    assert _conflicts("GPL-2.0-only", "Apache-2.0") == [
        (("GPL-2.0-only", "Apache-2.0"), ("c0",), ("c1",))]
    assert _conflicts("GPL-2.0-only AND Apache-2.0") == [
        (("GPL-2.0-only", "Apache-2.0"), ("c0",), ("c0",))]  # one component, both
    assert _conflicts("GPL-2.0-only", "Apache-2.0 OR MIT") == []  # MIT may be chosen
    assert _conflicts("GPL-2.0-or-later", "Apache-2.0") == []  # another licence
    assert _conflicts("GPL-2.0-only WITH Classpath-exception-2.0", "Apache-2.0") == [
        (("GPL-2.0-only", "Apache-2.0"), ("c0",), ("c1",))]  # the exception keeps GPL-2.0
    assert _conflicts("GPL-3.0-only", "LicenseRef-scancode-activestate-community", "MIT") == [
        (("category:copyleft", "category:proprietary-free"), ("c0",), ("c1",))]


def test_a_conflict_rule_naming_no_licence_or_category_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_licence_policy(b"version: 1\nconflicts:\n  - between: [GPL-2.0-only, "
                            b"'category:closed']\n", source="p.yaml")
    assert (caught.value.code, caught.value.location) == (
        "licence_policy_unknown_category", "/conflicts/0/between/1")
    with pytest.raises(InputError) as caught:
        read_licence_policy(b"version: 1\nconflicts:\n  - between: [GPL-2.0-only]\n",
                            source="p.yaml")
    assert caught.value.code == "licence_policy_schema_violation"


SCOPED = read_licence_policy(b"""
version: 1
default: review
missing: review
categories: {permissive: allow, copyleft: deny}
conflicts:
  - between: [GPL-2.0-only, Apache-2.0]
    decision: deny
organisations:
  Acme:
    missing: deny
    licenses: {MPL-2.0: allow}
products:
  Gateway:
    categories: {copyleft: review}
    conflicts:
      - between: [Apache-2.0, GPL-2.0-only]
        decision: allow
""", source="policy.yaml")
ACME = PolicyScope(ScopeKind.ORGANISATION, "Acme")
GATEWAY = PolicyScope(ScopeKind.PRODUCT, "Gateway")


def _scoped_report(product: str | None, organisation: str | None) -> dict[str, Any]:
    components = [{"type": "library", "name": name, "version": "1.0", "bom-ref": name,
                   **({"licenses": [{"expression": e}]} if e else {})}
                  for name, e in (("kernel", "GPL-2.0-only"), ("sdk", "Apache-2.0"),
                                  ("nss", "MPL-2.0 AND MIT"), ("bare", None))]
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": components}
    sbom = read_sbom(json.dumps(document).encode(), source="bom.json",
                     detail=SbomDetail.QUALITY)
    report = check_licences(sbom, SCOPED, licence_categories(), product, organisation)
    return {"decisions": {c.name: (c.decision, c.scopes) for c in report.components},
            "verdicts": {v.licence: (v.rule, v.scope)
                         for c in report.components for v in c.verdicts},
            "conflicts": [(c.rule.decision, c.rule.scope) for c in report.conflicts]}


def test_each_verdict_names_the_scope_of_the_rule_that_decided_it() -> None:
    base = _scoped_report(None, None)
    assert base["decisions"] == {
        "kernel": (Decision.DENY, (BASE_SCOPE,)), "sdk": (Decision.ALLOW, (BASE_SCOPE,)),
        "nss": (Decision.REVIEW, (BASE_SCOPE,)), "bare": (Decision.REVIEW, (BASE_SCOPE,))}
    assert base["conflicts"] == [(Decision.DENY, BASE_SCOPE)]
    acme = _scoped_report("Router", "Acme")  # a product of Acme with no overrides of its own
    assert acme["decisions"]["bare"] == (Decision.DENY, (ACME,))
    assert acme["verdicts"]["MPL-2.0"] == (Rule.LICENCE, ACME)
    assert acme["verdicts"]["MIT"] == (Rule.CATEGORY, BASE_SCOPE)
    assert acme["decisions"]["nss"] == (Decision.ALLOW, (ACME, BASE_SCOPE))  # AND: both parts
    gateway = _scoped_report("Gateway", "Acme")
    assert gateway["decisions"]["kernel"] == (Decision.REVIEW, (GATEWAY,))
    assert gateway["decisions"]["bare"] == (Decision.DENY, (ACME,))  # the organisation's still
    assert gateway["conflicts"] == []  # the product lifts the base's conflict rule
