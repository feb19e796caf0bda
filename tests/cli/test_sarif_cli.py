"""`--format sarif` on `scan` and `licenses check`: SARIF 2.1.0 logs that validate against
the schema (Microsoft's SARIF SDK copy, tests/data/sarif), VEX-dismissed findings kept
as suppressed results, and the same exit codes as the other formats."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from clirun import ok, run

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
SBOM = str(DATA / "vex" / "gateway.cdx.json")


@cache
def _validator() -> Any:
    schema = json.loads((DATA / "sarif" / "sarif-2.1.0.schema.json").read_text())
    return jsonschema_rs.validator_for(schema)


def _valid(text: str) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    errors = [f"{list(e.instance_path)}: {e.message}" for e in _validator().iter_errors(log)]
    assert not errors, errors[:5]
    return log


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    ok("vulndb", "import", str(REPO / "src" / "cpstrust" / "demo" / "advisories"))
    yield tmp_path / "home"


def test_a_scan_as_sarif(home: Path) -> None:
    code, out, _ = run("scan", SBOM, "--vex", str(DATA / "vex" / "gateway.openvex.json"),
                       "--format", "sarif", "--fail-on", "medium")
    assert code == 1  # CVE-2018-25091 (medium) still stands
    run_ = _valid(out)["runs"][0]
    results = {r["ruleId"]: r for r in run_["results"]}
    assert len(results) == 9 and {r["id"] for r in run_["tool"]["driver"]["rules"]} == set(results)
    dismissed = results["CVE-2023-43804"]
    assert dismissed["suppressions"][0]["kind"] == "external"
    assert "vulnerable_code_not_in_execute_path" in dismissed["suppressions"][0]["justification"]
    standing = results["CVE-2018-25091"]
    assert "suppressions" not in standing and standing["level"] == "warning"
    assert standing["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == (
        "pkg:pypi/urllib3@1.24.1")
    assert standing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == SBOM
    again = _valid(run("scan", SBOM, "--format", "sarif")[1])["runs"][0]["results"]
    assert {r["partialFingerprints"]["cpstrust/v1"] for r in again} == {
        r["partialFingerprints"]["cpstrust/v1"] for r in results.values()}


def test_sarif_is_for_file_scans(home: Path) -> None:
    code, _, err = run("scan", "--all", "--format", "sarif")
    assert code == 2 and "FILE" in err


def test_a_licence_check_as_sarif(home: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\ncategories:\n  permissive: review\nmissing: deny\n")
    code, out, _ = run("licenses", "check", str(DATA / "quality" / "spdx23.spdx.json"),
                       "--policy", str(policy), "--format", "sarif")
    assert code == 1
    results = _valid(out)["runs"][0]["results"]
    assert sorted((r["ruleId"], r["level"]) for r in results) == [
        ("licence/deny", "error"), ("licence/review", "warning")]
    assert any("MIT is review" in r["message"]["text"] for r in results)


def test_licences_of_stored_releases(home: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\ncategories:\n  permissive: allow\nmissing: deny\n")
    sbom = str(DATA / "quality" / "spdx23.spdx.json")
    ok("sbom", "import", sbom, "--product", "Gateway", "--version", "1.0", "--supplier", "Acme")
    code, out, _ = run("licenses", "check", "--product", "Gateway", "--policy", str(policy),
                       "--format", "json")
    from_file = json.loads(run("licenses", "check", sbom, "--policy", str(policy),
                               "--format", "json")[1])
    stored = json.loads(out)["releases"]
    assert code == 1 and [(r["product"], r["version"]) for r in stored] == [("Gateway", "1.0")]
    # The kept SBOM, read again, is judged as the file is.
    assert stored[0]["summary"] == from_file["summary"]
    assert stored[0]["components"] == from_file["components"]
    assert run("licenses", "check", "--policy", str(policy))[0] == 2  # neither
    # With FILE, --product names the scope; --version and a stored --org have no meaning.
    assert run("licenses", "check", sbom, "--version", "1.0", "--policy", str(policy))[0] == 2
    assert run("licenses", "check", "--product", "Gateway", "--org", "Acme", "--policy",
               str(policy))[0] == 2
    assert run("licenses", "check", "--product", "Nope", "--policy", str(policy))[0] == 2
    assert run("licenses", "check", "--product", "Gateway", "--policy", str(policy),
               "--format", "sarif")[0] == 2


def test_file_entries_are_not_counted_as_unmatchable_packages(home: Path, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "file", "name": "bin/app", "bom-ref": "f",
         "hashes": [{"alg": "SHA-256", "content": "0" * 64}]},
        {"type": "library", "name": "nopurl", "version": "1.0", "bom-ref": "n"}]}))
    summary = json.loads(ok("scan", str(sbom), "--format", "json"))["summary"]
    assert (summary["without_purl"], summary["not_matchable"]) == (1, 1)


def test_a_denied_licence_conflict_fails_the_check(home: Path, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "name": n, "version": "1.0", "bom-ref": n,
         "licenses": [{"expression": e}]}
        for n, e in (("kernel-module", "GPL-2.0-only"), ("sdk", "Apache-2.0"))]}))
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\ncategories: {permissive: allow, copyleft: allow}\n"
                      "conflicts:\n  - between: [GPL-2.0-only, Apache-2.0]\n"
                      "    reason: patent terms\n")
    code, out, _ = run("licenses", "check", str(sbom), "--policy", str(policy),
                       "--format", "json")
    assert code == 0  # review by default: listed, not failing
    assert json.loads(out)["conflicts"] == [{
        "between": ["GPL-2.0-only", "Apache-2.0"], "decision": "review",
        "reason": "patent terms", "scope": {"kind": "base", "name": None},
        "first": ["kernel-module"], "second": ["sdk"]}]
    policy.write_text(policy.read_text().replace("    reason", "    decision: deny\n    reason"))
    code, out, _ = run("licenses", "check", str(sbom), "--policy", str(policy))
    assert code == 1 and "GPL-2.0-only (kernel-module) with Apache-2.0 (sdk)" in " ".join(
        out.split())
    code, out, _ = run("licenses", "check", str(sbom), "--policy", str(policy),
                       "--format", "sarif")
    (conflict,) = [r for r in _valid(out)["runs"][0]["results"]
                   if r["ruleId"] == "licence/conflict"]
    assert code == 1 and conflict["level"] == "error" and len(conflict["locations"]) == 2
