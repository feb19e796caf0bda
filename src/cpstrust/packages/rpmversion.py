"""RPM version ordering (rpm 4.18's ``rpmverCmp`` over ``rpmvercmp``) as a plain tuple key.

An EVR string is split the way rpm's own ``rpmverParse`` splits it (``rpm.labelCompare``
takes strings through it): the epoch is the run of digits before the first ":" if a
":" follows it at once ("" means 0; none means 0), the release is what follows the last
"-" after that run (present but empty for a trailing "-"), the version is the rest.
So "a:1.0" has no epoch (its version is "a:1.0") and "1.module+el9.4.0+2:1" keeps its
colon in the version, exactly as rpm reads them. Epoch, version and release are then
compared in turn; a missing release is older than any present one, even an empty one.

Each part is a run of segments: digits (by value), ASCII letters (by bytes), "~" (older
than anything, even the end) and "^" (older than any segment, newer than the end); all
other characters only separate. ``tests/packages/test_versions_rpm.py`` checks the key
against ``rpm.labelCompare``.
"""

from __future__ import annotations

import re

from cpstrust.messages import message

# A segment and its weight: "~" < end < "^" < letters < digits, as rpmvercmp orders them.
_SEGMENT = re.compile(r"(~)|(\^)|([A-Za-z]+)|([0-9]+)")
_TILDE, _END, _CARET, _ALPHA, _DIGITS = range(5)

Segment = tuple[int, int, str]  # (weight, number, letters)
RpmKey = tuple[int, tuple[Segment, ...], tuple[Segment, ...]]

_END_SEGMENT: Segment = (_END, 0, "")


def _segments(text: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for tilde, caret, letters, digits in _SEGMENT.findall(text):
        if tilde:
            segments.append((_TILDE, 0, ""))
        elif caret:
            segments.append((_CARET, 0, ""))
        elif letters:
            segments.append((_ALPHA, 0, letters))
        else:
            segments.append((_DIGITS, int(digits), ""))
    # The end marker makes a string that runs out compare as rpmvercmp does:
    # "1.0~rc1" < "1.0" < "1.0^git1" < "1.0a" < "1.0.1".
    segments.append(_END_SEGMENT)
    return tuple(segments)


def rpm_key(evr: str) -> RpmKey:
    """Key ordering ``[epoch:]version[-release]`` as ``rpm.labelCompare`` does.

    Raises ValueError only for what rpm cannot take whole: an empty string (rpmverParse
    returns no version), text with no UTF-8 form (rpm refuses it), or a NUL (rpm would
    silently compare only what comes before it).
    """
    if not evr or "\x00" in evr:
        raise ValueError(message("rpm_unreadable_version", version=evr))
    evr.encode()  # rpm is handed UTF-8; a lone surrogate raises UnicodeEncodeError here
    digits = len(evr) - len(evr.lstrip("0123456789"))
    version, hyphen, release = evr.rpartition("-")
    if not hyphen:
        version, release = evr, ""
    epoch = 0
    if evr[digits : digits + 1] == ":":  # only leading digits and then ":" make an epoch
        epoch = int(evr[:digits] or "0")
        version = version[digits + 1 :]
    # A missing release sorts before every release, the empty one included ("1" < "1-").
    release_key = _segments(release) if hyphen else ()
    return (epoch, _segments(version), release_key)
