"""Dependency paths: how a component is reached from the product an SBOM describes.

A report shows, for each vulnerable component, the shortest chain of "depends on"
edges from the SBOM's root to it, so a reader sees whether the product pulls it in
directly or through which of its dependencies. The walk is breadth-first from the root
over the SBOM's dependency edges in document order (so of two shortest paths, the one
through the dependency written first is shown); a cycle is walked once; a component no
chain of edges reaches from the root has no path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping

from cpstrust.model.sbom import Sbom

DependencyPath = tuple[str, ...]  # refs from the root to the component, both included


def root_refs(sbom: Sbom) -> tuple[str, ...]:
    """The refs the SBOM's dependency graph starts from: the described product's own ref
    (CycloneDX metadata.component), else the components that are the described product
    (an SPDX 2 document DESCRIBES one of its packages, which the reader keeps by name
    and version); none when the SBOM names no product."""
    if sbom.subject_ref:
        return (sbom.subject_ref,)
    if not sbom.subject_name:
        return ()
    return tuple(c.ref for c in sbom.components
                 if c.name == sbom.subject_name and c.version == sbom.subject_version)


def shortest_paths(edges: Iterable[tuple[str, str]], roots: Collection[str],
                   targets: Collection[str]) -> dict[str, DependencyPath | None]:
    """For each ref in ``targets``: the shortest path from any of ``roots`` to it over
    ``edges`` (dependent, dependency), or None when no root reaches it."""
    successors: dict[str, list[str]] = {}
    for dependent, dependency in edges:
        successors.setdefault(dependent, []).append(dependency)
    previous = _breadth_first(successors, roots)
    return {target: _path_to(target, previous) for target in targets}


def _breadth_first(successors: Mapping[str, list[str]],
                   roots: Collection[str]) -> dict[str, str | None]:
    """Each ref reached from ``roots``, with the ref it was first reached from (None for
    a root): first reached in a breadth-first walk is reached by a shortest path."""
    previous: dict[str, str | None] = dict.fromkeys(roots)
    waiting = deque(previous)
    while waiting:
        ref = waiting.popleft()
        for dependency in successors.get(ref, ()):
            if dependency not in previous:
                previous[dependency] = ref
                waiting.append(dependency)
    return previous


def _path_to(target: str, previous: Mapping[str, str | None]) -> DependencyPath | None:
    if target not in previous:
        return None
    path = [target]
    step = previous[target]
    while step is not None:
        path.append(step)
        step = previous[step]
    return tuple(reversed(path))
