"""Licence policy files: read, normalised to SPDX spellings, and refused with the place
of the problem when a licence id is unknown, ambiguous or not one licence."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.limits import ReadLimits
from cpstrust.model.licence import Decision, LicenceCategory, LicencePolicy


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
