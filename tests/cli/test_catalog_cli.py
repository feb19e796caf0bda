"""`cpstrust catalog list|export|import`: the JSON listing with provisional counts, an
export trestle validates, and bad input as one line on stderr with exit code 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import ok, row_count, run

from cpstrust.store.tables import OscalDocumentRow

DATA = Path(__file__).resolve().parents[1] / "data" / "oscal"
NIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "oscal"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    yield tmp_path / "home"


def test_list_json_shows_each_document_with_its_provisional_count(home: Path) -> None:
    listed = {d["name"]: d for d in json.loads(ok("catalog", "list", "--format", "json"))
              ["documents"]}
    assert listed["cpsf"]["provisional"] == 7 and listed["cpsf"]["kind"] == "catalog"
    assert listed["cpsf-star4"]["level"] == 4
    assert listed["mgmt-guideline-v3"]["entries"] == 10


def test_list_table_says_how_provisional_entries_are_marked(home: Path) -> None:
    out = ok("catalog", "list")
    assert "jc-star-star1" in out and "status=unconfirmed" in out


def test_export_writes_oscal_that_trestle_validates(home: Path, tmp_path: Path) -> None:
    from trestle.oscal.mapping import MappingCollection

    out = tmp_path / "csf.json"
    ok("catalog", "export", "cpsf-to-nist-csf-2.0", "--out", str(out))
    document = json.loads(out.read_bytes())["mapping-collection"]
    MappingCollection.model_validate(document)
    provisional = [m for m in document["mappings"][0]["maps"] if "props" in m]
    assert {m["sources"][0]["id-ref"] for m in provisional} == {"cps.ac-9", "cps.be-2"}


def test_import_json_reports_what_was_stored(home: Path) -> None:
    done = json.loads(ok("catalog", "import", str(NIST / "basic-catalog.json"),
                         "--format", "json"))
    assert (done["name"], done["kind"], done["new"], done["entries"]) == (
        "basic-catalog", "catalog", True, 4)


@pytest.mark.parametrize(("name", "said"), [
    ("not-oscal.json", "not an OSCAL catalog"),
    ("schema-invalid.json", "at /catalog/controls/1/title"),
    ("duplicate-key.json", "/catalog/metadata"),
])
def test_bad_import_is_one_line_exit_2_and_stores_nothing(home: Path, name: str,
                                                         said: str) -> None:
    ok("catalog", "list")
    before = row_count(home, OscalDocumentRow)
    code, _, err = run("catalog", "import", str(DATA / name))
    assert code == 2
    assert err.count("\n") == 1 and str(DATA / name) in err and said in err
    assert row_count(home, OscalDocumentRow) == before


def test_japanese_error_for_an_unknown_catalogue(home: Path) -> None:
    code, _, err = run("--lang", "ja", "catalog", "export", "nope")
    assert code == 2 and "保存されていません" in err
