"""Alpine (apk) version ordering, after apk-tools' ``apk_version_compare``, as a tuple key.

apk-tools (src/version.c) reads a version as tokens,
``digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]``, and compares two versions
token by token. Tokens of one kind compare by value; where the kinds differ, the
version with a pre-release suffix (_alpha, _beta, _pre, _rc) there is the older one,
and otherwise the one whose token comes later in that pattern (or that has ended) is.
Each token below is a (rank, number, text) triple whose rank encodes exactly that
precedence, so a plain tuple comparison gives apk's answer.

``tests/packages/test_versions_apk.py`` checks the key against a reference comparator
written there from apk-tools' rules (Debian packages no apk-tools to run), on generated
versions and on hand-written cases.
"""

from __future__ import annotations

import re

from cpstrust.messages import message

_VERSION = re.compile(
    r"(?P<initial>[0-9]+)(?P<digits>(?:\.[0-9]+)*)(?P<letter>[a-z])?"
    r"(?P<suffixes>(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*)*)"
    r"(?:~(?P<hash>[0-9a-f]+))?(?:-r(?P<revision>[0-9]+))?"
)
_SUFFIX = re.compile(r"_([a-z]+)([0-9]*)")
_PRE_SUFFIXES = ("alpha", "beta", "pre", "rc")  # older than the same version without them
_POST_SUFFIXES = ("cvs", "svn", "git", "hg", "p")
_UINT64 = 1 << 64  # apk keeps numbers in 64 bits

# Token ranks: where two versions' tokens differ in kind, the lower rank is the older.
_PRE, _END, _REVISION, _HASH, _SUFFIX_NO, _POST, _LETTER, _DIGIT, _INITIAL = range(9)

Token = tuple[int, int, str]  # (rank, number, text)
ApkKey = tuple[Token, ...]

_END_TOKEN: Token = (_END, 0, "")


def _number(digits: str, version: str) -> int:
    value = int(digits)
    if value >= _UINT64:  # apk's arithmetic wraps there: 2**64 would equal 0
        raise ValueError(message("apk_number_beyond_64_bits", version=version))
    return value


def _digit_token(digits: str, version: str) -> Token:
    # apk compares a component with a leading zero as a string ("1.05" < "1.1"): all such
    # components sort below the plain numbers, and among themselves by their digits.
    if digits.startswith("0"):
        return (_DIGIT, -1, digits)
    return (_DIGIT, _number(digits, version), "")


def _suffix_tokens(suffixes: str, version: str) -> list[Token]:
    tokens: list[Token] = []
    for name, digits in _SUFFIX.findall(suffixes):
        if name in _PRE_SUFFIXES:
            tokens.append((_PRE, _PRE_SUFFIXES.index(name), ""))
        else:
            tokens.append((_POST, _POST_SUFFIXES.index(name), ""))
        if digits:
            tokens.append((_SUFFIX_NO, _number(digits, version), ""))
    return tokens


def apk_key(version: str) -> ApkKey:
    """Key ordering Alpine package versions as apk-tools does.

    Raises ValueError for what ``apk version -c`` calls invalid (apk would compare such
    strings only up to the first bad character) and for numbers beyond 64 bits.
    """
    match = _VERSION.fullmatch(version)
    if match is None:
        raise ValueError(message("apk_invalid_version", version=version))
    tokens: list[Token] = [(_INITIAL, _number(match["initial"], version), "")]
    tokens += (_digit_token(d, version) for d in match["digits"].split(".")[1:])
    if match["letter"]:
        tokens.append((_LETTER, ord(match["letter"]), ""))
    tokens += _suffix_tokens(match["suffixes"], version)
    if match["hash"]:
        tokens.append((_HASH, 0, match["hash"]))
    if match["revision"]:
        tokens.append((_REVISION, _number(match["revision"], version), ""))
    tokens.append(_END_TOKEN)
    return tuple(tokens)
