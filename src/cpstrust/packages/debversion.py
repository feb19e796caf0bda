"""Debian version ordering (dpkg's ``verrevcmp``) as a plain tuple key.

A tuple compares in C, so sorting and range checks cost a fraction of univers'
object comparisons; ``tests/vulndb/test_versions_debian.py`` checks it against
``dpkg --compare-versions``.
"""

from __future__ import annotations

import re

from cpstrust.messages import message

_EPOCH = re.compile(r"[0-9]+")
_UPSTREAM = re.compile(r"[0-9][A-Za-z0-9.+~:-]*")
_REVISION = re.compile(r"[A-Za-z0-9.+~]+")
_PARTS = re.compile(r"([^0-9]*)([0-9]*)")
_MAX_EPOCH = 2**31 - 1  # dpkg stores the epoch in an int

# One (non-digit run, number) pair; the run is a tuple of character weights ending in 0.
Part = tuple[tuple[int, ...], int]
DebianKey = tuple[int, tuple[Part, ...], tuple[Part, ...]]

# What a string has once it is exhausted: an empty run and the number 0.
_END: Part = ((0,), 0)


def _weight(char: str) -> int:
    # dpkg: "~" sorts before the end of the string, letters before other characters.
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _parts(text: str) -> tuple[Part, ...]:
    parts = [
        ((*map(_weight, run), 0), int(digits) if digits else 0)
        for run, digits in _PARTS.findall(text)
        if run or digits
    ]
    # A trailing empty run with number 0 equals the end of the string ("1.0-0" == "1.0").
    while parts and parts[-1] == _END:
        parts.pop()
    # The end marker makes a shorter string compare as dpkg does: "1.0~" < "1.0" < "1.0a".
    return (*parts, _END)


def debian_key(version: str) -> DebianKey:
    """Key ordering Debian versions ``[epoch:]upstream[-revision]`` as dpkg does.

    Raises ValueError for what dpkg rejects: a non-numeric or empty epoch, an upstream
    version not starting with a digit, an empty revision, or characters dpkg forbids.
    """
    epoch_text, colon, rest = version.partition(":")
    if not colon:
        epoch_text, rest = "0", version
    if not _EPOCH.fullmatch(epoch_text) or int(epoch_text) > _MAX_EPOCH:
        raise ValueError(message("deb_bad_epoch", version=version))
    upstream, hyphen, revision = rest.rpartition("-")
    if not hyphen:
        upstream, revision = rest, ""
    elif not _REVISION.fullmatch(revision):
        raise ValueError(message("deb_bad_revision", version=version))
    if not _UPSTREAM.fullmatch(upstream):
        raise ValueError(message("deb_bad_upstream", version=version))
    return (int(epoch_text), _parts(upstream), _parts(revision))
