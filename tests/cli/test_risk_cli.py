"""`cpstrust risk register|plan` through the command line, on the bundled demo: the
table, the JSON facts with the heat map, the Japanese HTML page with its inline SVG heat
map, --fail-on, and exit 2 for an unknown site or a table asked to go to a file."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import ok, run

PLANT = "Mikawa Assembly Plant"


def test_register_as_table_and_json(demo: Path) -> None:
    out = ok("risk", "register", "--site", PLANT)
    for text in ("Risk register", "line-control", "MODIFIED", "CPS.MA-1", "Kanto Motors"):
        assert text in out
    facts = json.loads(ok("risk", "register", "--site", PLANT, "--format", "json"))
    assert {"site", "operator", "summary", "heat_map", "zones", "risks"} <= facts.keys()
    assert sum(map(sum, facts["heat_map"])) == len(facts["risks"]) == 21
    assert all(r["reasons"] and r["score"] == r["likelihood"] * r["impact"]
               for r in facts["risks"])


def test_plan_as_json_is_ordered_by_reduction_per_effort(demo: Path) -> None:
    facts = json.loads(ok("risk", "plan", "--site", PLANT, "--format", "json"))
    ratios = [p["reduction"] / p["effort"] for p in facts["plan"]]
    assert ratios == sorted(ratios, reverse=True) and facts["plan"][0]["rank"] == 1
    assert {p["requirement"] for p in facts["in_place"]} == {"CPS.AM-1", "CPS.GV-1", "CPS.RP-1"}
    assert any(p["provisional"] for p in facts["plan"])


def test_html_in_japanese_with_the_heat_map(demo: Path) -> None:
    code, out, err = run("--lang", "ja", "risk", "register", "--site", PLANT, "--format",
                         "html", "--out", "risk.html")
    assert (code, out) == (0, "") and "risk.html" in err
    page = Path("risk.html").read_text("utf-8")
    assert '<html lang="ja">' in page and "<svg" in page and "リスク台帳" in page
    assert "発生可能性 5、影響度 5" in page  # every cell says its count in words
    ok("risk", "plan", "--site", PLANT, "--format", "html", "--out", "plan.html")
    assert "Plan of countermeasures" in Path("plan.html").read_text("utf-8")


def test_fail_on_and_bad_input(demo: Path) -> None:
    code, _, _ = run("risk", "register", "--site", PLANT, "--fail-on", "high")
    assert code == 1
    code, _, _ = run("risk", "register", "--site", PLANT, "--fail-on", "critical")
    assert code == 0
    code, _, err = run("risk", "register", "--site", "Atlantis Works")
    assert code == 2 and "Atlantis Works" in err
    code, _, err = run("risk", "plan", "--site", PLANT, "--zone", "nowhere")
    assert code == 2 and "nowhere" in err
    code, _, _ = run("risk", "plan", "--site", PLANT, "--out", "x.txt")
    assert code == 2
