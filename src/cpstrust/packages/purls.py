"""Package URLs to package keys, on the hot path of every scan.

``packageurl-python``'s ``PackageURL.from_string`` costs ~10 µs a purl (100 ms for a
10,000-component SBOM, the whole matching budget). ``parse_purl`` follows the same
algorithm for ordinary purls in ~2 µs, caches results, and hands anything unusual
(whitespace, control characters, colons, "//" authorities) to packageurl-python so that
both always agree; ``tests/vulndb/test_purls.py`` checks that on thousands of purls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cpstrust.packages.ecosystems import (
    DISTRO_FAMILIES,
    PackageKey,
    normalize_name,
    package_name_from_purl,
    purl_type_to_family,
)

_TYPE = re.compile(r"[A-Za-z.\-_][A-Za-z0-9.\-_]*")
_QUALIFIER_KEY = re.compile(r"[A-Za-z.\-_][A-Za-z0-9.\-_]*")
# The common shape: lowercase type, clean segments, optional version, qualifiers, subpath.
_SIMPLE = re.compile(
    r"pkg:([a-z][a-z0-9.\-_]*)/((?:@?[^/?#@]+/)?(?:[^/?#@]+/)*)([^/?#@]+)"
    r"(?:@([^/?#@]+))?(?:\?([^#]*))?(?:#.*)?"
)
_LOWER_NAMESPACE = frozenset({"pypi", "composer", "apk"})
_LOWER_NAME = frozenset({"pypi", "npm", "composer", "apk"})
# Percent-encoding, and characters where urllib's splitting (used by packageurl-python)
# does more than split: such purls are parsed by packageurl-python itself, whose two
# normalisation passes (decode, then normalise again) are not worth imitating.
_UNUSUAL = re.compile(r"[\x00-\x20\x7f:\\%]")


@dataclass(frozen=True, slots=True)
class PurlParts:
    """The parts of a purl that matching needs, decoded and normalised as the spec says."""

    type: str
    namespace: str | None
    name: str
    version: str | None


@dataclass(frozen=True, slots=True)
class ResolvedPurl:
    """A purl resolved to the key advisories are indexed under."""

    key: PackageKey
    version: str | None
    distro: str | None  # purl namespace of OS packages ("debian", "ubuntu", ...)


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
    return PurlParts(type_, namespace or None, name, version or None)


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


def _simple_parse(purl: str) -> PurlParts | bool | None:
    """The same result as ``_fast_parse`` for the common shape, else False (not simple)."""
    match = _SIMPLE.fullmatch(purl)
    if match is None:
        return False
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
    if not purl.startswith("pkg:"):
        return None
    remainder = purl[4:].lstrip("/")
    after_type = remainder.partition("/")[2]
    if _UNUSUAL.search(remainder) or after_type.startswith("//"):
        return _reference_parse(purl)
    simple = _simple_parse(purl)
    if simple is not False:
        return simple  # type: ignore[return-value]  # PurlParts | None here
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
    return ResolvedPurl((family, normalize_name(family, name)), parts.version, distro)


def package_key_from_purl(purl: str) -> tuple[PackageKey, str] | None:
    """``((family, normalised name), version)`` of a purl.

    None when the purl is invalid, of a type we cannot match, or has no version.
    """
    resolved = resolve_purl(purl)
    if resolved is None or resolved.version is None:
        return None
    return resolved.key, resolved.version
