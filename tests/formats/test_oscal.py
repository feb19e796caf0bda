"""Reading OSCAL catalogues, profiles and mappings: the shipped ones, NIST's, and each
class of bad input refused with the file and the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.files import read_limited
from cpstrust.formats.oscal import CatalogLimits, read_oscal
from cpstrust.limits import ReadLimits
from cpstrust.model.catalog import (
    CatalogDocument,
    MappingDocument,
    ProfileDocument,
    Relationship,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "oscal"
NIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "oscal"
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "catalogs"


def _read(path: Path) -> object:
    return read_oscal(path.read_bytes(), source=str(path), yaml=path.suffix == ".yaml")


def test_shipped_cpsf_catalogue_has_bilingual_requirements_and_marks_provisional_ones() -> None:
    document = _read(SHIPPED / "cpsf.json")
    assert isinstance(document, CatalogDocument)
    by_label = {r.label: r for r in document.requirements}
    assert len(by_label) == 17
    am1 = by_label["CPS.AM-1"]
    assert am1.group == "cps.am" and am1.title_ja and am1.statement and am1.statement_ja
    assert am1.provisional is None
    assert by_label["CPS.AC-9"].provisional and "Attachment D" in by_label["CPS.AC-9"].provisional
    kinds = sorted((p.kind, p.entry_id) for p in document.header.provisional)
    assert kinds == [("control", "cps.ac-9"), ("control", "cps.be-2"), ("group", "cps.an"),
                     ("group", "cps.co"), ("group", "cps.im"), ("group", "cps.mi"),
                     ("group", "cps.pt")]


def test_shipped_jc_star_has_sixteen_requirements_ten_of_them_provisional() -> None:
    document = _read(SHIPPED / "jc-star-star1.json")
    assert isinstance(document, CatalogDocument)
    assert [r.label for r in document.requirements] == [f"S1.1-{n:02d}" for n in range(1, 17)]
    provisional = [r.label for r in document.requirements if r.provisional]
    assert provisional == [f"S1.1-{n:02d}" for n in range(6, 16)]


def test_shipped_management_guideline_has_ten_items_and_a_five_level_scale() -> None:
    document = _read(SHIPPED / "mgmt-guideline-v3.json")
    assert isinstance(document, CatalogDocument)
    assert [r.label for r in document.requirements] == [str(n) for n in range(1, 11)]
    assert document.maturity is not None and document.maturity.levels == (1, 2, 3, 4, 5)
    assert document.maturity.provisional  # the level names are not confirmed


def test_shipped_star_profiles_name_their_level_and_are_provisional() -> None:
    for level in (3, 4, 5):
        document = _read(SHIPPED / f"cpsf-star{level}.json")
        assert isinstance(document, ProfileDocument)
        assert (document.scheme, document.level) == ("supply-chain-security-rating", level)
        assert document.header.provisional[0].kind == "document"
    star4 = _read(SHIPPED / "cpsf-star4.json")
    assert isinstance(star4, ProfileDocument)
    assert star4.imports[0].names == ("cpsf-star3",) and star4.imports[0].include_all


def test_shipped_mappings_have_a_relationship_and_a_rationale_per_entry() -> None:
    for name in ("cpsf-to-nist-csf-2.0", "cpsf-to-nist-sp800-171r2", "cpsf-to-iso27001-2022",
                 "cpsf-to-iec62443-3-3"):
        document = _read(SHIPPED / f"{name}.json")
        assert isinstance(document, MappingDocument)
        assert document.source_names == ("cpsf",) and document.framework
        assert document.entries and all(e.rationale for e in document.entries)
    csf = _read(SHIPPED / "cpsf-to-nist-csf-2.0.json")
    assert isinstance(csf, MappingDocument)
    cm1 = [e for e in csf.entries if e.source_id == "cps.cm-1"]
    assert [(e.target_id, e.relationship) for e in cm1] == [("DE.CM-01", Relationship.SUBSET)]


def test_nist_moderate_profile_names_the_catalogue_through_its_back_matter() -> None:
    document = _read(NIST / "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json")
    assert isinstance(document, ProfileDocument)
    (imported,) = document.imports
    assert imported.names == ("NIST_SP-800-53_rev5_catalog",)
    assert len(imported.include[0].with_ids) == 287


def test_nist_resolved_catalogue_keeps_enhancements_under_their_control() -> None:
    document = _read(NIST / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_"
                     "catalog-min.json")
    assert isinstance(document, CatalogDocument)
    by_id = {r.id: r for r in document.requirements}
    assert len(by_id) == 287
    assert by_id["ac-2.1"].parent == "ac-2" and by_id["ac-2"].group == "ac"
    assert by_id["ac-2"].label == "AC-02"  # as NIST labels it


def test_yaml_profile_reads_like_its_json_twin() -> None:
    json_doc = _read(DATA / "profile-children.json")
    yaml_doc = _read(DATA / "profile-children.yaml")
    assert isinstance(json_doc, ProfileDocument) and isinstance(yaml_doc, ProfileDocument)
    assert json_doc.imports[0].include == yaml_doc.imports[0].include


@pytest.mark.parametrize(("name", "code", "location"), [
    ("malformed.json", "json_truncated", "line 1 column 34"),
    ("not-oscal.json", "oscal_not_oscal", "/"),
    ("schema-invalid.json", "oscal_schema_invalid", "/catalog/controls/1/title"),
    ("duplicate-control.json", "oscal_duplicate_control", "/catalog/controls/0"),
    ("duplicate-key.json", "json_duplicate_key", "/catalog/metadata"),
    ("mapping-bad-relationship.json", "oscal_bad_relationship",
     "/mapping-collection/mappings/0/maps/0/relationship"),
])
def test_bad_document_is_refused_naming_file_and_place(name: str, code: str,
                                                       location: str) -> None:
    path = DATA / name
    with pytest.raises(InputError) as refused:
        _read(path)
    assert refused.value.code == code
    assert refused.value.source == str(path)
    assert refused.value.location == location


def test_duplicate_control_message_names_the_first_definition() -> None:
    with pytest.raises(InputError, match="first at /catalog/groups/0/controls/0"):
        _read(DATA / "duplicate-control.json")


def test_schema_error_says_what_is_missing() -> None:
    with pytest.raises(InputError, match="Field required"):
        _read(DATA / "schema-invalid.json")


def test_oversize_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    with pytest.raises(LimitExceededError) as refused:
        read_limited(big, ReadLimits(max_bytes=1024))
    assert refused.value.code == "input_file_over_limit"


def test_too_many_controls_are_refused() -> None:
    with pytest.raises(InputError) as refused:
        read_oscal((DATA / "mini-catalog.json").read_bytes(), source="mini",
                   limits=CatalogLimits(max_controls=2))
    assert refused.value.code == "oscal_too_many_controls"
    assert refused.value.location == "/catalog/controls/1"


def test_mapping_target_must_look_like_an_identifier_of_its_framework() -> None:
    text = (SHIPPED / "cpsf-to-iso27001-2022.json").read_text().replace('"A.5.9"', '"A.5.38"')
    with pytest.raises(InputError) as refused:
        read_oscal(text.encode(), source="iso.json")
    assert refused.value.code == "catalog_bad_target_id"
