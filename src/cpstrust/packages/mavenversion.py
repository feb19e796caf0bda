"""Maven version ordering (maven-artifact 3.8's ``ComparableVersion``) as a tuple key.

A version is parsed exactly as ComparableVersion parses it: "." and "-" separate items,
a change between digits and letters separates them too (and, like "-", opens a sub-list),
numbers compare by value, qualifiers by Maven's list (alpha < beta < milestone < rc <
snapshot < "" = ga = final = release < sp < any other, alphabetically), and trailing
"null" items (0, "", empty lists) are dropped. Maven compares two item lists position by
position, padding the shorter with "null": a qualifier before the end is older or newer
than the end by its rank (1-alpha < 1 < 1-sp), a sub-list by its first non-null item.
The key ranks each item so that a plain tuple comparison does the same.

On a few forms ComparableVersion itself is no order (3.10.0.rc.1 > 3.10-1 > 3.10 >
3.10.0.rc.1; 1.sp.1 < 1-alpha < 1 < 1.sp.1): such versions are refused
(``_check_orderable``); on all others the key agrees with Maven.
``tests/packages/test_versions_maven.py`` checks the key against Maven's own class.
"""

from __future__ import annotations

from typing import Any

from cpstrust.messages import message

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_RELEASE = _QUALIFIERS.index("")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORTHANDS = {"a": "alpha", "b": "beta", "m": "milestone"}  # only when a digit follows

# Item ranks; where one list has ended, the end sits at _END among them.
_PRE_QUALIFIER, _OLDER_LIST, _END, _QUALIFIER, _NEWER_LIST, _NUMBER = range(6)

Item = int | str | list["Item"]  # number, qualifier (canonical spelling), sub-list
MavenKey = tuple[tuple[Any, ...], ...]


def _qualifier(text: str, followed_by_digit: bool) -> str:
    if followed_by_digit and len(text) == 1:
        text = _SHORTHANDS.get(text, text)
    return _ALIASES.get(text, text)


def _comparable(qualifier: str) -> str:
    # Maven's comparableQualifier: known qualifiers by list position, others after them.
    if qualifier in _QUALIFIERS:
        return str(_QUALIFIERS.index(qualifier))
    return f"{len(_QUALIFIERS)}-{qualifier}"


def _item(is_digit: bool, text: str) -> Item:
    return int(text) if is_digit else _qualifier(text, followed_by_digit=False)


def _parse(version: str) -> list[Item]:
    """ComparableVersion.parseVersion: the normalised item tree."""
    text = version.lower()
    root: list[Item] = []
    current = root
    is_digit = False
    start = 0

    def open_list() -> None:
        nonlocal current
        sub: list[Item] = []
        current.append(sub)
        current = sub

    for i, char in enumerate(text):
        if char in ".-":
            current.append(_item(is_digit, text[start:i]) if i > start else 0)
            start = i + 1
            if char == "-":
                open_list()
        elif char.isdigit():
            if not is_digit and i > start:  # letters then digits: "1.0.0.X1" is "1.0.0-X-1"
                if current:
                    open_list()
                current.append(_qualifier(text[start:i], followed_by_digit=True))
                start = i
                open_list()
            is_digit = True
        else:
            if is_digit and i > start:  # digits then letters: "1a" is "1-a"
                current.append(int(text[start:i]))
                start = i
                open_list()
            is_digit = False
    if len(text) > start:
        if not is_digit and current:
            open_list()
        current.append(_item(is_digit, text[start:]))
    _normalize(root)
    return root


def _is_null(item: Item) -> bool:
    return item == 0 or item == "" or item == []


def _normalize(items: list[Item]) -> None:
    """Drop trailing null items, innermost lists first, as ListItem.normalize does."""
    for item in items:
        if isinstance(item, list):
            _normalize(item)
    for i in range(len(items) - 1, -1, -1):
        if _is_null(items[i]):
            del items[i]
        elif not isinstance(items[i], list):
            break


def _sign(item: Item) -> int:
    """How the item compares with Maven's "null" padding: -1, 0 or 1."""
    if isinstance(item, int):
        return int(item > 0)
    if isinstance(item, str):
        comparable = _comparable(item)
        return (comparable > str(_RELEASE)) - (comparable < str(_RELEASE))
    return next((s for s in map(_sign, item) if s), 0)


def _check_orderable(items: list[Item], version: str) -> None:
    """Refuse the forms on which Maven's padding rule contradicts its item rule (a
    qualifier sorts below any sub-list, yet may sort above the end of a list):
    a qualifier after the first item of a list unless it is a pre-release one that does
    not follow a null item ("1.sp.1", "3.10.0.rc.1"; "3.10.rc.1" is fine), and a list
    that starts with a list older than the end ("1-0.alpha", "0.0.0-SNAPSHOT")."""
    for i, item in enumerate(items):
        if isinstance(item, str) and i > 0:
            misplaced = _sign(item) >= 0 or _is_null(items[i - 1])
        else:
            misplaced = isinstance(item, list) and i == 0 and _sign(item) < 0
        if misplaced:
            raise ValueError(message("maven_not_transitive", version=version))
        if isinstance(item, list):
            _check_orderable(item, version)


def _key(items: list[Item]) -> MavenKey:
    keys: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, int):
            keys.append((_NUMBER, item))
        elif isinstance(item, str):
            rank = _PRE_QUALIFIER if _sign(item) < 0 else _QUALIFIER
            keys.append((rank, _comparable(item)))
        else:
            keys.append((_OLDER_LIST if _sign(item) < 0 else _NEWER_LIST, _key(item)))
    keys.append((_END,))
    return tuple(keys)


def maven_key(version: str) -> MavenKey:
    """Key ordering Maven versions as ComparableVersion does.

    Raises ValueError for non-ASCII text (Java reads versions as UTF-16 with Unicode
    digits and its own case rules; Maven versions are ASCII) and for the forms on which
    ComparableVersion is not an order.
    """
    if not version.isascii():
        raise ValueError(message("maven_non_ascii", version=version))
    items = _parse(version)
    _check_orderable(items, version)
    return _key(items)
