"""Version ranges in the ``vers`` notation (purl-spec VERSION-RANGE-SPEC) to
``VersionRange``: ``vers:<scheme>/<constraint>|<constraint>...``, each constraint a
comparator (``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``; none is ``=``) and a
percent-encoded version, or ``*`` alone for every version.

Parsed here rather than with univers: univers does not know the ``semver`` scheme the
CycloneDX VEX examples use, and it orders ``generic`` versions as SemVer; the ordering
is ours (``cpstrust.sbom.vex``), the one matching uses.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from cpstrust.errors import InputError
from cpstrust.model.vex import VersionRange

_SCHEME = re.compile(r"[a-z][a-z0-9.+-]*")
_COMPARATORS = ("<=", ">=", "!=", "<", ">", "=")  # two-character ones tried first
_MAX_CONSTRAINTS = 256


def parse_vers(text: str, *, source: str, location: str) -> VersionRange:
    """Parse one ``vers`` range; InputError naming the place when it is not one."""
    compact = "".join(text.split())  # the spec ignores all whitespace
    scheme, slash, body = compact.removeprefix("vers:").partition("/")
    if not compact.startswith("vers:") or not slash or not _SCHEME.fullmatch(scheme.lower()):
        raise InputError("vers_malformed", range=text, source=source, location=location)
    if body == "*":
        return VersionRange(scheme.lower(), (("*", ""),), text)
    parts = body.split("|")
    if len(parts) > _MAX_CONSTRAINTS:
        raise InputError("vers_too_many", range=text[:100], limit=_MAX_CONSTRAINTS,
                         source=source, location=location)
    return VersionRange(scheme.lower(), tuple(_constraint(p, text, source, location)
                                              for p in parts), text)


def _constraint(part: str, text: str, source: str, location: str) -> tuple[str, str]:
    comparator = next((c for c in _COMPARATORS if part.startswith(c)), "=")
    version = unquote(part[len(comparator):] if part.startswith(comparator) else part)
    if not version or version == "*" or any(version.startswith(c) for c in _COMPARATORS):
        raise InputError("vers_malformed", range=text, source=source, location=location)
    return comparator, version
