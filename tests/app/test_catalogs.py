"""Catalogue use cases on the store: the shipped catalogues present on first use, the
lookups other parts build on, NIST's files imported, profiles resolved against the store,
and a refused document storing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust.app.catalogs import (
    SHIPPED,
    export_catalog,
    find_requirement,
    import_catalog,
    level_sets,
    list_catalogs,
    management_items,
    profile_requirements,
)
from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.store.tables import OscalControlRow, OscalDocumentRow, OscalProfileItemRow

DATA = Path(__file__).resolve().parents[1] / "data" / "oscal"
NIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "oscal"
MODERATE_PROFILE = NIST / "NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"
NIST_CATALOG = "NIST_SP-800-53_rev5_catalog"  # the name the profile's back-matter gives


def _rows(services: Services) -> tuple[int, int, int]:
    with services.store.transaction() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                     for t in (OscalDocumentRow, OscalControlRow, OscalProfileItemRow))


def test_shipped_catalogues_are_stored_on_first_use_with_provisional_counts(
        services: Services) -> None:
    listed = {d.name: d for d in list_catalogs(services)}
    assert set(listed) == set(SHIPPED)
    assert all(d.shipped for d in listed.values())
    assert (listed["cpsf"].entries, listed["cpsf"].provisional) == (17, 7)
    assert (listed["jc-star-star1"].entries, listed["jc-star-star1"].provisional) == (16, 10)
    assert listed["cpsf-star3"].provisional == listed["cpsf-star3"].entries == 15
    assert listed["cpsf-to-nist-csf-2.0"].provisional == 2
    again = list_catalogs(services)
    assert [d.imported_at for d in again] == [listed[d.name].imported_at for d in again]


def test_requirement_is_found_by_label_or_id_in_any_case(services: Services) -> None:
    found = find_requirement(services, "cps.am-1")
    assert found.catalog == "cpsf" and found.requirement.label == "CPS.AM-1"
    assert find_requirement(services, "s1.1-02").requirement.title_ja == "弱い初期パスワードの禁止"
    assert find_requirement(services, "CPS.AC-9").requirement.provisional
    with pytest.raises(NotFoundError):
        find_requirement(services, "CPS.ZZ-1")


def test_a_requirement_in_two_catalogues_must_be_named_with_its_catalogue(
        services: Services) -> None:
    import_catalog(services, DATA / "mini-catalog.json")
    import_catalog(services, DATA / "mini-catalog.json", name="mini-copy")
    with pytest.raises(InputError) as refused:
        find_requirement(services, "x-1")
    assert refused.value.code == "catalog_requirement_ambiguous"
    assert find_requirement(services, "x-1", catalog="mini-copy").catalog == "mini-copy"


def test_star_levels_nest_and_star3_holds_the_fifteen_questionnaire_requirements(
        services: Services) -> None:
    levels = level_sets(services)
    assert sorted(levels) == [3, 4, 5]
    assert len(levels[3]) == 15 and "CPS.IP-9" in levels[3]
    assert levels[3] <= levels[4] <= levels[5]
    star3 = profile_requirements(services, "cpsf-star3")
    assert star3.items[0].catalog == "cpsf" and star3.items[0].requirement.label == "CPS.AM-1"


def test_management_items_come_with_their_five_level_scale(services: Services) -> None:
    items = management_items(services)
    assert len(items.items) == 10 and items.items[8].title_ja
    assert items.maturity.levels == (1, 2, 3, 4, 5)


def test_export_is_the_stored_document_and_trestle_validates_it(services: Services) -> None:
    from trestle.oscal.catalog import Catalog

    content = export_catalog(services, "jc-star-star1")
    assert content == (Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "catalogs"
                       / "jc-star-star1.json").read_bytes()
    Catalog.model_validate(json.loads(content)["catalog"])
    assert b'"value": "unconfirmed"' in content


def test_nist_profile_resolves_against_the_catalogue_its_back_matter_names(
        services: Services) -> None:
    with pytest.raises(InputError) as refused:
        import_catalog(services, MODERATE_PROFILE)
    assert refused.value.code == "catalog_unknown_import"
    assert refused.value.location == "/profile/imports/0"
    import_catalog(services, NIST / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_"
                   "catalog-min.json", name=NIST_CATALOG)
    done = import_catalog(services, MODERATE_PROFILE)
    assert done.new and done.document.entries == 287 and done.document.provisional == 0
    items = profile_requirements(services, done.document.name).items
    assert items[0].requirement.id == "ac-1" and {i.catalog for i in items} == {NIST_CATALOG}


def test_profile_naming_controls_its_catalogue_lacks_stores_nothing(services: Services) -> None:
    import_catalog(services, NIST / "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_"
                   "catalog-min.json", name=NIST_CATALOG)
    before = _rows(services)
    with pytest.raises(InputError) as refused:
        import_catalog(services, MODERATE_PROFILE)
    assert refused.value.code == "catalog_unknown_controls"
    assert refused.value.source == str(MODERATE_PROFILE)
    assert "138 control(s)" in refused.value.problem
    assert _rows(services) == before


def test_profile_with_child_controls_selects_enhancements(services: Services) -> None:
    import_catalog(services, DATA / "mini-catalog.json")
    done = import_catalog(services, DATA / "profile-children.yaml")
    ids = [f.requirement.id for f in profile_requirements(services, done.document.name).items]
    assert ids == ["x-1", "x-1.1"]


def test_profile_of_unknown_control_in_a_small_catalogue_is_refused(services: Services) -> None:
    import_catalog(services, DATA / "mini-catalog.json")
    with pytest.raises(InputError, match="x-9"):
        import_catalog(services, DATA / "profile-unknown-control.json")


def test_basic_catalog_imports_and_the_same_file_again_changes_nothing(
        services: Services) -> None:
    first = import_catalog(services, NIST / "basic-catalog.json")
    again = import_catalog(services, NIST / "basic-catalog.json")
    assert first.new and not again.new and first.document.entries == again.document.entries


def test_another_document_under_a_stored_name_is_refused(services: Services) -> None:
    import_catalog(services, DATA / "mini-catalog.json", name="cpsf-like")
    with pytest.raises(InputError) as refused:
        import_catalog(services, NIST / "basic-catalog.json", name="cpsf-like")
    assert refused.value.code == "catalog_name_taken"


def test_mapping_with_no_relationship_is_stored_against_its_source_catalogue(
        services: Services) -> None:
    with pytest.raises(InputError) as refused:
        import_catalog(services, DATA / "mapping-no-relationship.json")
    assert refused.value.code == "catalog_unknown_mapping_source"
    import_catalog(services, DATA / "mini-catalog.json")
    done = import_catalog(services, DATA / "mapping-no-relationship.json")
    assert done.document.entries == 1


@pytest.mark.parametrize("name", ["malformed.json", "not-oscal.json", "schema-invalid.json",
                                  "duplicate-control.json", "duplicate-key.json"])
def test_bad_document_stores_nothing(services: Services, name: str) -> None:
    before = _rows(services) if list_catalogs(services) else None
    with pytest.raises(InputError):
        import_catalog(services, DATA / name)
    assert _rows(services) == before
