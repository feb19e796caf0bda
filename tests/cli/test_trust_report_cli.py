"""`cpstrust trust report` through the command line, on the bundled demo: each format
(the table's summary and reasons, the JSON facts, the HTML page in Japanese written to a
file), exit 1 when a subject is untrusted, 0 when none is, 2 for a bad policy or a table
asked to go to a file."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import run

POLICY = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo" / "trust-policy.yaml"


def test_the_demo_report_exits_1_and_shows_every_verdict(demo: Path) -> None:
    code, out, _ = run("trust", "report", "--policy", str(POLICY))
    assert code == 1
    for text in ("Verdicts by kind", "What to do next", "Minato Building Systems",
                 "expired", "CPS.SC-1", "untrusted", "at risk", "unknown", "trusted"):
        assert text in out
    code, out, _ = run("trust", "report", "--policy", str(POLICY), "--format", "json")
    assert code == 1
    facts = json.loads(out)
    assert {s["verdict"] for s in facts["subjects"]} == {"trusted", "at_risk", "untrusted",
                                                          "unknown"}
    assert {"policy", "evaluated_at", "counts", "untrusted", "subjects", "edges",
            "requirements"} <= facts.keys()
    assert all(s["reasons"] for s in facts["subjects"])


def test_html_in_japanese_goes_to_the_file_asked(demo: Path) -> None:
    code, out, err = run("trust", "report", "--policy", str(POLICY), "--format", "html",
                         "--lang", "ja", "--out", "report.html")
    assert (code, out) == (1, "")
    assert "report.html" in err
    page = Path("report.html").read_text("utf-8")
    assert '<html lang="ja">' in page and "次にすべきこと" in page and "<svg" in page
    for name in ("Kanto Motors", "SS-SensorHub 1.8.0", "hub-weld2", "Nagoya Head Office"):
        assert name in page


def test_exit_0_when_nothing_is_untrusted_and_2_for_bad_input(demo: Path) -> None:
    Path("lenient.yaml").write_text("trust-policy: 1\n")  # requires nothing
    code, _, _ = run("trust", "report", "--policy", "lenient.yaml", "--format", "json")
    assert code == 0
    Path("bad.yaml").write_text("trust-policy: 1\ndevices:\n  rules: [{systems: some}]\n")
    code, _, err = run("trust", "report", "--policy", "bad.yaml")
    assert code == 2 and "bad.yaml" in err
    code, _, _ = run("trust", "report", "--policy", str(POLICY), "--out", "x.txt")
    assert code == 2 and not Path("x.txt").exists()
