"""Which VEX statement decides each finding of an SBOM.

A statement decides a finding when it names the finding's vulnerability (by its id or
any alias, either side's) and one of its products names

- the component itself: ``pkg:pypi/urllib3@1.24.1`` speaks of urllib3 1.24.1 wherever
  it is, and of no other version of it; a purl without a version speaks of every
  version; qualifiers it gives must be the component's too;
- or the product the SBOM describes, as a whole (its purl, its name and version, its
  BOM serial), when the statement names no subcomponents; with subcomponents, only the
  findings of those components inside that product (or inside a component that is the
  product, for nested SBOMs).

When several statements decide one finding, the latest (its time, else its
document's) stands, as VEX is a sequence of statements each overriding the last. Two
of equal time that disagree cannot both stand and are refused, naming both; a
statement without a time is older than any with one.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cpstrust.errors import InputError
from cpstrust.model.finding import FindingStatus, VulnerabilityMatch
from cpstrust.model.sbom import Sbom, SbomComponent
from cpstrust.model.vex import (
    ProductId,
    VersionRange,
    VexDecision,
    VexDocument,
    VexOutcome,
    VexStatement,
    VexStatus,
)
from cpstrust.packages.ecosystems import APK, DEB, purl_type_to_family
from cpstrust.packages.purls import parse_purl
from cpstrust.packages.versions import SEMVER, VersionKey, same_version, try_key

# vers schemes are purl types, plus "semver", "alpine" and "generic"; "generic" is ordered
# as dpkg orders versions: digits by value, letters by character, "~" first, which orders
# any dotted version sensibly.
_OTHER_VERS_SCHEMES = {"semver": SEMVER, "alpine": APK, "generic": DEB}
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Target:
    """What a product id is compared with: a component, or the product the SBOM is of."""

    ref: str | None
    name: str | None
    version: str | None
    purl: str | None
    cpe: str | None
    whole: bool = False  # the product the SBOM describes
    also_named: tuple[str, ...] = ()  # other names of it (a stored product's own name)


def decide(sbom: Sbom, matches: Sequence[VulnerabilityMatch],
           documents: Sequence[VexDocument], subject_names: tuple[str, ...] = ()) -> VexOutcome:
    """The deciding statement of each finding that one speaks of; ``subject_names`` are
    other names of the product the SBOM describes."""
    by_id: dict[str, list[tuple[VexStatement, str]]] = {}
    for document in documents:
        for statement in document.statements:
            for vid in statement.ids:
                by_id.setdefault(vid, []).append((statement, document.source))
    context = _Context(sbom, subject_names)
    used: set[int] = set()
    decisions: dict[tuple[str, str], VexDecision] = {}
    for match in matches:
        deciding = _deciding(context, match, by_id)
        if deciding is not None:
            used.add(id(deciding[0]))
            decisions[match.component_ref, match.vulnerability_id] = _decision(*deciding)
    return VexOutcome(decisions, sum(len(d.statements) for d in documents), len(used),
                      tuple(d.source for d in documents if not _related(context, d)))


class _Context:
    """The SBOM as the statements are compared with it."""

    def __init__(self, sbom: Sbom, subject_names: tuple[str, ...]) -> None:
        self.sbom = sbom
        self.components = {c.ref: c for c in sbom.components}
        self.subject = Target(sbom.subject_ref, sbom.subject_name, sbom.subject_version,
                              sbom.subject_purl, None, whole=True, also_named=subject_names)
        self._index: dict[object, list[str]] | None = None  # built when first needed

    def target(self, ref: str) -> Target | None:
        c = self.components.get(ref)
        return None if c is None else Target(c.ref, c.name, c.version, c.purl, c.cpe)

    def ancestors(self, ref: str) -> Iterable[Target]:
        seen = {ref}
        parent = self.components[ref].parent_ref if ref in self.components else None
        while parent is not None and parent not in seen and parent in self.components:
            seen.add(parent)
            target = self.target(parent)
            if target is not None:
                yield target
            parent = self.components[parent].parent_ref

    def names(self, product: ProductId, target: Target) -> bool:
        return names(product, target, self.sbom.serial)

    def candidates(self, product: ProductId) -> list[Target]:
        """The components ``product`` might name: by package, name, ref or CPE."""
        if self._index is None:
            self._index = _index(self.components.values())
        keys = [_package(product.purl), product.name and product.name.casefold(),
                product.ref, product.cpe and product.cpe.lower()]
        refs = {ref for key in keys if key for ref in self._index.get(key, ())}
        return [t for ref in refs if (t := self.target(ref)) is not None]


def _index(components: Iterable[SbomComponent]) -> dict[object, list[str]]:
    """Component refs by package (type, namespace, name), name, ref and CPE."""
    index: dict[object, list[str]] = {}
    for c in components:
        for key in (_package(c.purl), c.name.casefold(), c.ref, c.cpe and c.cpe.lower()):
            if key:
                index.setdefault(key, []).append(c.ref)
    return index


def _package(purl: str | None) -> tuple[str, str | None, str] | None:
    parts = parse_purl(purl) if purl else None
    return None if parts is None else (parts.type, parts.namespace, parts.name)


def _deciding(context: _Context, match: VulnerabilityMatch,
              by_id: dict[str, list[tuple[VexStatement, str]]],
              ) -> tuple[VexStatement, str] | None:
    candidates: dict[int, tuple[VexStatement, str]] = {}
    for vid in (match.vulnerability_id, *match.aliases):
        for found in by_id.get(vid.upper(), ()):
            candidates.setdefault(id(found[0]), found)
    target = context.target(match.component_ref) or Target(
        match.component_ref, match.name, match.version, match.purl, None)
    applying = [c for c in candidates.values()
                if _applies(context, c[0], target, match.component_ref)]
    if not applying:
        return None
    applying.sort(key=lambda c: c[0].timestamp or _NEVER)
    latest = applying[-1]
    for other in applying[:-1]:
        same_time = (other[0].timestamp or _NEVER) == (latest[0].timestamp or _NEVER)
        if same_time and other[0].status is not latest[0].status:
            raise InputError("vex_conflict", vulnerability=match.vulnerability_id,
                             component=match.name, first=f"{other[1]} {other[0].place}",
                             second=f"{latest[1]} {latest[0].place}",
                             first_status=other[0].status.value,
                             second_status=latest[0].status.value)
    return latest


def _applies(context: _Context, statement: VexStatement, target: Target, ref: str) -> bool:
    for product in statement.products:
        if not product.subcomponents:
            if context.names(product, target) or context.names(product, context.subject):
                return True
        elif any(context.names(s, target) for s in product.subcomponents) and (
                context.names(product, context.subject)
                or any(context.names(product, a) for a in context.ancestors(ref))):
            return True
    return False


def _related(context: _Context, document: VexDocument) -> bool:
    """Whether any product of the document names this SBOM's product or a component.

    Each product is compared only with the components that could match it (same
    package, name, ref or CPE), found through an index: comparing every product with
    every component cost seconds for a large VEX against a large SBOM."""
    return any(context.names(p, t) for s in document.statements for p in s.products
               for t in (context.subject, *context.candidates(p)))


def _decision(statement: VexStatement, source: str) -> VexDecision:
    return VexDecision(statement.status, statement.justification, statement.impact,
                       statement.action, source, statement.place)


def names(product: ProductId, target: Target, serial: str | None) -> bool:
    """Whether every identifier ``product`` gives agrees with ``target`` (of the BOM
    with ``serial``), and the target's version is one the product id speaks of."""
    if not product.identified:
        return False
    if product.bom_serial is not None and (
            serial is None or serial.lower() != product.bom_serial
            or (product.ref is None and not target.whole)  # the BOM as a whole
            or (product.ref is not None and product.ref != target.ref)):
        return False
    if product.purl is not None and not purl_names(product.purl, target.purl):
        return False
    if product.cpe is not None and (target.cpe is None
                                    or product.cpe.lower() != target.cpe.lower()):
        return False
    if product.name is not None and product.name.casefold() not in {
            n.casefold() for n in (target.name, *target.also_named) if n}:
        return False
    return _version_named(product, target)


def _version_named(product: ProductId, target: Target) -> bool:
    family = _family(target.purl)
    if product.version is not None and not _same_version_of(family, product.version,
                                                         target.version):
        return False
    if not product.versions and not product.ranges:
        return True
    version = target.version
    if version is None:
        return False
    return (any(_same_version_of(family, v, version) for v in product.versions)
            or any(in_range(r, version) for r in product.ranges))


def _same_version_of(family: str | None, one: str, other: str | None) -> bool:
    return other is not None and same_version(family, one, other)


def _family(purl: str | None) -> str | None:
    parts = parse_purl(purl) if purl else None
    return purl_type_to_family(parts.type) if parts is not None else None


def purl_names(statement_purl: str, component_purl: str | None) -> bool:
    """Whether a statement's purl names a component's: type, namespace and name equal
    (as the purl spec normalises them), the version equal when the statement gives one,
    and each qualifier and the subpath the statement gives equal to the component's."""
    if component_purl is None:
        return False
    mine, theirs = parse_purl(statement_purl), parse_purl(component_purl)
    if mine is None or theirs is None or (mine.type, mine.namespace, mine.name) != (
            theirs.type, theirs.namespace, theirs.name):
        return False
    if mine.version is not None and not _same_version_of(
            purl_type_to_family(mine.type), mine.version, theirs.version):
        return False
    wanted_qualifiers, wanted_subpath = _extras(statement_purl)
    if not wanted_qualifiers and wanted_subpath is None:
        return True
    qualifiers, subpath = _extras(component_purl)
    return (all(qualifiers.get(k) == v for k, v in wanted_qualifiers.items())
            and (wanted_subpath is None or wanted_subpath == subpath))


@lru_cache(maxsize=4096)
def _extras(purl: str) -> tuple[dict[str, str], str | None]:
    """Qualifiers and subpath, decoded by packageurl-python (only for purls with them)."""
    if "?" not in purl and "#" not in purl:
        return {}, None
    from packageurl import PackageURL

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return {}, None
    qualifiers = parsed.qualifiers if isinstance(parsed.qualifiers, dict) else {}
    return dict(qualifiers), parsed.subpath or None


def in_range(version_range: VersionRange, version: str) -> bool:
    """Whether ``version`` is in a ``vers`` range, by the spec's algorithm; a version
    or a boundary the scheme cannot order is in no range (never assumed)."""
    if version_range.constraints == (("*", ""),):
        return True
    scheme = _OTHER_VERS_SCHEMES.get(version_range.scheme) or purl_type_to_family(
        version_range.scheme)
    key = try_key(scheme, version) if scheme else None
    if scheme is None or key is None:
        return False
    bounds: list[tuple[VersionKey, str]] = []
    for comparator, bound in version_range.constraints:
        bound_key = try_key(scheme, bound)
        if bound_key is None:
            return False
        if comparator == "=" and bound_key == key:
            return True
        if comparator == "!=" and bound_key == key:
            return False
        if comparator not in ("=", "!="):
            bounds.append((bound_key, comparator))
    return _within(sorted(bounds, key=lambda b: b[0]), key)


_HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _within(bounds: list[tuple[VersionKey, str]], key: VersionKey) -> bool:
    if not bounds:
        return False
    first_key, first = bounds[0]
    last_key, last = bounds[-1]
    if first in ("<", "<=") and _HOLDS[first](key, first_key):
        return True
    if last in (">", ">=") and _HOLDS[last](key, last_key):
        return True
    return any(low in (">", ">=") and high in ("<", "<=")
               and _HOLDS[low](key, low_key) and _HOLDS[high](key, high_key)
               for (low_key, low), (high_key, high) in itertools.pairwise(bounds))


def finding_statement(vulnerability: str, aliases: tuple[str, ...], status: FindingStatus,
                      vex_status: str | None, justification: str | None, note: str | None,
                      fixed_versions: tuple[str, ...], product: ProductId,
                      place: str) -> VexStatement:
    """What a product's supplier states of one of its findings.

    Not affected and fixed say so; a finding accepted as a risk is affected (the
    acceptance is the action); an open finding is affected when a statement said so, and
    otherwise under investigation: it was found, nobody has judged it yet.
    """
    if status is FindingStatus.NOT_AFFECTED:
        return VexStatement(vulnerability, aliases, VexStatus.NOT_AFFECTED, justification, note,
                            None, (product,), None, place)
    if status is FindingStatus.FIXED:
        return VexStatement(vulnerability, aliases, VexStatus.FIXED, None, note, None,
                            (product,), None, place)
    if status is FindingStatus.ACCEPTED:
        action = "Risk accepted" + (f": {note}" if note else ".")
        return VexStatement(vulnerability, aliases, VexStatus.AFFECTED, None, None, action,
                            (product,), None, place)
    if vex_status == VexStatus.AFFECTED:
        action = note or (f"Update to {', '.join(fixed_versions)}." if fixed_versions
                          else "No fixed version is known yet.")
        return VexStatement(vulnerability, aliases, VexStatus.AFFECTED, None, None, action,
                            (product,), None, place)
    return VexStatement(vulnerability, aliases, VexStatus.UNDER_INVESTIGATION, None, note, None,
                        (product,), None, place)
