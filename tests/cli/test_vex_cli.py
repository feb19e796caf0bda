"""`cpstrust scan FILE --vex VEX...`: statuses and justifications in the JSON report,
--fail-on counting only findings a statement leaves standing, bad VEX refused (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import ok, run

REPO = Path(__file__).resolve().parents[2]
DEMO_ADVISORIES = REPO / "src" / "cpstrust" / "demo" / "advisories"
VEX = REPO / "tests" / "data" / "vex"
SBOM = str(VEX / "gateway.cdx.json")
ALL_THREE = ("--vex", str(VEX / "gateway.openvex.json"), "--vex", str(VEX / "gateway.cdx-vex.json"),
             "--vex", str(VEX / "gateway.csaf.json"))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    ok("vulndb", "import", str(DEMO_ADVISORIES))
    yield tmp_path / "home"


def _findings(out: str) -> dict[str, dict[str, object]]:
    return {f["vulnerability_id"]: f for f in json.loads(out)["findings"]}


def test_each_format_sets_status_and_justification(home: Path) -> None:
    code, out, _ = run("scan", SBOM, *ALL_THREE, "--format", "json")
    assert code == 0
    found = _findings(out)
    assert found["CVE-2023-43804"]["status"] == "not_affected"  # OpenVEX, by an alias
    assert found["CVE-2023-43804"]["justification"] == "vulnerable_code_not_in_execute_path"
    assert found["CVE-2023-43804"]["vex"] == {  # type: ignore[comparison-overlap]
        "source": str(VEX / "gateway.openvex.json"), "statement": "/statements/0",
        "impact": "The gateway never follows redirects with a Cookie header.", "action": None}
    assert found["CVE-2018-25091"]["status"] == "affected"  # the statement is for 2.0.0
    assert found["CVE-2018-25091"]["justification"] is None
    assert found["CVE-2023-45803"]["status"] == "under_investigation"  # subcomponent
    assert found["CVE-2019-10906"]["status"] == "affected"  # CycloneDX, BOM-Link
    assert found["CVE-2020-28493"]["status"] == "affected"  # BOM-Link to another BOM
    assert found["CVE-2020-26137"]["status"] == "fixed"  # CSAF, the product as a whole
    assert found["CVE-2021-33503"]["status"] == "not_affected"  # CSAF relationship
    assert found["CVE-2021-33503"]["justification"] == "vulnerable_code_not_present"
    summary = json.loads(out)["summary"]["vex"]
    assert summary == {"documents": 3, "statements": 7, "statements_applied": 5,
                       "findings_decided": 5, "by_status": {
                           "not_affected": 2, "affected": 1, "fixed": 1,
                           "under_investigation": 1}}


def test_fail_on_counts_only_findings_left_standing(home: Path) -> None:
    # The one high finding (CVE-2023-43804) is declared not affected.
    assert run("scan", SBOM, "--fail-on", "high")[0] == 1
    assert run("scan", SBOM, "--vex", str(VEX / "gateway.openvex.json"),
               "--fail-on", "high")[0] == 0
    assert run("scan", SBOM, *ALL_THREE, "--fail-on", "medium")[0] == 1  # affected, open


def test_the_table_shows_the_status_in_the_users_language(home: Path) -> None:
    _, out, _ = run("scan", SBOM, *ALL_THREE)
    assert "not affected (vulnerable_code_not_in_execute_path)" in " ".join(out.split())
    _, out_ja, _ = run("--lang", "ja", "scan", SBOM, *ALL_THREE)
    assert "影響なし" in out_ja and "調査中" in out_ja


def test_a_vex_for_another_product_is_warned_of(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps({
        "@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://x.example/1",
        "author": "X", "timestamp": "2026-01-01T00:00:00Z", "version": 1,
        "statements": [{"vulnerability": {"name": "CVE-2023-43804"},
                        "products": [{"@id": "pkg:pypi/requests"}], "status": "fixed"}]}))
    code, out, err = run("scan", SBOM, "--vex", str(other), "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["vex"]["findings_decided"] == 0
    assert f"{other}: no statement of this VEX names" in " ".join(err.split())


def test_bad_vex_stops_the_scan_with_exit_2(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [
        {"id": "CVE-1", "analysis": {"state": "not_affected"}, "affects": [{"ref": "nowhere"}]}]}))
    code, out, err = run("scan", SBOM, "--vex", str(bad), "--format", "json")
    assert code == 2 and out == ""
    text = " ".join(err.split())
    assert str(bad) in text and "/vulnerabilities/0/affects/0/ref" in text and "nowhere" in text


def test_vex_needs_a_file_to_scan(home: Path) -> None:
    code, _, err = run("scan", "--all", "--vex", str(VEX / "gateway.openvex.json"))
    assert code == 2 and "--vex" in err


def test_vex_import_keeps_deciding_stored_findings(home: Path) -> None:
    ok("sbom", "import", SBOM, "--product", "Gateway", "--version", "2.4.0", "--supplier", "Acme")
    code, out, _ = run("vex", "import", str(VEX / "gateway.openvex.json"), "--format", "json")
    assert code == 0
    done = json.loads(out)
    assert done["document"]["format"] == "openvex" and done["document"]["new"] is True
    assert (done["releases"], done["findings_decided"], done["findings_changed"]) == (1, 2, 2)
    listed = {f["vulnerability_id"]: f for f in json.loads(
        ok("findings", "list", "--format", "json"))["findings"]}
    assert listed["CVE-2023-43804"]["status"] == "not_affected"
    assert listed["CVE-2023-43804"]["vex_status"] == "not_affected"
    assert listed["CVE-2023-43804"]["justification"] == "vulnerable_code_not_in_execute_path"
    assert listed["CVE-2023-45803"]["vex_status"] == "under_investigation"
    _, out_ja, _ = run("--lang", "ja", "vex", "import", str(VEX / "gateway.openvex.json"))
    assert "保存済み" in out_ja


def test_vex_import_of_a_bad_document_exits_2(home: Path, tmp_path: Path) -> None:
    ok("sbom", "import", SBOM, "--product", "Gateway", "--version", "2.4.0", "--supplier", "Acme")
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    code, _, err = run("vex", "import", str(bad))
    assert code == 2 and str(bad) in " ".join(err.split())
    assert run("vex", "import", str(VEX / "gateway.csaf.json"), "--product", "Nope")[0] == 2


@pytest.mark.parametrize("fmt", ["openvex", "cyclonedx"])
def test_an_exported_vex_says_what_the_store_decided(home: Path, tmp_path: Path,
                                                      fmt: str) -> None:
    ok("sbom", "import", SBOM, "--product", "Gateway", "--version", "2.4.0", "--supplier", "Acme")
    for name in ("gateway.csaf.json", "gateway.openvex.json", "gateway.cdx-vex.json"):
        ok("vex", "import", str(VEX / name))
    stored = {f["vulnerability_id"]: f for f in json.loads(
        ok("findings", "list", "--format", "json"))["findings"]}
    exported = tmp_path / f"gateway.{fmt}.json"
    code, _, err = run("vex", "export", "--product", "Gateway", "--format", fmt,
                       "--out", str(exported))
    assert code == 0 and "9 statements" in err
    # Read back by the strict reader (the format's schema) and applied to the SBOM.
    scanned = _findings(ok("scan", SBOM, "--vex", str(exported), "--format", "json"))
    expected = {"not_affected": "not_affected", "fixed": "fixed"}
    for vid, finding in stored.items():
        if finding["status"] in expected:
            assert scanned[vid]["status"] == expected[finding["status"]], vid
        elif finding["vex_status"] == "affected":
            assert scanned[vid]["status"] == "affected", vid
        else:  # open, nobody judged it: under investigation
            assert scanned[vid]["status"] == "under_investigation", vid
    assert scanned["CVE-2023-43804"]["justification"] in (
        "vulnerable_code_not_in_execute_path", "code_not_reachable")


def test_vex_export_to_standard_output_and_of_an_unknown_product(home: Path) -> None:
    ok("sbom", "import", SBOM, "--product", "Gateway", "--version", "2.4.0", "--supplier", "Acme")
    document = json.loads(ok("vex", "export", "--product", "Gateway"))
    assert document["@context"] == "https://openvex.dev/ns/v0.2.0"
    assert document["author"] == "Acme" and len(document["statements"]) == 9
    assert run("vex", "export", "--product", "Nope")[0] == 2


def test_fail_on_any_counts_findings_of_unknown_severity(home: Path, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "jinja2", "version": "2.10", "purl": "pkg:pypi/jinja2@2.10",
         "bom-ref": "j"}]}))
    severities = {f["severity"] for f in json.loads(
        ok("scan", str(sbom), "--format", "json"))["findings"]}
    assert severities == {"unknown"}
    assert run("scan", str(sbom), "--fail-on", "low")[0] == 0
    assert run("scan", str(sbom), "--fail-on", "any")[0] == 1
