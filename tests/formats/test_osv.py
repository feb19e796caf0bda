"""Reading OSV records: structure, severities, and refusal of bad or hostile input."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.osv import read_osv
from cpstrust.limits import ReadLimits
from cpstrust.messages import Lang, catalogue
from cpstrust.model.advisory import RangeType, Severity

BAD = Path(__file__).resolve().parents[1] / "data" / "bad" / "osv"
BAD_FILES = sorted(p for p in BAD.iterdir() if p.suffix in (".json", ".yaml"))

GHSA_JSON = {
    "id": "GHSA-aaaa-bbbb-cccc",
    "modified": "2024-05-01T00:00:00Z",
    "published": "2024-04-01T00:00:00Z",
    "aliases": ["CVE-2024-0001"],
    "summary": "Example",
    "affected": [{
        "package": {"ecosystem": "npm", "name": "@scope/pkg", "purl": "pkg:npm/%40scope/pkg"},
        "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]},
                   {"type": "GIT", "repo": "https://example.org/r.git",
                    "events": [{"introduced": "abc"}, {"limit": "def"}]}],
        "versions": ["1.0.0"],
    }],
    "references": [{"type": "WEB", "url": "https://example.org/a"}],
    "database_specific": {"severity": "MODERATE"},
}


def _json(record: dict[str, object]) -> bytes:
    return orjson.dumps(record)


def test_read_osv_json_builds_the_advisory() -> None:
    advisory = read_osv(_json(GHSA_JSON), source="a.json")
    assert advisory.id == "GHSA-aaaa-bbbb-cccc"
    assert advisory.aliases == ("CVE-2024-0001",)
    assert advisory.ids == ("GHSA-aaaa-bbbb-cccc", "CVE-2024-0001")
    package = advisory.affected[0]
    assert (package.ecosystem, package.name, package.purl) == ("npm", "@scope/pkg",
                                                               "pkg:npm/%40scope/pkg")
    assert [r.type for r in package.ranges] == [RangeType.SEMVER, RangeType.GIT]
    assert [(e.kind, e.version) for e in package.ranges[0].events] == [
        ("introduced", "0"), ("fixed", "1.2.3")]
    assert package.versions == ("1.0.0",)
    assert advisory.references == ("https://example.org/a",)


def test_ghsa_word_severity_is_used_when_there_is_no_cvss() -> None:
    assert read_osv(_json(GHSA_JSON), source="a.json").severity is Severity.MEDIUM


def test_highest_cvss_score_wins_over_database_word() -> None:
    record = dict(GHSA_JSON, severity=[
        {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},  # 9.8
        {"type": "CVSS_V4",
         "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"},  # 5.1
    ])
    advisory = read_osv(_json(record), source="a.json")
    assert advisory.severity is Severity.CRITICAL
    assert [v.base_score for v in advisory.cvss] == [9.8, 5.1]


def test_unscorable_vector_is_kept_without_a_score() -> None:
    record = dict(GHSA_JSON, severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:X"}])
    advisory = read_osv(_json(record), source="a.json")
    assert advisory.cvss[0].base_score is None
    assert advisory.severity is Severity.MEDIUM  # falls back to the database word


def test_package_level_cvss_sets_package_and_advisory_severity() -> None:
    record = {k: v for k, v in GHSA_JSON.items() if k != "database_specific"}
    affected = dict(GHSA_JSON["affected"][0], severity=[  # type: ignore[index]
        {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}])
    advisory = read_osv(_json(dict(record, affected=[affected])), source="a.json")
    assert advisory.affected[0].severity is Severity.MEDIUM
    assert advisory.severity is Severity.MEDIUM


def test_no_severity_information_means_unknown() -> None:
    record = {"id": "GO-2024-1", "modified": "2024-01-01T00:00:00Z"}
    assert read_osv(_json(record), source="a.json").severity is Severity.UNKNOWN


def test_withdrawn_advisory_is_read_and_marked() -> None:
    record = dict(GHSA_JSON, withdrawn="2024-06-01T00:00:00Z")
    assert read_osv(_json(record), source="a.json").withdrawn == "2024-06-01T00:00:00Z"


def test_unknown_ecosystem_is_not_a_parse_error() -> None:
    record = dict(GHSA_JSON, affected=[{
        "package": {"ecosystem": "Nonexistent:7", "name": "thing"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}])
    assert read_osv(_json(record), source="a.json").affected[0].ecosystem == "Nonexistent:7"


def test_affected_entry_without_package_is_dropped_not_fatal() -> None:
    record = dict(GHSA_JSON, affected=[{"ranges": [{"type": "GIT", "repo": "r", "events": [
        {"introduced": "abc"}]}]}])
    assert read_osv(_json(record), source="a.json").affected == ()


def test_yaml_scalars_stay_strings_not_floats_or_dates() -> None:
    data = (b"id: PYSEC-2024-1\nmodified: 2024-01-01T00:00:00Z\naffected:\n"
            b"- package: {ecosystem: PyPI, name: x}\n  versions: [1.10, 2.0, 3]\n")
    advisory = read_osv(data, source="a.yaml", yaml=True)
    assert advisory.modified == "2024-01-01T00:00:00Z"
    assert advisory.affected[0].versions == ("1.10", "2.0", "3")


def test_yaml_null_means_absent() -> None:
    data = b"id: X-1\nmodified: '2024'\nwithdrawn: ~\naliases: null\n"
    advisory = read_osv(data, source="a.yaml", yaml=True)
    assert advisory.withdrawn is None
    assert advisory.aliases == ()


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.name for p in BAD_FILES])
def test_bad_advisory_is_refused_with_file_place_and_problem(path: Path) -> None:
    expected = (path.parent / f"{path.name}.expected").read_text().strip()
    with pytest.raises(InputError) as caught:
        read_osv(path.read_bytes(), source=path.name, yaml=path.suffix == ".yaml")
    assert caught.value.diagnostics() == f"{path.name}: {expected}"
    assert caught.value.code in catalogue()  # a coded message, said in Japanese too
    assert caught.value.diagnostics(Lang.JA) != caught.value.diagnostics()


def test_python_tag_in_yaml_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    data = f'id: !!python/object/apply:os.system ["touch {marker}"]\nmodified: x\n'.encode()
    with pytest.raises(InputError, match="is not allowed"):
        read_osv(data, source="evil.yaml", yaml=True)
    assert not marker.exists()


def test_oversized_advisory_is_refused_before_parsing() -> None:
    with pytest.raises(LimitExceededError, match="over the 100 limit"):
        read_osv(_json(GHSA_JSON), source="big.json", limits=ReadLimits(max_bytes=100))


def test_overlong_string_is_refused() -> None:
    record = dict(GHSA_JSON, details="x" * 2000)
    with pytest.raises(LimitExceededError, match="longer than the 1000 limit") as caught:
        read_osv(_json(record), source="a.json", limits=ReadLimits(max_string=1000))
    assert caught.value.location == "/details"


def test_very_deep_yaml_is_refused_without_crashing_the_interpreter() -> None:
    # libyaml's own composer recurses in C and segfaults on this input. Newer libyaml
    # (PyYAML 6.0.4) refuses such nesting itself, before our limit is reached: either
    # refusal will do, as long as it is a clean one naming the file and the place.
    data = b"id: X-1\nmodified: x\nd: " + b"[" * 200_000 + b"]" * 200_000 + b"\n"
    with pytest.raises(InputError) as refused:
        read_osv(data, source="deep.yaml", yaml=True)
    assert refused.value.source == "deep.yaml"
    assert refused.value.location is not None and refused.value.location.startswith("line 3")
    assert "nesting" in refused.value.problem or "deeper" in refused.value.problem


def test_yaml_nested_past_our_limit_is_refused_by_our_limit() -> None:
    # 100 levels: well within what libyaml parses, beyond our 64.
    data = b"id: X-1\nmodified: x\nd: " + b"[" * 100 + b"]" * 100 + b"\n"
    with pytest.raises(LimitExceededError, match="deeper than 64") as refused:
        read_osv(data, source="deep.yaml", yaml=True)
    assert refused.value.source == "deep.yaml"


def test_very_deep_json_is_refused() -> None:
    data = b'{"id": "X-1", "modified": "x", "d": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    with pytest.raises(InputError, match=r"too deep|deeper"):
        read_osv(data, source="deep.json")


def test_missing_libyaml_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from cpstrust.errors import CpstrustError
    from cpstrust.formats import safe_yaml

    monkeypatch.delattr(yaml, "CSafeLoader")
    safe_yaml._libyaml_loader.cache_clear()
    try:
        with pytest.raises(CpstrustError, match="without libyaml"):
            read_osv(b"id: X-1\nmodified: x\n", source="a.yaml", yaml=True)
    finally:
        safe_yaml._libyaml_loader.cache_clear()
