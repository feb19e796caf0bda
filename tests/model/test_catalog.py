"""The pure rules over catalogues: what a profile import selects, level nesting, and the
identifier forms of mapped frameworks."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError
from cpstrust.model.catalog import (
    ProfileImport,
    Requirement,
    Selection,
    check_levels,
    check_target,
    select,
)

CATALOG = [Requirement(i, i.upper(), i, None, None, None, None, parent, None)
           for i, parent in (("a-1", None), ("a-1.1", "a-1"), ("a-1.1.1", "a-1.1"),
                             ("a-2", None), ("b-1", None))]


def _import(include: tuple[Selection, ...] = (), exclude: tuple[Selection, ...] = (),
            include_all: bool = False) -> ProfileImport:
    return ProfileImport("c.json", ("c",), include_all, include, exclude, "/profile/imports/0")


def test_with_child_controls_selects_every_descendant_in_catalogue_order() -> None:
    chosen = select(CATALOG, _import((Selection(("a-1",), (), True),)), "c")
    assert chosen == ("a-1", "a-1.1", "a-1.1.1")


def test_patterns_and_excludes_apply_after_include_all() -> None:
    assert select(CATALOG, _import((Selection((), ("a-*",), False),)), "c") == (
        "a-1", "a-1.1", "a-1.1.1", "a-2")
    assert select(CATALOG, _import(exclude=(Selection(("a-1",), (), True),), include_all=True),
                  "c") == ("a-2", "b-1")


def test_an_id_the_catalogue_lacks_is_refused_with_the_import_named() -> None:
    with pytest.raises(InputError) as refused:
        select(CATALOG, _import((Selection(("a-1", "z-9"), (), False),)), "c")
    assert refused.value.code == "catalog_unknown_controls"
    assert refused.value.location == "/profile/imports/0"


def test_levels_that_do_not_nest_are_refused() -> None:
    check_levels({3: frozenset({"x"}), 4: frozenset({"x", "y"})}, "s")
    with pytest.raises(InputError, match="★3 requires x"):
        check_levels({3: frozenset({"x"}), 4: frozenset({"y"})}, "s")


@pytest.mark.parametrize(("framework", "target"), [
    ("nist-csf-2.0", "ID.AM-1"), ("nist-sp800-171r2", "3.15.1"),
    ("iso-iec-27001-2022-annex-a", "A.6.9"), ("iec-62443-3-3", "SR 8.1")])
def test_target_not_in_the_framework_is_refused(framework: str, target: str) -> None:
    with pytest.raises(InputError):
        check_target(framework, target, "/m")


def test_targets_of_an_unknown_framework_are_taken_as_written() -> None:
    check_target(None, "anything", "/m")
    check_target("nist-csf-2.0", "PR.AA-01", "/m")
