"""`cpstrust monitor scenario`: files written, the JSON report, exit codes on bad input."""

from __future__ import annotations

from pathlib import Path

import orjson
from clirun import ok, run


def test_scenario_writes_captures_and_truth_and_reports_them_as_json(tmp_path: Path) -> None:
    out = tmp_path / "s"
    report = orjson.loads(ok("monitor", "scenario", "--out", str(out), "--seed", "3",
                             "--normal-minutes", "2", "--test-minutes", "40",
                             "--capture", "pcapng", "--format", "json"))
    assert [c["file"] for c in report["captures"]] == ["normal.pcapng", "test.pcapng"]
    assert report["episodes"] == 16
    assert all((out / c["file"]).stat().st_size == c["bytes"] for c in report["captures"])
    truth = orjson.loads((out / "truth.json").read_bytes())
    assert truth["scenario"]["seed"] == 3 and len(truth["episodes"]) == 16
    assert (out / "truth.csv").read_text().count("\n") == 17


def test_scenario_table_names_the_files(tmp_path: Path) -> None:
    text = ok("monitor", "scenario", "--out", str(tmp_path), "--normal-minutes", "1",
              "--test-minutes", "32")
    assert "normal.pcap" in text and "test.pcap" in text


def test_bad_config_file_exits_2_naming_it(tmp_path: Path) -> None:
    config = tmp_path / "bad.json"
    config.write_text('{"noise": 2}')
    code, _, err = run("monitor", "scenario", "--out", str(tmp_path / "o"),
                       "--config", str(config))
    assert code == 2 and "bad.json" in err and "'noise'" in err


def test_bad_capture_format_and_size_exit_2(tmp_path: Path) -> None:
    code, _, err = run("monitor", "scenario", "--out", str(tmp_path), "--capture", "erf")
    assert code == 2 and "pcap or pcapng" in err
    code, _, err = run("monitor", "scenario", "--out", str(tmp_path), "--scale-bytes", "lots")
    assert code == 2 and "--scale-bytes" in err
    code, _, err = run("monitor", "scenario", "--out", str(tmp_path), "--scale-bytes", "10K")
    assert code == 2 and "at least" in err
