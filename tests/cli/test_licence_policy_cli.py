"""`cpstrust licenses policy set|show|clear`: the stored policy, its findings listed by
kind, their events in JSON, and a bad policy refused with exit 2, storing nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

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
