"""`cpstrust chain load` reads the SBOMs it names in worker processes, in one transaction."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import row_count, run

from cpstrust.formats.sbom import read_sbom_file
from cpstrust.store.tables import ComponentRow, SbomDocumentRow

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield tmp_path / "home"


def _chain(tmp_path: Path, broken: bool) -> Path:
    (tmp_path / "sboms").mkdir()
    releases = []
    for i in range(6):
        name = f"gw-{i}.cdx.json"
        shutil.copy(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json", tmp_path / "sboms" / name)
        releases.append(f"{{version: '{i}', sbom: sboms/{name}}}")
    if broken:
        (tmp_path / "sboms" / "gw-3.cdx.json").write_bytes(b'{"bomFormat": "CycloneDX"}')
    chain = tmp_path / "chain.yaml"
    chain.write_text(
        "organizations: [{name: Acme}]\n"
        f"products: [{{name: GW, supplier: Acme, releases: [{', '.join(releases)}]}}]\n"
    )
    return chain


def test_chain_load_stores_every_sbom_it_names(home: Path, tmp_path: Path) -> None:
    code, out, _ = run("chain", "load", str(_chain(tmp_path, broken=False)), "--format", "json")
    assert code == 0
    assert json.loads(out)["sboms"] == 6
    assert row_count(home, SbomDocumentRow) == 6
    one, _raw = read_sbom_file(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json")
    assert row_count(home, ComponentRow) == 6 * len(one.components)


def test_chain_load_with_a_broken_sbom_exits_two_naming_it(home: Path, tmp_path: Path) -> None:
    # That it then stores nothing: tests/app/test_advisories.py (a failed chain load).
    code, _, err = run("chain", "load", str(_chain(tmp_path, broken=True)))
    assert code == 2
    assert "gw-3.cdx.json" in err and "specVersion" in err
