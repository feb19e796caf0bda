"""Control catalogues, profiles and cross-framework mappings as cpstrust sees them, apart
from OSCAL's wire format (``formats.oscal``): requirements with their English and
Japanese text, the controls a profile selects, NIST IR 8477 relationships, and the rules
over them (profile selection, the nesting of the ★ levels, identifier forms of the
frameworks mapped to). An entry whose facts are not confirmed carries a note saying what
is unknown: it is provisional, and every listing shows it as such.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from cpstrust.errors import InputError


class DocumentKind(StrEnum):
    CATALOG = "catalog"
    PROFILE = "profile"
    MAPPING = "mapping-collection"


class Relationship(StrEnum):
    """NIST IR 8477 set-theory relationships, as OSCAL 1.2 spells them."""

    EQUIVALENT = "equivalent-to"
    EQUAL = "equal-to"
    SUBSET = "subset-of"
    SUPERSET = "superset-of"
    INTERSECTS = "intersects-with"
    NO_RELATIONSHIP = "no-relationship"


@dataclass(frozen=True, slots=True)
class Provisional:
    """An entry whose facts are not confirmed: what it is, and what is unknown."""

    kind: str  # "document", "group", "control", "param", "map"
    entry_id: str
    note: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """A control of a catalogue: a CPSF requirement, a JC-STAR requirement, an item."""

    id: str  # the OSCAL control id, e.g. "cps.am-1"
    label: str  # as people write it, e.g. "CPS.AM-1" (the id when there is no label)
    title: str
    title_ja: str | None
    statement: str | None
    statement_ja: str | None
    group: str | None
    parent: str | None  # the control this one enhances
    provisional: str | None  # what is not confirmed; None when it is

    @property
    def key(self) -> str:
        """How a requirement is looked up: its label, case folded."""
        return self.label.upper()


@dataclass(frozen=True, slots=True)
class MaturityScale:
    """The levels an item is scored on (1 lowest), and what is unconfirmed about them."""

    levels: tuple[int, ...]
    provisional: str | None


@dataclass(frozen=True, slots=True)
class Header:
    uuid: str
    title: str
    title_ja: str | None
    version: str
    oscal_version: str
    provisional: tuple[Provisional, ...]  # every provisional entry of the document


@dataclass(frozen=True, slots=True)
class CatalogDocument:
    header: Header
    requirements: tuple[Requirement, ...]
    maturity: MaturityScale | None


@dataclass(frozen=True, slots=True)
class Selection:
    """One include or exclude of a profile import."""

    with_ids: tuple[str, ...]
    patterns: tuple[str, ...]  # OSCAL ``matching`` globs
    with_children: bool


@dataclass(frozen=True, slots=True)
class ProfileImport:
    href: str  # the document it names, resolved to a stored name by the use case
    names: tuple[str, ...]  # stored names the href may stand for, most specific first
    include_all: bool
    include: tuple[Selection, ...]
    exclude: tuple[Selection, ...]
    pointer: str  # where the import is in the file


@dataclass(frozen=True, slots=True)
class ProfileDocument:
    header: Header
    imports: tuple[ProfileImport, ...]
    scheme: str | None  # e.g. "supply-chain-security-rating"
    level: int | None  # the ★ of that scheme


@dataclass(frozen=True, slots=True)
class MapEntry:
    source_id: str
    target_id: str
    relationship: Relationship
    rationale: str | None
    provisional: str | None
    pointer: str


@dataclass(frozen=True, slots=True)
class MappingDocument:
    header: Header
    source_names: tuple[str, ...]  # stored names the source catalogue may be
    framework: str | None  # the target framework, e.g. "nist-csf-2.0"
    entries: tuple[MapEntry, ...]


OscalDocument = CatalogDocument | ProfileDocument | MappingDocument


def select(catalog: Sequence[Requirement], imported: ProfileImport, source: str,
           ) -> tuple[str, ...]:
    """The ids of ``catalog`` an import selects, in catalogue order. An id that the
    catalogue lacks is refused (``InputError`` naming the import): a profile must not
    promise a control nobody defined."""
    known = {r.id for r in catalog}
    for selection in (*imported.include, *imported.exclude):
        missing = [i for i in selection.with_ids if i not in known]
        if missing:
            raise InputError("catalog_unknown_controls", controls=", ".join(missing[:10]),
                             count=len(missing), catalog=source, location=imported.pointer)
    chosen = ({r.id for r in catalog} if imported.include_all
              else _matched(catalog, imported.include))
    dropped = _matched(catalog, imported.exclude)
    return tuple(r.id for r in catalog if r.id in chosen and r.id not in dropped)


def _matched(catalog: Sequence[Requirement], selections: Iterable[Selection]) -> set[str]:
    children: dict[str, list[str]] = {}
    for r in catalog:
        if r.parent is not None:
            children.setdefault(r.parent, []).append(r.id)
    matched: set[str] = set()
    for selection in selections:
        picked = set(selection.with_ids)
        picked.update(r.id for r in catalog
                      if any(fnmatch.fnmatchcase(r.id, p) for p in selection.patterns))
        if selection.with_children:
            stack = list(picked)
            while stack:
                for child in children.get(stack.pop(), ()):
                    if child not in picked:
                        picked.add(child)
                        stack.append(child)
        matched |= picked
    return matched


def check_levels(levels: Mapping[int, frozenset[str]], scheme: str) -> None:
    """The ★ levels of a scheme nest: each holds every requirement of the one below.
    Refused otherwise, naming the first level that drops something."""
    ordered = sorted(levels)
    for lower, higher in pairwise(ordered):
        dropped = levels[lower] - levels[higher]
        if dropped:
            raise InputError("catalog_levels_not_nested", scheme=scheme, lower=lower,
                             higher=higher, controls=", ".join(sorted(dropped)[:10]))


# How each framework the shipped mappings point at writes its identifiers: a target that
# does not look like one is a typo, refused rather than stored as a dangling mapping.
_ISO_27001_2022_SIZES = {5: 37, 6: 8, 7: 14, 8: 34}  # controls per Annex A theme
TARGET_FORMS: dict[str, re.Pattern[str]] = {
    "nist-csf-2.0": re.compile(r"(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}"),
    "nist-sp800-171r2": re.compile(r"3\.(1[0-4]|[1-9])\.\d{1,2}"),
    "iso-iec-27001-2022-annex-a": re.compile(r"A\.([5-8])\.(\d{1,2})"),
    "iec-62443-3-3": re.compile(r"SR [1-7]\.\d{1,2}( RE \d{1,2})?"),
}


def check_target(framework: str | None, target_id: str, pointer: str) -> None:
    """Refuse a target id that is not an identifier of ``framework`` (unknown frameworks
    are taken as written)."""
    form = TARGET_FORMS.get(framework or "")
    if form is None:
        return
    match = form.fullmatch(target_id)
    if match is not None and framework == "iso-iec-27001-2022-annex-a":
        theme, number = int(match.group(1)), int(match.group(2))
        if not 1 <= number <= _ISO_27001_2022_SIZES[theme]:
            match = None
    if match is None:
        raise InputError("catalog_bad_target_id", target=target_id, framework=framework,
                         location=pointer)
