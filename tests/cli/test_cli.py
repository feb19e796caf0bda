"""The command line as a user and a CI job see it: outputs, JSON keys and exit codes."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from clirun import run

from cpstrust.cli.app import COMMANDS, load_command

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps table cells at the default 80
    yield tmp_path / "home"


def test_demo_runs_on_a_fresh_home_and_prints_the_report(home: Path) -> None:
    code, out, _ = run("demo")
    assert code == 0
    assert "HC-Gateway" in out and "SS-SensorHub" in out
    assert "Setouchi Sensors" in out  # impact of the demo focus reaches the tier-2 supplier
    assert (home / "cpstrust.db").is_file()


def test_demo_verifies_the_bundled_signed_firmware_and_catches_a_tampered_copy(
    home: Path,
) -> None:
    code, out, _ = run("demo")
    assert code == 0
    assert "TRUSTED: SS-SensorHub 1.8.0" in out
    assert "Image ss-sensorhub-1.8.0: GENUINE" in out
    assert "critical MODIFIED bin/uplink" in out and "high UNLISTED bin/.cache/miner" in out


def test_demo_json_is_the_report_of_what_it_stored(home: Path) -> None:
    # Loading the demo again changes nothing: tests/app/test_demo.py.
    code, out, _ = run("demo", "--format", "json")
    code2, out2, _ = run("report", "--format", "json")
    assert code == code2 == 0
    assert json.loads(out2) == json.loads(out)


def test_report_speaks_japanese(home: Path) -> None:
    run("demo")
    code, out, _ = run("--lang", "ja", "report")
    assert code == 0
    assert "サプライチェーン脆弱性レポート" in out


def _demo_scan_json() -> str:
    """What `scan --format json` prints for a demo SBOM against the demo advisories."""
    run("vulndb", "import", str(DEMO / "advisories"))
    code, out, _ = run(
        "scan", str(DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"), "--format", "json"
    )
    assert code == 0
    return out


def test_scan_file_json_has_the_contract_keys_and_stores_nothing(home: Path) -> None:
    report = json.loads(_demo_scan_json())
    gogo = [
        f for f in report["findings"] if f["purl"] == "pkg:golang/github.com/gogo/protobuf@v1.3.1"
    ]
    assert len(gogo) == 1
    assert {"vulnerability_id", "aliases", "severity", "fixed_versions"} <= set(gogo[0])
    assert "CVE-2021-3121" in [gogo[0]["vulnerability_id"], *gogo[0]["aliases"]]
    assert gogo[0]["fixed_versions"] == ["1.3.2"]
    code, out, _ = run("report", "--format", "json")
    assert code == 0
    assert json.loads(out)["releases"] == []


@pytest.mark.usefixtures("home")
def test_scan_json_is_laid_out_keyed_and_ordered_as_the_contract_says() -> None:
    # The report's bytes stay the same for the same input however it is made (issue 11):
    # orjson's two-space layout and one newline, the keys of a finding in their order,
    # worst first, then by name, version and vulnerability id.
    out = _demo_scan_json()
    report = orjson.loads(out)
    assert out == orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n"
    findings = report["findings"]
    assert len(findings) > 1
    assert [list(f) for f in findings] == [[
        "purl", "name", "version", "ecosystem", "component_ref", "vulnerability_id",
        "aliases", "severity", "fixed_versions", "summary", "status"]] * len(findings)
    worst_first = ["critical", "high", "medium", "low", "none", "unknown"]
    assert findings == sorted(findings, key=lambda f: (
        worst_first.index(f["severity"]), f["name"], f["version"], f["vulnerability_id"]))
    counted = report["summary"]["by_severity"]
    assert sum(counted.values()) == report["summary"]["findings"] == len(findings)
    assert report["summary"]["not_compared"] == sum(
        1 for f in findings if f["status"] == "not_compared")


def test_scan_warns_of_a_purl_that_contradicts_its_component(home: Path, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "urllib3", "version": "1.24.1",
         "purl": "pkg:pypi/urllib3@2.2.2", "bom-ref": "u"}]}))
    code, out, err = run("scan", str(sbom), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"]["purl_disagreements"] == 1
    assert report["purl_disagreements"] == [{
        "component_ref": "u", "name": "urllib3", "purl": "pkg:pypi/urllib3@2.2.2",
        "field": "version", "component_value": "1.24.1", "purl_value": "2.2.2"}]
    assert "urllib3 (u): its version is 1.24.1" in " ".join(err.split())
    _, _, err_ja = run("--lang", "ja", "scan", str(sbom))
    assert "バージョン は 1.24.1" in " ".join(err_ja.split())


def test_scan_names_ten_disagreements_and_counts_the_rest(home: Path, tmp_path: Path) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": f"pkg{i}", "version": "1.0", "purl": f"pkg:pypi/pkg{i}@2.0",
         "bom-ref": f"c{i}"} for i in range(12)]}))
    code, out, err = run("scan", str(sbom), "--format", "json")
    assert code == 0 and len(json.loads(out)["purl_disagreements"]) == 12
    text = " ".join(err.split())
    assert text.count("its version is 1.0") == 10 and "... and 2 more components" in text


QUALITY = Path(__file__).resolve().parents[1] / "data" / "quality"


def test_sbom_check_reports_each_framework_and_gates_on_require(home: Path) -> None:
    demo = str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json")  # names no author
    code, out, _ = run("sbom", "check", demo, "--format", "json")
    assert code == 0  # a report, not a gate, without --require
    report = json.loads(out)
    assert [f["framework"] for f in report["frameworks"]] == [
        "ntia-2021", "bsi-tr-03183-2-2.1.0", "meti-sbom-guide-2.0", "consistency"]
    ntia = report["frameworks"][0]
    author = next(e for e in ntia["elements"] if e["element"] == "author")
    assert (author["met"], author["applicable"], ntia["compliant"]) == (0, 1, False)
    assert author["fix"].startswith("Name who wrote the SBOM")
    assert set(author) == {"element", "title", "scope", "required", "met", "applicable",
                           "score", "missing", "fix"}
    assert run("sbom", "check", demo, "--require", "ntia")[0] == 1
    assert run("sbom", "check", demo, "--require", "consistency")[0] == 0
    complete = str(QUALITY / "bsi-complete.cdx.json")
    assert run("sbom", "check", complete, "--require", "bsi", "--require", "ntia")[0] == 0


def test_sbom_check_speaks_japanese(home: Path) -> None:
    code, out, _ = run("--lang", "ja", "sbom", "check",
                       str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"))
    assert code == 0
    text = " ".join(out.split())
    assert "NTIA 最小要素 (2021 年)" in text and "SBOM データの作成者" in text


def test_sbom_check_of_a_file_that_is_no_sbom_exits_2(home: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}')
    code, _, err = run("sbom", "check", str(junk))
    assert code == 2 and "junk.json" in err


def test_licenses_check_exits_1_when_a_component_is_denied(home: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\ncategories:\n  permissive: allow\nmissing: deny\n")
    sbom = str(QUALITY / "spdx23.spdx.json")  # gateway gives no licence, libfoo MIT
    code, out, _ = run("licenses", "check", sbom, "--policy", str(policy), "--format", "json")
    report = json.loads(out)
    assert (code, report["summary"]) == (1, {"allow": 1, "review": 0, "deny": 1})
    libfoo = next(c for c in report["components"] if c["name"] == "libfoo")
    assert libfoo["licenses"] == [{"license": "MIT", "category": "permissive",
                                   "decision": "allow", "rule": "categories",
                                   "scope": {"kind": "base", "name": None}}]
    policy.write_text("version: 1\ncategories:\n  permissive: allow\nmissing: review\n"
                      "products: {Gateway: {missing: deny}}\n")
    code, out, _ = run("--lang", "ja", "licenses", "check", sbom, "--policy", str(policy))
    assert code == 0 and "許可 1 件、要確認 1 件、拒否 0 件。" in out
    assert "分類による (基本)" in " ".join(out.split())
    code, out, _ = run("--lang", "ja", "licenses", "check", sbom, "--policy", str(policy),
                       "--product", "Gateway")
    assert code == 1 and "ライセンス記載なし (製品 Gateway)" in " ".join(out.split())


def test_licenses_check_names_the_place_of_a_bad_policy(home: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nlicenses:\n  MTI: allow\n")
    code, _, err = run("licenses", "check", str(QUALITY / "spdx23.spdx.json"), "--policy",
                       str(policy))
    assert code == 2
    assert "policy.yaml: at /licenses/MTI: MTI is not on the SPDX licence list" in err


def test_fail_on_gates_with_exit_code_one(home: Path) -> None:
    run("vulndb", "import", str(DEMO / "advisories"))
    sbom = str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json")
    assert run("scan", sbom, "--fail-on", "critical")[0] in (0, 1)
    code_low, _, _ = run("scan", sbom, "--fail-on", "low")
    assert code_low == 1
    clean = str(DEMO / "sboms" / "hc-gateway-3.4.0.cdx.json")
    _, out, _ = run("scan", clean, "--format", "json")
    worst = {f["severity"] for f in json.loads(out)["findings"]}
    assert run("scan", clean, "--fail-on", "critical")[0] == (1 if "critical" in worst else 0)


def _unorderable_case(tmp_path: Path) -> tuple[Path, Path]:
    """An advisory whose fix is not a PEP 440 version, and an SBOM whose version is not one."""
    osv = tmp_path / "osv"
    osv.mkdir()
    (osv / "PYSEC-0000-1.json").write_text(json.dumps({
        "id": "PYSEC-0000-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "oddpkg"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "1.0"}]}]},
                     {"package": {"ecosystem": "PyPI", "name": "brokenfix"},
                      "ranges": [{"type": "ECOSYSTEM",
                                  "events": [{"introduced": "0"}, {"fixed": "trunk"}]}]}],
        "severity": [{"type": "CVSS_V3",
                      "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    }))
    bom = tmp_path / "bom.json"
    bom.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [
            {"type": "library", "bom-ref": "odd", "name": "oddpkg", "version": "0.9-custom!",
             "purl": "pkg:pypi/oddpkg@0.9-custom!"},
            {"type": "library", "bom-ref": "fix", "name": "brokenfix", "version": "2.0",
             "purl": "pkg:pypi/brokenfix@2.0"},
            {"type": "library", "bom-ref": "ok", "name": "oddpkg", "version": "1.1",
             "purl": "pkg:pypi/oddpkg@1.1"},
        ],
    }))
    return osv, bom


def test_a_version_that_cannot_be_compared_is_a_finding_never_silently_clean(
    home: Path, tmp_path: Path
) -> None:
    osv, bom = _unorderable_case(tmp_path)
    run("vulndb", "import", str(osv))
    code, out, _ = run("scan", str(bom), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert [(f["component_ref"], f["status"]) for f in report["findings"]] == [
        ("fix", "not_compared"), ("odd", "not_compared")]  # "ok" (1.1) is decided: clean
    assert report["summary"]["not_compared"] == 2
    assert run("scan", str(bom), "--fail-on", "critical")[0] == 1  # not known safe: gated
    code, out, _ = run("scan", str(bom))
    assert "2 of them could not be decided" in out


def test_a_stored_finding_that_could_not_be_compared_says_so(home: Path, tmp_path: Path) -> None:
    osv, bom = _unorderable_case(tmp_path)
    run("vulndb", "import", str(osv))
    assert run("sbom", "import", str(bom), "--product", "P", "--version", "1",
               "--supplier", "S")[0] == 0
    code, out, _ = run("findings", "list", "--format", "json")
    assert code == 0
    listed = json.loads(out)["findings"]
    assert sorted((f["component"], f["status"], f["version_compared"]) for f in listed) == [
        ("brokenfix", "open", False), ("oddpkg", "open", False)]


def test_bad_sbom_exits_two_with_file_named(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [')
    code, out, err = run("scan", str(bad))
    assert code == 2
    assert "broken.json" in err
    assert "Traceback" not in err + out


def test_impact_json_lists_the_blast_radius(home: Path) -> None:
    run("demo")
    code, out, _ = run("impact", "GHSA-c3h9-896r-86jm", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["counts"]["devices"] == 2
    assert [s["name"] for s in data["sites"]] == ["Mikawa Assembly Plant"]
    # Go records carry no CVSS vector, so the gate needs a PyPA one (urllib3, CVSS 8.1).
    assert run("impact", "GHSA-c3h9-896r-86jm", "--fail-on", "low")[0] == 0
    assert run("impact", "CVE-2023-43804", "--fail-on", "high")[0] == 1
    assert run("impact", "CVE-2023-43804", "--fail-on", "critical")[0] == 0


def test_unknown_vulnerability_is_exit_two(home: Path) -> None:
    run("demo")
    code, _, err = run("impact", "CVE-1999-0001")
    assert code == 2
    assert "CVE-1999-0001" in err


def test_usage_error_is_exit_two(home: Path) -> None:
    assert run("scan")[0] == 2
    assert run("scan", "--product", "X", "--all")[0] == 2


def test_sbom_import_then_scan_stored_product(home: Path) -> None:
    run("vulndb", "import", str(DEMO / "advisories"))
    code, out, _ = run(
        "sbom",
        "import",
        str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"),
        "--product",
        "HC-Gateway",
        "--version",
        "3.2.0",
        "--supplier",
        "Hokuriku Controls",
        "--format",
        "json",
    )
    assert code == 0
    stored = json.loads(out)
    assert stored["without_purl"] == ["hc-bootloader"]
    code, out, _ = run("scan", "--product", "HC-Gateway", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["findings"]) == stored["findings"] > 0


def test_vulndb_status_reports_sources_and_counts(home: Path, tmp_path: Path) -> None:
    osv = tmp_path / "osv"
    shutil.copytree(DEMO / "advisories", osv)
    run("vulndb", "import", str(osv))
    code, out, _ = run("vulndb", "status", "--format", "json")
    status = json.loads(out)
    assert code == 0
    assert status["advisories"] == len(list(osv.glob("*.json")))
    assert status["sources"][0]["records"] == status["advisories"]


def test_help_teaches_the_first_steps() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "cpstrust demo" in out and "Exit codes" in out


def test_scan_with_an_empty_advisory_database_says_so(home: Path) -> None:
    code, _, err = run("scan", str(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"))
    assert code == 0
    assert "advisory database is empty" in err


class _Exports(http.server.SimpleHTTPRequestHandler):
    """Serves a directory of OSV exports with ETags, as the OSV bucket does."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_file():
            self.send_header("ETag", f'"{hashlib.sha256(path.read_bytes()).hexdigest()}"')
        super().end_headers()

    def send_head(self) -> object:
        path = Path(self.translate_path(self.path))
        tag = f'"{hashlib.sha256(path.read_bytes()).hexdigest()}"' if path.is_file() else None
        if tag is not None and self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.end_headers()
            return None
        return super().send_head()


def test_vulndb_update_fetches_imports_and_then_skips_unchanged(home: Path, tmp_path: Path) -> None:
    served = tmp_path / "served" / "Go"
    served.mkdir(parents=True)
    with zipfile.ZipFile(served / "all.zip", "w") as archive:
        for path in sorted(DEMO.joinpath("advisories").glob("GO-*.json")):
            archive.write(path, path.name)
    handler = functools.partial(_Exports, directory=str(tmp_path / "served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert run("vulndb", "update", "-e", "Go", "--base-url", base)[0] == 2  # https only
        code, out, _ = run("vulndb", "update", "-e", "Go", "--base-url", base, "--allow-http",
                           "--format", "json")
        assert code == 0
        assert json.loads(out)["added"] == len(list(DEMO.joinpath("advisories").glob("GO-*.json")))
        code, out, _ = run("vulndb", "update", "-e", "Go", "--base-url", base, "--allow-http",
                           "--format", "json")
        assert (code, json.loads(out)["added"]) == (0, 0)
    finally:
        server.shutdown()
        server.server_close()


def test_vulndb_import_skips_bad_files_naming_them_and_keeps_the_rest(
    home: Path, tmp_path: Path
) -> None:
    osv = tmp_path / "osv"
    osv.mkdir()
    good = sorted(DEMO.joinpath("advisories").glob("GO-*.json"))[:3]
    for path in good:
        shutil.copy(path, osv)
    (osv / "GO-9999-0001.json").write_bytes(b'{"id": "GO-9999-0001", "affected": [')
    (osv / "bomb.zip").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, _ = run("vulndb", "import", str(osv), str(osv / "bomb.zip"), "--format", "json")
    result = json.loads(out)
    assert code == 0
    assert result["added"] == len(good)
    assert any("GO-9999-0001.json" in message for message in result["skipped"])
    assert any("bomb.zip" in message for message in result["skipped"])


def test_vulndb_import_of_nothing_readable_exits_2_and_records_nothing(
    home: Path, tmp_path: Path
) -> None:
    osv = tmp_path / "osv"
    osv.mkdir()
    (osv / "GO-9999-0001.json").write_bytes(b'{"id": "GO-9999-0001", "affected": [')
    (osv / "bomb.zip").write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = run("vulndb", "import", str(osv), str(osv / "bomb.zip"), "--format", "json")
    assert (code, out) == (2, "")
    assert "no advisory could be read: 2 files refused" in err
    assert "GO-9999-0001.json" in err and "bomb.zip" in err
    code, out, _ = run("vulndb", "status", "--format", "json")
    assert code == 0
    assert json.loads(out)["sources"] == []  # not even the attempt is recorded as a source


def test_vulndb_import_of_an_empty_directory_exits_2(home: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = run("vulndb", "import", str(tmp_path / "empty"))
    assert code == 2
    assert "no OSV records found" in err


def test_a_file_scan_imports_neither_the_orm_nor_pydantic(home: Path) -> None:
    # What a CI job waits for, as a whole process (issue 11, bench/bench_cli.py): the
    # advisories of a current SQLite store are read through the standard library.
    run("vulndb", "import", str(DEMO / "advisories"))
    imported, out = _imports_of("scan", str(DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"),
                                "--format", "json")
    assert "cpstrust.store.advisory_snapshot" in imported  # the probe saw the imports
    heavy = {m for m in imported if m.startswith(
        ("sqlalchemy", "alembic", "cpstrust.store.tables", "cpstrust.store.db", "pydantic"))}
    assert heavy == set()
    assert json.loads(out)["findings"]


def _imports_of(*args: str) -> tuple[set[str], str]:
    """The modules a whole `cpstrust` process imports (`python -X importtime`), and what
    it printed."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cpstrust", *args],
                          capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}, done.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_roots_listing_says_what_each_command_says_of_itself(name: str) -> None:
    # The root lists commands without importing them (COMMANDS); each must agree with
    # the first paragraph of its own help.
    own = (load_command(name).help or "").split("\n\n")[0]
    assert " ".join(own.split()) == COMMANDS[name].short_help


def test_help_imports_no_command() -> None:
    # A whole process, as the user runs it: listing the commands loads none of them.
    imported, _ = _imports_of("--help")
    assert "cpstrust.cli.app" in imported  # the probe saw the imports
    heavy = {m for m in imported if m.startswith(
        ("cpstrust.cli.scan", "cpstrust.app", "cpstrust.store", "sqlalchemy", "spdx_tools"))}
    assert heavy == set()


@pytest.mark.parametrize("args", [["--help"], ["--lang", "ja", "--help"], ["scan", "--help"]])
def test_help_pages_load_neither_markdown_nor_tracebacks(args: list[str]) -> None:
    # typer's help module imports rich's Markdown (markdown_it) and Traceback (pygments)
    # at its top; cpstrust shows neither, and a help page is what a user waits for.
    imported, out = _imports_of(*args)
    assert "typer.rich_utils" in imported
    assert "Usage" in out or "使い方" in out
    assert {"markdown_it", "pygments", "rich.markdown", "rich.traceback"} & imported == set()


def test_the_real_markdown_and_traceback_load_after_the_help_rendering() -> None:
    # The stand-ins are gone once typer's help module is loaded: a later import (a
    # library's pretty traceback, say) gets rich's own modules.
    probe = ("import sys\n"
             "from cpstrust.cli.app import _load_help_rendering\n"
             "_load_help_rendering()\n"
             "assert 'rich.markdown' not in sys.modules, 'stand-in left behind'\n"
             "from rich.markdown import Markdown\n"
             "from rich.traceback import Traceback\n"
             "print(Markdown.__module__, Traceback.__module__)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["rich.markdown", "rich.traceback"]
