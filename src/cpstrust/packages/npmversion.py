"""npm version ordering: node-semver's (7.3.5) strict parse and ``compare``, as a tuple key.

npm orders versions with node-semver, which holds every number as a JavaScript double.
It refuses a major, minor or patch above Number.MAX_SAFE_INTEGER (2**53 - 1), and it
compares pre-release numbers above that by their nearest double, so that
1.0.0-9007199254740993 "equals" 1.0.0-9007199254740992 and then decides the whole
comparison there: no order at all. Both are refused here. Below that bound every number
is exact and node-semver's comparison is SemVer 2.0 precedence, which the key encodes.

``tests/packages/test_versions_npm.py`` checks validity and order against node-semver.
"""

from __future__ import annotations

import re

from cpstrust.messages import message

_NUMBER = r"0|[1-9][0-9]*"
_PRERELEASE_ID = rf"(?:{_NUMBER}|[0-9]*[a-zA-Z-][a-zA-Z0-9-]*)"
# node-semver's FULL expression ("v" allowed, "=" and spaces not): what semver.valid takes.
_FULL = re.compile(
    rf"v?({_NUMBER})\.({_NUMBER})\.({_NUMBER})"
    rf"(?:-({_PRERELEASE_ID}(?:\.{_PRERELEASE_ID})*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
_MAX_SAFE_INTEGER = 2**53 - 1

Identifier = tuple[int, int, str]  # (0, number, "") sorts before (1, 0, text)
NpmKey = tuple[int, int, int, int, tuple[Identifier, ...]]


def _exact(digits: str, version: str) -> int:
    value = int(digits)
    if value > _MAX_SAFE_INTEGER:
        raise ValueError(message("npm_number_too_large", version=version))
    return value


def _identifier(text: str, version: str) -> Identifier:
    if text.isdigit():  # ASCII digits only: the expression admits nothing else
        return (0, _exact(text, version), "")
    return (1, 0, text)


def npm_key(version: str) -> NpmKey:
    """Key ordering npm versions as ``semver.compare`` does; build metadata is ignored.

    Raises ValueError for what ``semver.valid`` rejects and for numbers it cannot order.
    """
    match = _FULL.fullmatch(version)
    if match is None:
        raise ValueError(message("npm_invalid_version", version=version))
    major, minor, patch, prerelease = match.groups()
    core = (_exact(major, version), _exact(minor, version), _exact(patch, version))
    if prerelease is None:  # a release outranks its pre-releases
        return (*core, 1, ())
    ids = tuple(_identifier(part, version) for part in prerelease.split("."))
    return (*core, 0, ids)
