"""The user's language: with --lang ja an error's detail, its hint and the commands' own
texts are Japanese; in English they read as they always did. The verifier answers in
English with the message's code beside it, for a client to speak its user's language."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import ok, run

from appservices import services_of
from cpstrust.service.verifier import Verifier, VerifierSettings, make_server
from cpstrust.store.db import Store

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.delenv("CPSTRUST_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps lines at the default 80
    yield tmp_path / "home"


def _osv_directory(tmp_path: Path, *, good: int, bad: bool) -> Path:
    osv = tmp_path / "osv"
    osv.mkdir()
    for path in sorted(DEMO.joinpath("advisories").glob("GO-*.json"))[:good]:
        shutil.copy(path, osv)
    if bad:
        (osv / "GO-9999-0001.json").write_bytes(b'{"id": "GO-9999-0001", "affected": [')
    return osv


def test_an_unknown_finding_is_told_in_japanese_with_its_hint(home: Path) -> None:
    code, out, err = run("--lang", "ja", "findings", "set", "999", "accepted")
    assert (code, out) == (2, "")
    assert err.strip() == (
        "cpstrust: エラー: ID 999 の検出事項はありません "
        "(ID は `cpstrust findings list` で確認できます)"
    )


def test_an_unknown_device_is_named_in_japanese(home: Path) -> None:
    code, _, err = run("--lang", "ja", "devices", "show", "plc-99")
    assert code == 2
    assert "機器 'plc-99' は登録されていません" in err
    assert "機器の一覧は `cpstrust devices` で確認できます" in err


def test_an_unknown_device_reads_as_before_in_english(home: Path) -> None:
    code, _, err = run("--lang", "en", "devices", "show", "plc-99")
    assert code == 2
    assert err.strip() == (
        "cpstrust: error: no device named 'plc-99' (`cpstrust devices` lists the devices)"
    )


def test_a_scan_given_two_targets_is_refused_in_japanese(home: Path) -> None:
    code, _, err = run("--lang", "ja", "scan", "--all", "--product", "HC-Gateway")
    assert code == 2
    assert "FILE、--product、--all のうち一つだけを指定してください" in err


def test_vulndb_status_counts_in_japanese(home: Path, tmp_path: Path) -> None:
    ok("vulndb", "import", str(_osv_directory(tmp_path, good=3, bad=False)))
    counts = json.loads(ok("vulndb", "status", "--format", "json"))
    japanese = ok("--lang", "ja", "vulndb", "status")
    english = ok("--lang", "en", "vulndb", "status")
    assert (
        f"アドバイザリ {counts['advisories']} 件(取り下げ {counts['withdrawn']} 件)、"
        f"脆弱性 {counts['vulnerabilities']} 件、"
        f"影響を受けるパッケージ {counts['affected_packages']} 個"
    ) in japanese
    assert (
        f"{counts['advisories']} advisories ({counts['withdrawn']} withdrawn), "
        f"{counts['vulnerabilities']} vulnerabilities, "
        f"{counts['affected_packages']} affected packages"
    ) in english
    assert " 分" in japanese and " min" in english  # how old the data is


def test_vulndb_import_says_in_japanese_which_files_it_skipped(
    home: Path, tmp_path: Path
) -> None:
    code, _, err = run("--lang", "ja", "vulndb", "import",
                       str(_osv_directory(tmp_path, good=1, bad=True)))
    assert code == 0
    assert "スキップ " in err and "GO-9999-0001.json" in err


def test_an_import_of_nothing_readable_lists_the_refused_files_in_japanese(
    home: Path, tmp_path: Path
) -> None:
    osv = _osv_directory(tmp_path, good=0, bad=True)
    (osv / "bomb.zip").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run("--lang", "ja", "vulndb", "import", str(osv), str(osv / "bomb.zip"))
    assert code == 2
    assert "アドバイザリを 1 件も読み込めませんでした。拒否したファイル 2 個: " in err
    assert "GO-9999-0001.json" in err and "bomb.zip" in err


@pytest.fixture
def verifier(tmp_path: Path) -> Iterator[str]:
    """A verifier on an empty store, on a free port of 127.0.0.1 in this process."""
    store = Store.open(f"sqlite:///{tmp_path / 'verifier.db'}")
    server = make_server(Verifier(services_of(store), VerifierSettings()), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def _post(address: str, path: str, body: bytes) -> tuple[int, dict[str, str]]:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", path, body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer


def test_the_verifier_answers_an_error_in_english_with_its_code(verifier: str) -> None:
    assert _post(verifier, "/v1/challenge", b'{"device": "ghost"}') == (
        404, {"error": "no device named 'ghost'", "code": "store_no_device"})
    assert _post(verifier, "/v1/challenge", b"{}") == (
        400, {"error": "request: at /device: the request needs 'device' (str)",
              "code": "verifier_request_needs_member"})
    assert _post(verifier, "/v1/nowhere", b"{}") == (
        404, {"error": "no endpoint /v1/nowhere", "code": "verifier_no_endpoint"})
