"""What an SBOM says, independent of its format."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple


def product_path(location: str) -> str:
    """A path inside the product as readers and the image measurer both write it.

    "/" separated, without a leading "./" or "/", "." segments or repeated slashes, so
    that "./usr/bin/x", "/usr/bin/x" and "usr//bin/x" are one key. "" for the root.
    """
    path = posixpath.normpath(location).lstrip("/")
    return "" if path == "." else path


class SbomFormat(StrEnum):
    CYCLONEDX_JSON = "cyclonedx-json"
    CYCLONEDX_XML = "cyclonedx-xml"
    SPDX_JSON = "spdx-json"
    SPDX_TAG_VALUE = "spdx-tv"
    SPDX3_JSON = "spdx3-json"  # SPDX 3 JSON-LD


# Hash and SbomComponent are immutable named tuples rather than frozen dataclasses: an
# SBOM brings them by the ten thousand, and a frozen dataclass costs ~1.7 µs to build
# (one object.__setattr__ per field) against ~0.3 µs for a named tuple.


class Hash(NamedTuple):
    algorithm: str  # normalised: "SHA-256", "SHA-1", "MD5", "SHA-512", ...
    value: str  # lowercase hex




class SbomComponent(NamedTuple):
    """One component as declared in an SBOM.

    ``ref`` is the document-local identifier (CycloneDX bom-ref or SPDX SPDXID; a
    synthetic one when the document gives none). ``parent_ref`` is set for components
    nested inside another component. ``purl`` is kept exactly as written; components
    without one are kept too and reported. ``locations`` are the paths inside the
    product where the component's file lies (CycloneDX evidence occurrences, an SPDX
    file's name), written without a leading "./" or "/".
    """

    ref: str
    name: str
    version: str | None
    purl: str | None
    type: str = "library"
    group: str | None = None
    hashes: tuple[Hash, ...] = ()
    licenses: tuple[str, ...] = ()  # SPDX ids or expressions as written
    supplier: str | None = None
    cpe: str | None = None
    parent_ref: str | None = None
    locations: tuple[str, ...] = ()


# Readers make these by the ten thousand: building from one tuple of every field skips
# the named tuple's Python-level __new__ (Hash 0.12 µs against 0.3 µs).
new_hash: Callable[[tuple[str, str]], Hash] = partial(tuple.__new__, Hash)
new_component: Callable[[tuple[Any, ...]], SbomComponent] = partial(
    tuple.__new__, SbomComponent)


class SbomDetail(StrEnum):
    """How much of an SBOM a reader maps (every reader validates the whole document)."""

    FULL = "full"
    # What names a component and what matching needs: ref, name, version, purl, type,
    # group, cpe and parent. No hashes, licences, supplier or locations in components,
    # and no dependencies or tools: a scan that stores nothing reads ~40% less this way.
    IDENTITY = "identity"
    # FULL, and what a quality check asks besides (``Sbom.facts``): who made the SBOM and
    # each component, how to reach them, licences by acknowledgement, references, BSI's
    # component properties, and where dependencies are said to be complete.
    QUALITY = "quality"


@dataclass(frozen=True, slots=True)
class ComponentFacts:
    """What a quality check asks of one component beyond ``SbomComponent``."""

    creator: str | None = None  # manufacturer (CycloneDX) or originator (SPDX), by name
    publisher: str | None = None  # CycloneDX "publisher": who issued it
    creator_contacts: tuple[str, ...] = ()  # its e-mail addresses and URLs
    properties: tuple[tuple[str, str], ...] = ()  # (name, value), "bsi:component:*" only
    concluded_licences: tuple[str, ...] = ()
    declared_licences: tuple[str, ...] = ()
    # Hashes and URL of the deployable form (CycloneDX externalReference "distribution";
    # SPDX 2 downloadLocation), and the source's URL (source-distribution, vcs).
    distribution_hashes: tuple[Hash, ...] = ()
    distribution_url: str | None = None
    source_url: str | None = None
    swid: str | None = None
    noassertion: tuple[str, ...] = ()  # fields written NOASSERTION (SPDX), by name


@dataclass(frozen=True, slots=True)
class SbomFacts:
    """What a quality check asks of the document beyond ``Sbom`` (``SbomDetail.QUALITY``)."""

    authors: tuple[str, ...] = ()  # people and organisations who wrote the SBOM data
    creator_contacts: tuple[str, ...] = ()  # e-mail addresses and URLs of its creator
    components: Mapping[str, ComponentFacts] = field(default_factory=dict)  # by ref
    # Refs the dependency graph speaks of (as a node, even without edges: CycloneDX
    # "dependsOn": [] says "no dependencies"), and refs whose dependencies are said to be
    # complete or not (CycloneDX compositions; SPDX relationships to NONE/NOASSERTION).
    in_dependency_graph: frozenset[str] = frozenset()
    completeness_stated: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Sbom:
    """A parsed SBOM: its components (flattened, nesting kept in ``parent_ref``) and edges.

    ``detail`` says what was mapped: an IDENTITY read leaves the fields it skips empty.
    """

    format: SbomFormat
    spec_version: str
    serial: str | None
    subject_name: str | None  # the described product/component, if the SBOM names it
    subject_version: str | None
    components: tuple[SbomComponent, ...]
    dependencies: tuple[tuple[str, str], ...] = ()  # (ref, depends-on ref)
    created: str | None = None
    tools: tuple[str, ...] = field(default_factory=tuple)
    detail: SbomDetail = SbomDetail.FULL
    # The described product's own ref (CycloneDX metadata.component bom-ref), which
    # dependency edges may name though it is no component.
    subject_ref: str | None = None
    subject_purl: str | None = None
    facts: SbomFacts | None = None  # read at QUALITY detail only

    def without_purl(self) -> tuple[SbomComponent, ...]:
        """Packages that cannot be matched by package URL (files are not packages: SPDX
        file entries and CycloneDX "file" components are not reported)."""
        return tuple(c for c in self.components if not c.purl and c.type != "file")


class PurlField(StrEnum):
    """A component's own field that its purl also says."""

    NAME = "name"
    VERSION = "version"


@dataclass(frozen=True, slots=True)
class PurlDisagreement:
    """A component whose purl says another name or version than the component does:
    matching goes by the purl, so what the component says goes unseen."""

    ref: str
    name: str
    purl: str
    field: PurlField
    component_value: str  # as the component writes it
    purl_value: str  # as the purl writes it
