"""`cpstrust licenses policy set|show|clear`: the stored policy, its findings listed by
kind, their events in JSON, and a bad policy refused with exit 2, storing nothing; scoped
overrides: names not stored warned of, the scope of each verdict in table, JSON and
SARIF, a file check under the scope given and a stored one under the graph's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import ok, row_count, run

from cpstrust.store.tables import LicencePolicyVersionRow

SBOM = {
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "components": [
        {"type": "library", "name": "gpl-lib", "version": "1.0", "purl": "pkg:pypi/gpl-lib@1.0",
         "bom-ref": "gpl", "licenses": [{"license": {"id": "GPL-3.0-only"}}]},
        {"type": "library", "name": "mit-lib", "version": "1.0", "purl": "pkg:pypi/mit-lib@1.0",
         "bom-ref": "mit", "licenses": [{"license": {"id": "MIT"}}]},
    ],
}
POLICY = "version: 1\ndefault: allow\ncategories: {copyleft: deny}\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store holding one release: a GPL-3.0-only component and an MIT one."""
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "250")
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps(SBOM))
    ok("sbom", "import", str(bom), "--product", "Gateway", "--version", "1.0",
       "--supplier", "Acme")
    yield tmp_path / "home"


def test_a_policy_set_shown_and_cleared(home: Path, tmp_path: Path) -> None:
    (tmp_path / "licences.yaml").write_text(POLICY)
    done = json.loads(ok("licenses", "policy", "set", str(tmp_path / "licences.yaml"),
                         "--format", "json"))
    assert (done["changed"], done["version"], done["opened"], done["events"]) == (
        True, 1, 1, 1)
    shown = json.loads(ok("licenses", "policy", "show", "--format", "json"))["policy"]
    assert (shown["version"], shown["source"], shown["document"]) == (
        1, "licences.yaml", POLICY)
    assert shown["categories"] == {"copyleft": "deny"} and shown["sha256"] == done["sha256"]
    findings = json.loads(ok("findings", "list", "--kind", "licence", "--format", "json"))[
        "findings"]
    assert [(f["component"], f["vulnerability_id"], f["kind"], f["licence"], f["severity"])
            for f in findings] == [
        ("gpl-lib", "licence-denied:GPL-3.0-only", "licence", "GPL-3.0-only", "high")]
    assert json.loads(ok("findings", "list", "--kind", "vulnerability", "--format",
                         "json"))["findings"] == []
    ok("findings", "set", str(findings[0]["id"]), "accepted", "--note", "legal approved")
    cleared = json.loads(ok("licenses", "policy", "clear", "--format", "json"))
    assert (cleared["version"], cleared["resolved"], cleared["events"]) == (2, 1, 1)
    events = json.loads(ok("events", "--format", "json"))["events"]
    assert [(e["kind"], e["finding_kind"], e["licence"], e["cause"]["kind"])
            for e in events] == [("introduced", "licence", "GPL-3.0-only", "policy"),
                                 ("resolved", "licence", "GPL-3.0-only", "policy")]
    assert json.loads(ok("licenses", "policy", "show", "--format", "json")) == {
        "policy": None}
    assert "No licence policy is stored." in ok("licenses", "policy", "show")


def test_a_policy_naming_an_unknown_licence_is_refused_and_nothing_stored(
        home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nlicenses: {GPL-9.9-only: deny}\n")
    code, _out, err = run("licenses", "policy", "set", str(bad))
    assert code == 2
    assert "bad.yaml" in err and "GPL-9.9-only" in err and "/licenses/GPL-9.9-only" in err
    assert row_count(home, LicencePolicyVersionRow) == 0
    assert json.loads(ok("events", "--format", "json"))["events"] == []


SCOPED = """\
version: 1
default: allow
categories: {copyleft: deny}
organisations:
  Acme:
    licenses: {GPL-3.0-only: review}
  Nobody: {}
products:
  Gateway:
    categories: {permissive: review}
  Planned: {}
"""


def _verdicts(report: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {c["name"]: (c["decision"], c["licenses"][0]["rule"], c["licenses"][0]["scope"])
            for c in report["components"]}


def test_a_scoped_policy_set_warns_of_names_not_stored_and_shows_its_overrides(
        home: Path, tmp_path: Path) -> None:
    (tmp_path / "scoped.yaml").write_text(SCOPED)
    code, out, err = run("licenses", "policy", "set", str(tmp_path / "scoped.yaml"),
                         "--format", "json")
    done = json.loads(out)
    assert code == 0 and done["changed"] is True
    assert (done["unknown_organisations"], done["unknown_products"]) == (["Nobody"],
                                                                         ["Planned"])
    assert "Nobody" in err and "Planned" in err and "Acme" not in err
    shown = json.loads(ok("licenses", "policy", "show", "--format", "json"))["policy"]
    assert shown["organisations"]["Acme"] == {
        "default": None, "missing": None, "unknown": None, "categories": {},
        "licenses": {"GPL-3.0-only": "review"}, "conflicts": []}
    assert shown["products"]["Gateway"]["categories"] == {"permissive": "review"}
    findings = json.loads(ok("findings", "list", "--kind", "licence", "--format", "json"))[
        "findings"]
    assert sorted(f["vulnerability_id"] for f in findings) == [
        "licence-review:GPL-3.0-only", "licence-review:MIT"]  # Acme's, then Gateway's


def test_the_scope_given_decides_a_file_check_and_is_reported(
        home: Path, tmp_path: Path) -> None:
    (tmp_path / "scoped.yaml").write_text(SCOPED)
    (tmp_path / "bom.json").write_text(json.dumps(SBOM))
    check = ("licenses", "check", str(tmp_path / "bom.json"), "--policy",
             str(tmp_path / "scoped.yaml"))
    code, out, _ = run(*check, "--format", "json")
    base = {"kind": "base", "name": None}
    assert code == 1 and _verdicts(json.loads(out)) == {
        "gpl-lib": ("deny", "categories", base), "mit-lib": ("allow", "default", base)}
    code, out, _ = run(*check, "--product", "Gateway", "--org", "Acme", "--format", "json")
    report = json.loads(out)
    assert code == 0 and (report["product"], report["organisation"]) == ("Gateway", "Acme")
    assert _verdicts(report) == {
        "gpl-lib": ("review", "licenses", {"kind": "organisation", "name": "Acme"}),
        "mit-lib": ("review", "categories", {"kind": "product", "name": "Gateway"})}
    table = " ".join(run(*check, "--product", "Gateway", "--org", "Acme")[1].split())
    assert "named in the policy (organisation Acme)" in table
    assert "by its category (product Gateway)" in table
    sarif = json.loads(run(*check, "--org", "Acme", "--format", "sarif")[1])
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["scopes"] == [{"kind": "organisation", "name": "Acme"}]
    assert "by licenses (organisation Acme)" in result["message"]["text"]


def test_a_stored_check_takes_the_organisation_from_the_graph(
        home: Path, tmp_path: Path) -> None:
    (tmp_path / "scoped.yaml").write_text(SCOPED)
    code, out, _ = run("licenses", "check", "--product", "Gateway", "--policy",
                       str(tmp_path / "scoped.yaml"), "--format", "json")
    (release,) = json.loads(out)["releases"]
    assert code == 0 and release["organisation"] == "Acme"
    assert _verdicts(release)["gpl-lib"] == (
        "review", "licenses", {"kind": "organisation", "name": "Acme"})
    code, _out, err = run("licenses", "check", "--product", "Gateway", "--org", "Beta",
                          "--policy", str(tmp_path / "scoped.yaml"))
    assert code == 2 and "--org" in err


def test_a_policy_naming_a_product_twice_is_refused_with_its_line(
        home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "twice.yaml"
    bad.write_text("version: 1\nproducts:\n  Gateway: {}\n  gateway: {missing: deny}\n")
    code, _out, err = run("licenses", "policy", "set", str(bad))
    assert code == 2 and "twice.yaml" in err and "line 4" in err and "'gateway'" in err
    assert row_count(home, LicencePolicyVersionRow) == 0
