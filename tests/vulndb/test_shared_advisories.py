"""The whole shared PyPA and Go data: every record parses and indexes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from cpstrust.errors import CpstrustError
from cpstrust.model.advisory import Advisory
from cpstrust.vulndb.memory import InMemoryAdvisoryLookup


def test_every_pypa_advisory_parses(
    pypa_dir: Path, pypa_parsed: tuple[list[Advisory], list[CpstrustError]],
) -> None:
    advisories, errors = pypa_parsed
    files = [p for p in pypa_dir.rglob("*.yaml")]
    assert [e.diagnostics() for e in errors] == []
    assert len(advisories) == len(files) == 2661  # plus .id-allocator: 2,662 files in all


def test_every_go_advisory_parses(
    go_dir: Path, go_parsed: tuple[list[Advisory], list[CpstrustError]],
) -> None:
    advisories, errors = go_parsed
    assert [e.diagnostics() for e in errors] == []
    assert len(advisories) == len(list(go_dir.glob("*.json"))) == 4291


def test_whole_data_indexes_without_unknown_ecosystems(
    pypa_advisories: list[Advisory], go_advisories: list[Advisory],
) -> None:
    lookup = InMemoryAdvisoryLookup.from_advisories(pypa_advisories + go_advisories)
    assert dict(lookup.skipped_ecosystems) == {}
    assert lookup.withdrawn == sum(1 for a in pypa_advisories + go_advisories if a.withdrawn)
    assert len(lookup) > 2000


def test_severities_come_from_cvss_where_pypa_gives_it(pypa_advisories: list[Advisory]) -> None:
    scored = [a for a in pypa_advisories if a.cvss]
    assert scored and all(a.severity.name != "UNKNOWN" for a in scored)
    assert Counter(v.type for a in scored for v in a.cvss) == {"CVSS_V3": len(scored)}
