"""Licence policy files: read, normalised to SPDX spellings, with overrides per
organisation and product, and refused with the place of the problem when a licence id
is unknown, ambiguous or not one licence, or a scope is malformed or named twice."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.licence_policy import MAX_SCOPES, read_licence_policy
from cpstrust.limits import ReadLimits
from cpstrust.model.licence import (
    BASE_SCOPE,
    ConflictRule,
    Decision,
    LicenceCategory,
    LicencePolicy,
    PolicyOverride,
    PolicyScope,
    ScopeKind,
)


def _read(text: str) -> LicencePolicy:
    return read_licence_policy(text.encode(), source="policy.yaml")


def test_a_policy_is_read_with_its_licences_in_spdx_spelling() -> None:
    policy = _read("""
version: 1
default: deny
missing: review
unknown: deny
categories:
  permissive: allow
  copyleft-limited: review
licenses:
  mit: allow                                          # case, as SPDX ids are matched
  GPL-2.0+: review                                    # a deprecated id, as its successor
  GPL-2.0-only WITH Classpath-exception-2.0: allow
  LicenseRef-Acme-Proprietary: allow
""")
    assert policy == LicencePolicy(
        licences={"MIT": Decision.ALLOW, "GPL-2.0-or-later": Decision.REVIEW,
                  "GPL-2.0-only WITH Classpath-exception-2.0": Decision.ALLOW,
                  "LicenseRef-Acme-Proprietary": Decision.ALLOW},
        categories={LicenceCategory.PERMISSIVE: Decision.ALLOW,
                    LicenceCategory.COPYLEFT_LIMITED: Decision.REVIEW},
        default=Decision.DENY, missing=Decision.REVIEW, unknown=Decision.DENY)


def test_what_a_policy_leaves_out_is_reviewed() -> None:
    assert _read("version: 1") == LicencePolicy()


@pytest.mark.parametrize(("text", "code", "location"), [
    ("version: 1\nlicenses:\n  MTI: allow\n", "licence_policy_unknown_licence",
     "/licenses/MTI"),
    ("version: 1\nlicenses:\n  MIT: allow\n  mit: deny\n", "licence_policy_licence_twice",
     "/licenses/mit"),
    ("version: 1\nlicenses:\n  MIT OR Apache-2.0: allow\n", "licence_policy_not_one_licence",
     "/licenses/MIT OR Apache-2.0"),
    ("version: 1\nlicenses:\n  (MIT: allow\n", "licence_policy_bad_expression",
     "/licenses/(MIT"),
    ("version: 1\nlicenses:\n  MIT: maybe\n", "licence_policy_schema_violation",
     "/licenses/MIT"),
    ("version: 1\ncategories:\n  copyleftt: deny\n", "licence_policy_schema_violation",
     "/categories"),
    ("version: 1\nrules: []\n", "licence_policy_schema_violation", "/"),
    ("version: 2\n", "licence_policy_schema_violation", "/version"),
    ("default: allow\n", "licence_policy_schema_violation", "/"),
    ("version: 1\nversion: 1\n", "licence_policy_not_yaml", "line 2 column 1"),
    ("version: [1\n", "licence_policy_not_yaml", None),
])
def test_a_bad_policy_is_refused_naming_the_place(text: str, code: str,
                                                   location: str | None) -> None:
    with pytest.raises(InputError) as refused:
        _read(text)
    assert refused.value.code == code
    assert refused.value.source == "policy.yaml"
    if location is not None:
        assert refused.value.location == location


def test_a_policy_over_the_size_limit_is_refused() -> None:
    with pytest.raises(LimitExceededError):
        read_licence_policy(b"version: 1\n" + b"#" * 100, source="policy.yaml",
                            limits=ReadLimits(max_bytes=64))


SCOPED = """\
version: 1
default: allow
categories: {copyleft: deny}
conflicts:
  - between: [GPL-2.0-only, Apache-2.0]
    decision: deny
organisations:
  Acme:
    missing: deny
    licenses: {gpl-3.0-only: review}
products:
  Gateway:
    categories: {copyleft: allow}
    conflicts:
      - between: [Apache-2.0, GPL-2.0-only]
        decision: allow
        reason: legal approved the kernel module
"""


def test_scoped_overrides_are_read_as_partial_policies_with_their_scope() -> None:
    policy = _read(SCOPED)
    acme = PolicyScope(ScopeKind.ORGANISATION, "Acme")
    gateway = PolicyScope(ScopeKind.PRODUCT, "Gateway")
    assert policy.organisations == {"Acme": PolicyOverride(
        licences={"GPL-3.0-only": Decision.REVIEW}, missing=Decision.DENY)}
    assert policy.products == {"Gateway": PolicyOverride(
        categories={LicenceCategory.COPYLEFT: Decision.ALLOW},
        conflicts=(ConflictRule(("Apache-2.0", "GPL-2.0-only"), Decision.ALLOW,
                                "legal approved the kernel module", gateway),))}
    assert policy.conflicts[0].scope == BASE_SCOPE
    assert policy.scopes_for("Gateway", "Acme") == (acme, gateway)


def _scoped(override: str, kind: str = "products", name: str = "Gateway") -> str:
    body = "\n".join(f"    {line}" for line in override.splitlines())
    return f"version: 1\n{kind}:\n  {name}:\n{body}\n"


@pytest.mark.parametrize(("text", "code", "location"), [
    (_scoped("licenses: {MTI: deny}"), "licence_policy_unknown_licence",
     "/products/Gateway/licenses/MTI"),
    (_scoped("licenses: {MIT: allow, mit: deny}", "organisations", "Acme"),
     "licence_policy_licence_twice", "/organisations/Acme/licenses/mit"),
    (_scoped("version: 1"), "licence_policy_schema_violation", "/products/Gateway"),
    (_scoped("products: {Other: {}}"), "licence_policy_schema_violation", "/products/Gateway"),
    (_scoped("rules: []", "organisations", "Acme"), "licence_policy_schema_violation",
     "/organisations/Acme"),
    (_scoped("missing: maybe"), "licence_policy_schema_violation", "/products/Gateway/missing"),
    (_scoped("conflicts:\n  - between: [MIT, category:copylefty]"),
     "licence_policy_unknown_category", "/products/Gateway/conflicts/0/between/1"),
    (_scoped("conflicts:\n  - between: [MIT, GPL-2.0-only]\n"
             "  - between: [GPL-2.0-only, mit]\n    decision: deny"),
     "licence_policy_conflict_twice", "/products/Gateway/conflicts/1"),
    ("version: 1\nconflicts:\n  - between: [MIT, GPL-2.0-only]\n    decision: allow\n",
     "licence_policy_schema_violation", "/conflicts/0/decision"),  # allow lifts: overrides only
    ("version: 1\nproducts:\n  Gateway: {}\n  Gateway: {}\n", "licence_policy_not_yaml",
     "line 4 column 3"),
    ("version: 1\norganisations:\n  Acme: {}\n  ACME: {missing: deny}\n",
     "licence_policy_scope_twice", "line 4 column 3"),
    ("version: 1\nproducts:\n  \"Gateway\": {}\n  \"Gateway\\uFF01\": {}\n  \"gateway!\": {}\n",
     "licence_policy_scope_twice", "line 5 column 3"),  # NFKC folds the full-width "!"
    ("version: 1\nproducts:\n  \" Gateway\": {}\n", "licence_policy_schema_violation",
     "/products"),
    ("version: 1\nproducts: {\"\": {}}\n", "licence_policy_schema_violation", "/products"),
    ("version: 1\nproducts: [Gateway]\n", "licence_policy_schema_violation", "/products"),
])
def test_a_bad_scoped_override_is_refused_naming_the_place(text: str, code: str,
                                                           location: str) -> None:
    with pytest.raises(InputError) as refused:
        _read(text)
    assert (refused.value.code, refused.value.source, refused.value.location) == (
        code, "policy.yaml", location)


def test_a_name_written_twice_is_named_with_the_first_spelling() -> None:
    with pytest.raises(InputError) as refused:
        _read("version: 1\norganisations:\n  Acme: {}\n  ACME: {}\n")
    assert "'ACME' is named twice (first as 'Acme')" in str(refused.value)
    assert "policy.yaml" in str(refused.value) and "line 4" in str(refused.value)


def test_more_overrides_than_the_limit_are_refused() -> None:
    names = "".join(f"  p{i}: {{}}\n" for i in range(MAX_SCOPES + 1))
    with pytest.raises(InputError) as refused:
        _read(f"version: 1\nproducts:\n{names}")
    assert (refused.value.code, refused.value.location) == (
        "licence_policy_schema_violation", "/products")
