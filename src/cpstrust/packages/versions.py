"""Version ordering: one comparator per ecosystem family, with cached parsed keys.

``version_key(family, v)`` returns a value ordered like the ecosystem orders versions.
Keys are computed once per distinct string (``lru_cache``) and compared many times, so
most are plain tuples, which compare in C:

- pypi: the tuple ``packaging.version.Version`` orders and hashes by (PEP 440).
- go, cargo: SemVer 2.0 precedence as a tuple (build metadata ignored). Go also accepts
  a leading "v", the "v1"/"v1.2" shorthands and Go's own "go1.21rc1" release names;
  pseudo-versions are ordinary pre-releases and ``+incompatible`` is build metadata.
- npm: node-semver's strict parse and ``compare`` (``npm_key``): one leading "v", no "=";
  numbers beyond 2**53 - 1, which node-semver refuses or compares inexactly, are refused.
- deb: dpkg's ordering (``debian_key``); rpm: rpm's ``labelCompare`` (``rpm_key``);
  apk: apk-tools' ``apk_version_compare`` (``apk_key``); maven: Maven's
  ``ComparableVersion`` (``maven_key``). univers' classes for these cost 30-60 times
  more per comparison, and they failed on EVRs rpm orders, answered ``<`` and ``<=``
  inconsistently (Alpine) or ordered otherwise than Maven does.
- gem, nuget, composer: univers' classes, behind ``UniversOrder``, which derives every
  operator from univers' ``<`` alone so that they cannot contradict one another.

Each tuple key's equality is the ecosystem's version equality, so those schemes' keys
can be matched in sets (``HASHABLE_SCHEMES``); ``UniversOrder`` equality has no hash.

"semver" is a scheme of its own: OSV's SEMVER-typed ranges of a family that does not use
SemVer are ordered by it (``vulndb.ranges.range_scheme``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, cast

from packaging.version import InvalidVersion as _PackagingInvalid
from packaging.version import Version as _PypiVersion

from cpstrust.errors import InputError
from cpstrust.messages import Message, message
from cpstrust.packages.apkversion import apk_key
from cpstrust.packages.debversion import debian_key
from cpstrust.packages.ecosystems import (
    APK,
    CARGO,
    COMPOSER,
    DEB,
    GEM,
    GO,
    MAVEN,
    NPM,
    NUGET,
    PYPI,
    RPM,
)
from cpstrust.packages.mavenversion import maven_key
from cpstrust.packages.npmversion import npm_key
from cpstrust.packages.rpmversion import rpm_key

SEMVER = "semver"


class VersionKey(Protocol):
    """A parsed version: totally ordered within one scheme."""

    def __lt__(self, other: Any, /) -> bool: ...
    def __le__(self, other: Any, /) -> bool: ...
    def __gt__(self, other: Any, /) -> bool: ...
    def __ge__(self, other: Any, /) -> bool: ...


class VersionParseError(InputError):
    """A version string the ecosystem's comparator cannot order."""


SemverKey = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]


# A plain release, MAJOR.MINOR.PATCH without leading zeros, as SemVer 2.0 spells it: most
# versions of Go modules and npm packages.
_PLAIN_SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
# Any SemVer 2.0 version: the expression ``semver.Version.parse`` matches a string with
# (its ``_REGEX``, ASCII digits), written out. Reading it here costs a third of a call
# to the library, which Go's pseudo-versions (pre-releases, ~1,400 of them in a
# 10,000-component scan) all took, and a scan no longer imports it (issue 11); the
# tests hold the two to the same keys and refusals.
_PRE_ID = r"(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
_BUILD_ID = r"[0-9a-zA-Z-]+"
_SEMVER = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    rf"(?:-({_PRE_ID}(?:\.{_PRE_ID})*))?(?:\+{_BUILD_ID}(?:\.{_BUILD_ID})*)?"
)


def _semver_key(text: str) -> SemverKey:
    plain = _PLAIN_SEMVER.fullmatch(text)
    if plain is not None:
        return (int(plain[1]), int(plain[2]), int(plain[3]), 1, ())
    parsed = _SEMVER.fullmatch(text)  # strict SemVer 2.0
    if parsed is None:
        raise ValueError(f"{text} is not valid SemVer string")  # the library's words
    major, minor, patch, pre = parsed.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), 1, ())
    # Numeric identifiers sort numerically and before alphanumeric ones (spec item 11).
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (int(major), int(minor), int(patch), 0, ids)


_GO_RELEASE = re.compile(r"go(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:(alpha|beta|rc)(\d+))?")
_GO_SHORTHAND = re.compile(r"\d+(?:\.\d+)?")


def _go_key(text: str) -> SemverKey:
    release = _GO_RELEASE.fullmatch(text)
    if release:  # Go's own release names: go1.21rc1 is v1.21.0-rc.1
        major, minor, patch, kind, num = release.groups()
        core = f"{major}.{minor or 0}.{patch or 0}"
        return _semver_key(f"{core}-{kind}.{num}" if kind else core)
    if text.startswith("v"):
        text = text[1:]
    if _GO_SHORTHAND.fullmatch(text):  # golang.org/x/mod/semver: v1 == v1.0.0
        text = ".".join([*text.split("."), "0", "0"][:3])
    return _semver_key(text)


def _pypi_key(text: str) -> VersionKey:
    try:
        # The comparison key packaging's Version compares and hashes by: a plain tuple
        # orders in C, where Version's own operators cost ~0.4 µs a comparison in Python.
        return _PypiVersion(text)._key
    except _PackagingInvalid as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True, slots=True, eq=False)
class UniversOrder:
    """A univers version whose every comparison is derived from univers' ``<`` alone.

    univers defines each operator on its own, and they have been seen to disagree (its
    Alpine class had a < b but not a <= b); one primitive cannot disagree with itself.
    Equality is "neither is less", which no hash can follow: instances are unhashable.
    """

    version: Any

    def __lt__(self, other: UniversOrder) -> bool:
        return bool(self.version < other.version)

    def __gt__(self, other: UniversOrder) -> bool:
        return bool(other.version < self.version)

    def __le__(self, other: UniversOrder) -> bool:
        return not other.version < self.version

    def __ge__(self, other: UniversOrder) -> bool:
        return not self.version < other.version

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UniversOrder):
            return NotImplemented
        return not (self.version < other.version or other.version < self.version)

    __hash__ = None  # type: ignore[assignment]


def _univers(class_name: str) -> Callable[[str], VersionKey]:
    def parse(text: str) -> VersionKey:
        import univers.versions  # ~0.1 s to import: only once such a family is met

        cls = getattr(univers.versions, class_name)
        try:
            return UniversOrder(cls(text))
        except Exception as exc:  # third-party parser on untrusted text: any failure is "invalid"
            raise ValueError(str(exc)) from None

    return parse


_PARSERS: dict[str, Callable[[str], VersionKey]] = {
    PYPI: _pypi_key,
    GO: _go_key,
    NPM: npm_key,
    CARGO: _semver_key,
    SEMVER: _semver_key,
    DEB: debian_key,
    MAVEN: maven_key,
    RPM: rpm_key,
    APK: apk_key,
    GEM: _univers("RubygemsVersion"),
    NUGET: _univers("NugetVersion"),
    COMPOSER: _univers("ComposerVersion"),
}

# Schemes whose keys hash consistently with equality, so that an advisory's
# ``versions`` list can be matched by key in a set (PyPI "1.0" == "1.0.0").
HASHABLE_SCHEMES = frozenset({PYPI, GO, NPM, CARGO, SEMVER, DEB, RPM, APK, MAVEN})
# Families whose own ordering is SemVer's.
SEMVER_FAMILIES = frozenset({GO, NPM, CARGO})


class _Invalid:
    """Cached marker for a version that did not parse (lru_cache does not cache raises)."""

    __slots__ = ("reason",)

    def __init__(self, reason: Message | str) -> None:
        self.reason = reason


_MAX_VERSION = 256  # characters


@lru_cache(maxsize=1 << 17)
def _cached_key(scheme: str, version: str) -> VersionKey | _Invalid:
    parser = _PARSERS.get(scheme)
    if parser is None:
        return _Invalid(message("version_no_ordering", scheme=scheme))
    if not version or len(version) > _MAX_VERSION:
        return _Invalid(message("version_empty_or_too_long", limit=_MAX_VERSION))
    try:
        return parser(version)
    except (ValueError, TypeError) as exc:
        return _Invalid(_reason(exc))


def _reason(exc: ValueError | TypeError) -> Message | str:
    """Why a parser refused: our own parsers give a message, libraries (packaging,
    semver, univers) their own words."""
    given = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(given, Message):
        return given
    return str(exc) or type(exc).__name__


def scheme_key(scheme: str, version: str) -> VersionKey:
    """Key of ``version`` in a scheme (a family name or "semver"); cached.

    Raises ``VersionParseError`` when the scheme cannot order the string.
    """
    key = _cached_key(scheme, version)
    if isinstance(key, _Invalid):
        raise VersionParseError("version_cannot_order", scheme=scheme, version=version,
                                reason=key.reason)
    return key


def try_key(scheme: str, version: str) -> VersionKey | None:
    """Like ``scheme_key`` but None instead of raising: for hot loops."""
    key = _cached_key(scheme, version)
    return None if isinstance(key, _Invalid) else key


class _KnownKeys(dict[str, Any]):
    """The keys of one scheme's spellings, parsed when first looked up (through the
    cache of ``_cached_key``): ``bisect`` calls a dict's own lookup from C at a third of
    the cost of a call through ``lru_cache`` (~0.08 µs a look against ~0.25)."""

    __slots__ = ("scheme",)

    def __init__(self, scheme: str) -> None:
        super().__init__()
        self.scheme = scheme

    def __missing__(self, spelling: str) -> VersionKey | _Invalid:
        if len(self) >= _KNOWN_KEYS_KEPT:  # bounded, as _cached_key is
            self.clear()
        key = self[spelling] = _cached_key(self.scheme, spelling)
        return key


_KNOWN_KEYS_KEPT = 1 << 17
_KNOWN_KEYS: dict[str, _KnownKeys] = {}


def known_key_parser(scheme: str) -> Callable[[str], VersionKey]:
    """Keys of spellings already known to parse in ``scheme`` (the boundaries a compiled
    record keeps), for ``bisect``'s ``key``: cached, and called from C without a Python
    frame, which a bisection pays once per look (~38,000 looks in a 10,000-component
    scan). A spelling that does not parse gives a marker no key compares with: a
    TypeError, never a wrong order."""
    known = _KNOWN_KEYS.get(scheme)
    if known is None:
        known = _KNOWN_KEYS.setdefault(scheme, _KnownKeys(scheme))
    return cast("Callable[[str], VersionKey]", known.__getitem__)


def sort_versions(family: str, versions: Iterable[str]) -> tuple[str, ...]:
    """Versions in the family's order; those it cannot order follow, as given."""
    ordered: list[tuple[Any, str]] = []
    unordered: list[str] = []
    for version in versions:
        key = try_key(family, version)
        if key is None:
            unordered.append(version)
        else:
            ordered.append((key, version))
    ordered.sort(key=lambda pair: pair[0])
    return (*(v for _, v in ordered), *unordered)


def version_key(family: str, version: str) -> VersionKey:
    """Key ordering ``version`` as the family's ecosystem does; raises VersionParseError."""
    return scheme_key(family, version)


def same_version(family: str | None, one: str, other: str) -> bool:
    """Whether two spellings name one version: equal as written, or as the family
    orders them (PyPI ``1.0`` and ``1.0.0``; Go's tags with their ``v``)."""
    if one == other:
        return True
    if family is None:
        return False
    if normalize_version(family, one) == normalize_version(family, other):
        return True
    ours, theirs = try_key(family, one), try_key(family, other)
    return ours is not None and theirs is not None and not ours < theirs \
        and not theirs < ours


def normalize_version(family: str, version: str) -> str:
    """Spelling used to compare versions exactly (Go's tags carry a "v", OSV's do not)."""
    if family == GO and version.startswith("v"):
        return version[1:]
    return version

