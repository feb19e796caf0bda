"""Merging advisories that alias each other into one vulnerability."""

from __future__ import annotations

from cpstrust.model.advisory import Severity, VulnerabilityInfo
from cpstrust.vulndb.aliases import merge_aliases


def record(id_: str, *aliases: str, severity: Severity = Severity.UNKNOWN,
           summary: str | None = None) -> VulnerabilityInfo:
    return VulnerabilityInfo(id_, aliases, severity, summary)


def test_ids_and_aliases_of_one_vulnerability_map_to_one_canonical_cve() -> None:
    merged = merge_aliases([record("PYSEC-2021-9", "CVE-2021-1", "GHSA-x"),
                            record("GHSA-x", "CVE-2021-1")])
    assert {merged[i].id for i in ("PYSEC-2021-9", "GHSA-x", "CVE-2021-1")} == {"CVE-2021-1"}
    assert merged["GHSA-x"].aliases == ("GHSA-x", "PYSEC-2021-9")


def test_ghsa_is_canonical_when_there_is_no_cve() -> None:
    merged = merge_aliases([record("PYSEC-1", "GHSA-b"), record("GO-1", "GHSA-a", "GHSA-b")])
    assert merged["PYSEC-1"].id == "GHSA-a"


def test_merging_is_transitive_through_shared_aliases() -> None:
    merged = merge_aliases([record("A-1", "CVE-1"), record("B-1", "CVE-1", "GHSA-z"),
                            record("C-1", "GHSA-z")])
    assert merged["A-1"] is merged["C-1"]


def test_record_aliasing_several_cves_joins_them_and_lowest_cve_wins() -> None:
    merged = merge_aliases([record("GHSA-q", "CVE-2020-2", "CVE-2020-10"),
                            record("PYSEC-7", "CVE-2020-2")])
    assert merged["CVE-2020-2"].id == merged["CVE-2020-10"].id == "CVE-2020-10"  # text order


def test_group_severity_is_the_highest_and_summary_follows_id_preference() -> None:
    merged = merge_aliases([
        record("PYSEC-1", "CVE-1", severity=Severity.LOW, summary="pysec words"),
        record("GHSA-1", "CVE-1", severity=Severity.HIGH, summary="ghsa words"),
        record("GO-1", "CVE-1", severity=Severity.MEDIUM),
    ])
    info = merged["CVE-1"]
    assert info.severity is Severity.HIGH
    assert info.summary == "ghsa words"


def test_result_does_not_depend_on_input_order() -> None:
    records = [record("PYSEC-1", "CVE-1", summary="a"), record("GHSA-1", "CVE-1", summary="b")]
    assert merge_aliases(records)["CVE-1"] == merge_aliases(records[::-1])["CVE-1"]


def test_unrelated_advisories_stay_apart() -> None:
    merged = merge_aliases([record("GO-1"), record("GO-2")])
    assert merged["GO-1"].id == "GO-1" and merged["GO-2"].id == "GO-2"
