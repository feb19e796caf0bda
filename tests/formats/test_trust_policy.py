"""The trust-policy file: a complete policy read into typed rules, and each class of bad
input refused with the file, the line and the place named."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.trust_policy import read_trust_policy
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import AttestationVerdict
from cpstrust.model.trustpolicy import SupplierInheritance, SystemScope

POLICY = b"""\
trust-policy: 1
name: oem
organisations:
  suppliers: inherit
  rules:
    - {tier: 1, star: 4, max-age: 12 months}
    - {tier: any, star: 3, max-age: 1 year}
products:
  signed-sbom: required
devices:
  critical-systems: [Plant A, Plant B/cell 1]
  rules:
    - systems: critical
      attestation: {verdict: GENUINE, max-age: 24 hours}
      vulnerabilities: {severity: critical, max-open: 30 days}
    - systems: other
      vulnerabilities: {severity: high, max-open: 2 weeks}
"""


def test_reads_every_rule_of_a_complete_policy() -> None:
    policy = read_trust_policy(POLICY, source="p.yaml")
    assert policy.name == "oem"
    assert policy.suppliers is SupplierInheritance.INHERIT
    assert [(r.tier, r.star, r.max_age) for r in policy.organisation_rules] == [
        (1, 4, timedelta(days=360)), (None, 3, timedelta(days=365))]
    assert policy.signed_sbom
    assert policy.critical_systems == {"Plant A", "Plant B/cell 1"}
    critical, other = policy.device_rules
    assert critical.applies_to is SystemScope.CRITICAL
    assert critical.attestation is not None
    assert critical.attestation.verdict is AttestationVerdict.GENUINE
    assert critical.attestation.max_age == timedelta(hours=24)
    assert critical.vulnerabilities is not None
    assert critical.vulnerabilities.severity is Severity.CRITICAL
    assert other.attestation is None
    assert other.vulnerabilities is not None and other.vulnerabilities.max_open.days == 14
    assert policy.organisation_rule(1) is policy.organisation_rules[0]
    assert policy.organisation_rule(2) is policy.organisation_rules[1]
    assert policy.organisation_rule(None) is None
    assert policy.device_rule(True) is critical and policy.device_rule(False) is other


@pytest.mark.parametrize(("text", "location", "problem"), [
    (b"trust-policy: 1\norganisations: [unclosed\n", "line 3", "not valid YAML"),
    (b"trust-policy: 1\nproducts:\n  signed-sbom: required\n  colour: blue\n", "line 4",
     "colour"),
    (b"trust-policy: 1\norganisations:\n  rules: {tier: 1}\n", "line 3", "not of type"),
    (b"trust-policy: 1\norganisations:\n  rules:\n    - {star: 7, max-age: 1 year}\n",
     "line 4", "/organisations/rules/0/star"),
    (b"trust-policy: 1\ndevices:\n  rules:\n    - systems: critical\n"
     b"      attestation: {verdict: SHINY, max-age: 1 day}\n", "line 5", "SHINY"),
    (b"trust-policy: 1\ndevices:\n  rules:\n    - systems: critical\n"
     b"      vulnerabilities: {severity: critical, max-open: 30 fortnights}\n", "line 5",
     "max-open"),
    (b"trust-policy: 1\nproducts:\n  signed-sbom: required\n  signed-sbom: not-required\n",
     "line 4", "duplicate key"),
    (b"trust-policy: 2\n", "line 1", "trust-policy"),
    (b"name: no format line\n", "line 1", "trust-policy"),
    (b"trust-policy: 1\ndevices:\n  critical-systems: [A, B, A]\n", "line 3", "twice"),
])
def test_refuses_bad_policies_naming_file_and_line(text: bytes, location: str,
                                                  problem: str) -> None:
    with pytest.raises(InputError) as raised:
        read_trust_policy(text, source="bad.yaml")
    told = raised.value.diagnostics()
    assert told.startswith("bad.yaml"), told
    assert location in told, told
    assert problem in told, told


def test_refuses_an_oversize_policy() -> None:
    with pytest.raises(InputError, match="limit"):
        read_trust_policy(b"#" * (2 * 1024 * 1024), source="big.yaml")
