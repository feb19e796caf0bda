"""`cpstrust assess` through the CLI: an interactive session stopped and resumed (the
prompts driven through CliRunner's input), a bad answer file (exit 2, file and place),
the HTML report in both languages, and the README's small-supplier walkthrough run as
written, with the buyer verifying its bundle."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from clirun import Home, ok, row_count, run, runner

from cpstrust.cli.app import app
from cpstrust.store.tables import AssessmentAnswerRow

ORG = "Hokuriku Controls"
README = Path(__file__).resolve().parents[2] / "README.md"
ANSWER_ALL_MET = "m\n\n\n"  # status, no note, no evidence

def interactive(*args: str, answers: str) -> str:
    result = runner.invoke(app, list(args), input=answers)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def report_json() -> dict[str, object]:
    return json.loads(ok("assess", "report", ORG, "--format", "json"))  # type: ignore[no-any-return]


def test_an_interactive_session_stopped_resumes_where_it_stopped(home: Home) -> None:
    data = home("supplier")
    Path("policy.pdf").write_bytes(b"%PDF policy")
    first = ("m\npolicy approved\n4\npolicy.pdf\n\n"  # item 1: met, maturity 4, a file
             "x\np\n\n2\n\n"  # item 2: a word that is no status is asked again
             "s\n"  # item 3 skipped
             "q\n")
    out = interactive("assess", "run", "mgmt-guideline-v3", "--org", ORG, answers=first)
    assert "2 of 10" in out
    assert row_count(data, AssessmentAnswerRow) == 2
    # End of input halfway through the next session keeps what was answered.
    interactive("assess", "run", "mgmt-guideline-v3", "--org", ORG,
                answers="n\n\n1\n\n" + "na\n")
    out = interactive("assess", "run", "mgmt-guideline-v3", "--org", ORG,
                      answers=("m\n\n3\n\n" * 7))
    assert "10 of 10" in out
    maturity = report_json()["maturity"]["items"]  # type: ignore[index]
    assert [m["level"] for m in maturity] == [4, 2, 1] + [3] * 7
    requirements = {r["requirement"]: r for r in report_json()["requirements"]}  # type: ignore[attr-defined]
    assert requirements["1"]["note"] == "policy approved"
    assert requirements["1"]["evidence"][0]["size"] == len(b"%PDF policy")


def test_a_bad_answer_file_exits_2_naming_file_and_place(home: Home) -> None:
    data = home("supplier")
    Path("a.yaml").write_text("version: 1\nanswers:\n  - {requirement: CPS.AM-1, status: met}\n"
                              "  - {requirement: CPS.ZZ-1, status: met}\n")
    code, _, err = run("assess", "run", "cpsf-star3", "--org", ORG, "--answers", "a.yaml")
    assert code == 2
    assert "a.yaml" in err and "/answers/1" in err and "CPS.ZZ-1" in err
    assert row_count(data, AssessmentAnswerRow) == 0


def test_the_html_report_in_english_and_japanese(home: Home) -> None:
    home("supplier")
    Path("a.csv").write_text("requirement,status,note\nCPS.AM-1,met,<b>register</b>\n"
                             "CPS.RA-1,not-met,\n")
    ok("assess", "run", "cpsf-star3", "--org", ORG, "--answers", "a.csv")
    for lang, heading, status in (("en", "Assessment of Hokuriku Controls", "not met"),
                                  ("ja", "Hokuriku Controls の評価", "満たさない")):
        ok("assess", "report", ORG, "--format", "html", "--lang", lang, "--out", f"{lang}.html")
        page = Path(f"{lang}.html").read_text()
        assert f'<html lang="{lang}">' in page and heading in page and status in page
        assert "<svg" in page and "<?xml" not in page and "<script" not in page
        assert "default-src 'none'" in page
        assert "&lt;b&gt;register&lt;/b&gt;" in page  # the note is escaped
    assert "対応計画" in Path("ja.html").read_text()


def _walkthrough() -> list[str]:
    text = README.read_text()
    block = re.search(r"<!-- walkthrough -->\n```sh\n(.*?)```\n<!-- /walkthrough -->", text,
                      re.S)
    assert block is not None, "the README's walkthrough block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_walkthrough_runs_end_to_end(home: Home,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    home("supplier")
    for line in _walkthrough():
        words = shlex.split(line)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "cpstrust", line
        args, target = (words[1:words.index(">")], words[words.index(">") + 1]) \
            if ">" in words else (words[1:], None)
        if args[-2:] == ["--org", ORG] and "run" in args and "--answers" not in args:
            # Answer six questions, stop, then continue with the nine others.
            assert "15 問中 6 問" in interactive(*args, answers=ANSWER_ALL_MET * 6 + "q\n")
            out = interactive(*args, answers=ANSWER_ALL_MET * 9)
            assert "15 問中 15 問" in out
            continue
        out = ok(*args)
        if target:
            Path(target).write_text(out)
    assert "★" in Path("hokuriku-assessment.html").read_text()
    # The buyer: the key checked and trusted, the bundle verified offline.
    home("buyer")
    ok("trust", "add-key", "hokuriku.pem", "--role", "organisation", "--scope", ORG)
    verified = json.loads(ok("evidence", "verify", "hokuriku.bundle.json", "--format", "json"))
    assert verified["accepted"] == 2
    kinds = sorted(e["kind"] for e in verified["envelopes"])
    assert kinds == ["assessment-result", "star-declaration"]
