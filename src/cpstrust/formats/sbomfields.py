"""Field rules shared by every SBOM reader: package URLs, hash names, synthetic refs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.messages import Message, message
from cpstrust.model.sbom import Hash, new_hash

# A conservative subset of package URLs that packageurl-python always accepts (a property
# test proves it). Parsing every purl with packageurl-python costs ~15 µs; this regex
# costs ~0.5 µs, so only purls outside the subset pay for the full parse.
_CHAR = r"(?:[A-Za-z0-9._~+\-]|%[0-9A-Fa-f]{2})"
# At least one letter or digit (never blank); written so that no input backtracks.
_SEGMENT = rf"(?:[._~+\-]|%[0-9A-Fa-f]{{2}})*[A-Za-z0-9]{_CHAR}*+"
_QUALIFIER = r"[A-Za-z][A-Za-z0-9._\-]*=[A-Za-z0-9._~+\-%:/]+"
_PURL_FAST = re.compile(
    r"pkg:[A-Za-z][A-Za-z0-9.\-]*"  # type
    rf"/{_SEGMENT}(?:/{_SEGMENT})*"  # namespace segments and name
    r"(?:@[A-Za-z0-9._~+\-:]+)?"  # version
    rf"(?:\?{_QUALIFIER}(?:&{_QUALIFIER})*)?"  # qualifiers
    rf"(?:#{_SEGMENT}(?:/{_SEGMENT})*)?"  # subpath
)

# A narrower subset still, of the purls most SBOMs hold ("pkg:pypi/django@4.2.1"): its
# simpler classes match in ~0.3 µs, where the subset above takes ~0.75 µs.
_PURL_PLAIN = re.compile(
    r"pkg:[a-z][a-z0-9.\-]*(?:/[A-Za-z0-9][A-Za-z0-9._\-]*)+@[A-Za-z0-9][A-Za-z0-9._+\-]*"
)


def is_plain_purl(purl: str) -> bool:
    """Whether ``purl`` has the common shape that needs no further check (~0.3 µs)."""
    return _PURL_PLAIN.fullmatch(purl) is not None


def purl_problem(purl: str) -> str | None:
    """Why ``purl`` is not a package URL packageurl-python can parse, or None if it is."""
    if _PURL_PLAIN.fullmatch(purl) or _PURL_FAST.fullmatch(purl):
        return None
    try:
        PackageURL.from_string(purl)
    except ValueError as exc:
        return str(exc)
    return None


def check_purl(purl: str, *, component: str, location: Callable[[], str]) -> None:
    """Refuse the document when one of its components has an unparseable package URL.

    ``location`` is called only on failure: building it for every component costs more
    than the check itself.
    """
    problem = purl_problem(purl)
    if problem is not None:
        raise InputError("sbom_invalid_purl", component=component, purl=purl, problem=problem,
                         location=location())


_CANONICAL_HASHES = (
    "MD2", "MD4", "MD5", "MD6", "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512",
    "SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512", "BLAKE2b-256", "BLAKE2b-384",
    "BLAKE2b-512", "BLAKE3", "ADLER32", "Streebog-256", "Streebog-512",
)
_HASH_BY_KEY = {h.upper().replace("-", ""): h for h in _CANONICAL_HASHES}


class _HashNames(dict[str, str]):
    """Spelling as written -> CycloneDX name, filled in as spellings are met.

    Only known algorithms are remembered, and only so many spellings of them: a hostile
    document can write "SHA-256" in endless ways ("s_h-a256", ...) but cannot grow it.
    """

    def __missing__(self, name: str) -> str:
        found = _HASH_BY_KEY.get(name.upper().replace("-", "").replace("_", ""))
        if found is None:
            return name
        if len(self) < _MAX_HASH_SPELLINGS:
            self[name] = found
        return found


_MAX_HASH_SPELLINGS = 256


# CycloneDX spelling of a hash algorithm: "SHA256", "sha_256", "SHA-256" -> "SHA-256".
# A bound dict method: one C call per hash, where a Python function costs three times more.
hash_algorithm = _HashNames({h: h for h in _CANONICAL_HASHES}).__getitem__


def cyclonedx_hashes(entries: Iterable[Mapping[str, str]]) -> tuple[Hash, ...]:
    """The ``hashes`` of a validated CycloneDX JSON object. The schema allows only the
    canonical algorithm names: no spelling to normalise. (Checking islower() first to
    save the copy costs more than the copy.)"""
    return tuple([new_hash((h["alg"], h["content"].lower())) for h in entries])


def synthetic_ref(index_path: tuple[int, ...]) -> str:
    """A stable ref for a component the document gives none: ``component-3.0.2``."""
    return "component-" + ".".join(map(str, index_path))


def add_unique(items: list[str], value: str | None) -> None:
    """Append ``value`` unless it is empty or already present (keeps document order)."""
    if value and value not in items:
        items.append(value)


def summarise(messages: list[str]) -> Message | str:
    """``first message (and N more problems)`` for libraries that report lists; their
    messages stay in their own words."""
    if not messages:
        return message("library_problems_none_given")
    if len(messages) == 1:
        return messages[0]
    return message("library_problems_first_of_many", first=messages[0], more=len(messages) - 1)
