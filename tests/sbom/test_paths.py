"""Dependency paths: the shortest chain of edges from the SBOM's root to a component,
through cycles, with components no root reaches, and the root as SBOM formats name it."""

from __future__ import annotations

from pathlib import Path

from cpstrust.formats.sbom import read_sbom_file
from cpstrust.model.sbom import Sbom, SbomComponent, SbomFormat
from cpstrust.sbom.paths import root_refs, shortest_paths

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo" / "sboms"


def test_the_shortest_path_wins_over_a_longer_one_found_first() -> None:
    # root -> a -> b -> c, and root -> c directly, written last.
    edges = [("root", "a"), ("a", "b"), ("b", "c"), ("root", "c")]
    assert shortest_paths(edges, ["root"], ["c", "b"]) == {
        "c": ("root", "c"), "b": ("root", "a", "b")}


def test_of_two_shortest_paths_the_one_through_the_dependency_written_first_is_shown(
) -> None:
    edges = [("root", "x"), ("root", "y"), ("y", "leaf"), ("x", "leaf")]
    assert shortest_paths(edges, ["root"], ["leaf"]) == {"leaf": ("root", "x", "leaf")}
    edges = [("root", "y"), ("root", "x"), ("y", "leaf"), ("x", "leaf")]
    assert shortest_paths(edges, ["root"], ["leaf"]) == {"leaf": ("root", "y", "leaf")}


def test_a_cycle_is_walked_once() -> None:
    edges = [("root", "a"), ("a", "b"), ("b", "a"), ("b", "root"), ("b", "c")]
    assert shortest_paths(edges, ["root"], ["c", "a"]) == {
        "c": ("root", "a", "b", "c"), "a": ("root", "a")}


def test_a_component_no_root_reaches_has_no_path() -> None:
    # "island" depends on "lib" but nothing leads to it; "lib" is still reached.
    edges = [("root", "app"), ("island", "lib"), ("app", "lib"), ("orphan", "orphan")]
    found = shortest_paths(edges, ["root"], ["island", "lib", "orphan", "unknown"])
    assert found == {"island": None, "lib": ("root", "app", "lib"), "orphan": None,
                     "unknown": None}


def test_the_root_itself_is_a_path_of_one_and_no_root_reaches_nothing() -> None:
    edges = [("root", "a")]
    assert shortest_paths(edges, ["root"], ["root"]) == {"root": ("root",)}
    assert shortest_paths(edges, [], ["a", "root"]) == {"a": None, "root": None}


def test_several_roots_each_start_a_path() -> None:
    edges = [("r1", "a"), ("a", "deep"), ("r2", "deep")]
    assert shortest_paths(edges, ["r1", "r2"], ["deep"]) == {"deep": ("r2", "deep")}


def test_cyclonedx_roots_at_its_metadata_component() -> None:
    sbom, _ = read_sbom_file(DEMO / "mbs-bac200-5.1.2.cdx.xml")
    assert root_refs(sbom) == ("bac200",)
    found = shortest_paths(sbom.dependencies, root_refs(sbom), ["pkg:pypi/werkzeug@2.2.2"])
    assert found["pkg:pypi/werkzeug@2.2.2"] == (
        "bac200", "console", "pkg:pypi/flask@2.2.2", "pkg:pypi/werkzeug@2.2.2")


def test_spdx_roots_at_the_package_the_document_describes() -> None:
    sbom, _ = read_sbom_file(DEMO / "ss-sensorhub-1.8.0.spdx.json")
    assert root_refs(sbom) == ("SPDXRef-hub",)
    assert shortest_paths(sbom.dependencies, root_refs(sbom), ["SPDXRef-go-2"]) == {
        "SPDXRef-go-2": ("SPDXRef-hub", "SPDXRef-go-2")}


def test_an_sbom_naming_no_product_has_no_root() -> None:
    lib = SbomComponent("lib", "lib", "1.0", None)
    sbom = Sbom(SbomFormat.CYCLONEDX_JSON, "1.6", None, None, None, (lib,), (("x", "lib"),))
    assert root_refs(sbom) == ()
    named_elsewhere = Sbom(SbomFormat.SPDX_JSON, "2.3", None, "product", "2.0", (lib,))
    assert root_refs(named_elsewhere) == ()
