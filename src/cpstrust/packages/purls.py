"""Package URLs to package keys, on the hot path of every scan.

``packageurl-python``'s ``PackageURL.from_string`` costs ~10 µs a purl (100 ms for a
10,000-component SBOM, the whole matching budget). ``parse_purl`` follows the same
algorithm for ordinary purls in ~2 µs, caches results, and hands anything unusual
(whitespace, control characters, colons, "//" authorities) to packageurl-python so that
both always agree; ``tests/packages/test_purls.py`` checks that on thousands of purls.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import NamedTuple

from cpstrust.packages.ecosystems import (
    DISTRO_FAMILIES,
    PackageKey,
    normalize_name,
    package_name_from_purl,
    purl_type_to_family,
)

_TYPE = re.compile(r"[A-Za-z.\-_][A-Za-z0-9.\-_]*")
_QUALIFIER_KEY = re.compile(r"[A-Za-z.\-_][A-Za-z0-9.\-_]*")
_LOWER_NAMESPACE = frozenset({"pypi", "composer", "apk"})
_LOWER_NAME = frozenset({"pypi", "npm", "composer", "apk"})
# Percent-encoding, and characters where urllib's splitting (used by packageurl-python)
# does more than split: such purls are parsed by packageurl-python itself, whose two
# normalisation passes (decode, then normalise again) are not worth imitating.
_UNUSUAL = re.compile(r"[\x00-\x20\x7f:\\%]")
# The common shape (lowercase type, clean segments, optional version, qualifiers,
# subpath) with none of those characters anywhere: a purl it matches takes
# ``_simple_parse``'s way without a search for them first.
_CLEAN = r"[^/?#@\x00-\x20\x7f:\\%]"
_SIMPLE_CLEAN = re.compile(
    rf"pkg:([a-z][a-z0-9.\-_]*)/((?:@?{_CLEAN}+/)?(?:{_CLEAN}+/)*)({_CLEAN}+)"
    rf"(?:@({_CLEAN}+))?(?:\?([^#\x00-\x20\x7f:\\%]*))?(?:#[^\x00-\x20\x7f:\\%]*)?"
)


# Named tuples, not frozen dataclasses: a scan makes two for each distinct purl (~6,000
# in a 10,000-component SBOM), and a frozen dataclass's __init__ (one object.__setattr__
# per field) cost ~5,500 instructions each, a named tuple's a fifth of that.
class PurlParts(NamedTuple):
    """The parts of a purl that matching needs, decoded and normalised as the spec says."""

    type: str
    namespace: str | None
    name: str
    version: str | None


class ResolvedPurl(NamedTuple):
    """A purl resolved to the key advisories are indexed under."""

    key: PackageKey
    version: str | None
    distro: str | None  # purl namespace of OS packages ("debian", "ubuntu", ...)


# Made from one tuple of every field, from C: a named tuple's own __new__ is a Python call.
_new_parts: Callable[[tuple[str, str | None, str, str | None]], PurlParts] = partial(
    tuple.__new__, PurlParts)
_new_resolved: Callable[[tuple[PackageKey, str | None, str | None]], ResolvedPurl] = partial(
    tuple.__new__, ResolvedPurl)


def _reference_parse(purl: str) -> PurlParts | None:
    from packageurl import PackageURL  # only for unusual purls

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    return PurlParts(parsed.type, parsed.namespace or None, parsed.name, parsed.version or None)


def _qualifiers_valid(text: str) -> bool:
    if not text:
        return True
    for pair in text.split("&"):
        key, equals, value = pair.partition("=")
        if not equals:
            return False
        if key.strip() and value.strip() and not _QUALIFIER_KEY.fullmatch(key.strip()):
            return False
    return True


def _split_path(type_: str, path: str) -> tuple[str, str, str | None] | None:
    """(raw namespace, raw name, raw version) as packageurl-python splits them."""
    namespace = ""
    if type_ == "npm" and path.startswith("@"):  # the scope is the namespace
        namespace, _, path = path.partition("/")
    remainder, at, version = path.rpartition("@")
    if not at:
        remainder, version = version, ""
    segments = [s for s in remainder.strip().strip("/").split("/") if s and s.strip()]
    if not namespace and len(segments) > 1:
        return "/".join(segments[:-1]), segments[-1], version
    if len(segments) == 1:
        return namespace, segments[0], version
    return None


def _parts(type_: str, namespace: str, name: str, version: str | None) -> PurlParts:
    if type_ in _LOWER_NAMESPACE:
        namespace = namespace.lower()
    if type_ in _LOWER_NAME:
        name = name.lower().replace("_", "-") if type_ == "pypi" else name.lower()
    return _new_parts((type_, namespace or None, name, version or None))


def _fast_parse(purl: str) -> PurlParts | None:
    """packageurl-python's algorithm for purls without percent-escapes or whitespace."""
    type_, slash, rest = purl[4:].lstrip("/").partition("/")
    if not slash or not _TYPE.fullmatch(type_):
        return None
    type_ = type_.lower()
    if purl_type_to_family(type_) is None:  # other types normalise differently: delegate
        return _reference_parse(purl)
    rest, _, _subpath = rest.partition("#")
    path, _, qualifiers = rest.partition("?")
    if not _qualifiers_valid(qualifiers):
        return None
    split = _split_path(type_, path.lstrip("/"))
    if split is None:
        return None
    raw_namespace, name, version = split
    namespace = "/".join(s for s in raw_namespace.strip("/").split("/") if s)
    return _parts(type_, namespace, name, version)


def _simple_parse(match: re.Match[str]) -> PurlParts | bool | None:
    """The same result as ``_fast_parse`` for the common shape (``match``: the purl's
    match of ``_SIMPLE_CLEAN``), else False (not simple)."""
    type_, raw_namespace, name, version, qualifiers = match.groups()
    if purl_type_to_family(type_) is None:
        return False
    if raw_namespace.startswith("@") and (type_ != "npm" or raw_namespace.count("/") > 1):
        return False  # only an npm scope may start with "@" (elsewhere "@" is the version)
    if qualifiers and not _qualifiers_valid(qualifiers):
        return None
    return _parts(type_, raw_namespace[:-1], name, version)


@lru_cache(maxsize=1 << 16)
def parse_purl(purl: str) -> PurlParts | None:
    """Parse a package URL; None when it is not a valid purl."""
    clean = _SIMPLE_CLEAN.fullmatch(purl)
    if clean is not None:  # no unusual character, no "//" after the type: see below
        simple = _simple_parse(clean)
        if simple is not False:
            return simple  # type: ignore[return-value]  # PurlParts | None here
    if not purl.startswith("pkg:"):
        return None
    remainder = purl[4:].lstrip("/")
    after_type = remainder.partition("/")[2]
    if _UNUSUAL.search(remainder) or after_type.startswith("//"):
        return _reference_parse(purl)
    # Any purl of the common shape without those characters matched _SIMPLE_CLEAN above.
    return _fast_parse(purl)


@lru_cache(maxsize=1 << 16)
def resolve_purl(purl: str) -> ResolvedPurl | None:
    """Key, version and distribution of a purl; None if invalid or of an unknown type."""
    parts = parse_purl(purl)
    if parts is None:
        return None
    family = purl_type_to_family(parts.type)
    if family is None:
        return None
    name = package_name_from_purl(family, parts.namespace, parts.name)
    distro = parts.namespace if family in DISTRO_FAMILIES else None
    return _new_resolved(((family, normalize_name(family, name)), parts.version, distro))


def package_key_from_purl(purl: str) -> tuple[PackageKey, str] | None:
    """``((family, normalised name), version)`` of a purl.

    None when the purl is invalid, of a type we cannot match, or has no version.
    """
    resolved = resolve_purl(purl)
    if resolved is None or resolved.version is None:
        return None
    return resolved.key, resolved.version
