"""`cpstrust trust evaluate` through the command line: the JSON contract (a verdicts list
with kind, id, verdict and reasons), exit codes, --kind, --what-if, a bad policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import ok, run

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo" / "supply-chain.yaml"
POLICY = """\
trust-policy: 1
organisations:
  rules:
    - {tier: any, star: 3, max-age: 12 months}
products:
  signed-sbom: required
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    ok("chain", "load", str(DEMO))
    Path("policy.yaml").write_text(POLICY)
    return tmp_path


def test_evaluate_prints_every_verdict_with_reasons_as_json(home: Path) -> None:
    code, out, _ = run("trust", "evaluate", "--policy", "policy.yaml", "--format", "json")
    assert code == 0  # unknown everywhere (no evidence yet), nothing untrusted
    report = json.loads(out)
    subjects = {(v["kind"], v["id"]): v for v in report["verdicts"]}
    assert {k for k, _ in subjects} == {"organisation", "product", "release", "device",
                                        "system", "zone"}
    setouchi = subjects[("organisation", "Setouchi Sensors")]
    assert setouchi["verdict"] == "unknown"
    assert setouchi["reasons"] == ["no ★ evidence held (★3 required)"]
    assert all(v["reasons"] for v in report["verdicts"])


def test_kind_filters_and_what_if_lists_changes(home: Path) -> None:
    out = ok("trust", "evaluate", "--policy", "policy.yaml", "--format", "json",
             "--kind", "system")
    assert {v["kind"] for v in json.loads(out)["verdicts"]} == {"system"}
    Path("lenient.yaml").write_text("trust-policy: 1\n")  # requires nothing
    changes = json.loads(ok("trust", "evaluate", "--policy", "policy.yaml", "--what-if",
                            "lenient.yaml", "--format", "json"))["changes"]
    assert {c["kind"] for c in changes} >= {"release"}
    assert all(c["before"] != c["after"] for c in changes)


def test_a_bad_policy_exits_2_naming_file_and_line(home: Path) -> None:
    Path("bad.yaml").write_text("trust-policy: 1\nproducts:\n  signed-sbom: maybe\n")
    code, _, err = run("trust", "evaluate", "--policy", "bad.yaml")
    assert code == 2
    assert "bad.yaml" in err and "line 3" in err
