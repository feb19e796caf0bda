"""Safe JSON loading for documents from someone else: orjson plus our own limits."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import orjson

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.limits import ReadLimits
from cpstrust.messages import Message, message

_UTF8_BOM = b"\xef\xbb\xbf"


def load_json(data: bytes, limits: ReadLimits) -> object:
    """Parse ``data`` as JSON and enforce ``limits.max_depth`` and ``limits.max_string``.

    Raises ``InputError`` for empty or malformed input (with line and column) and
    ``LimitExceededError`` for input nested too deeply or holding a string that is too long.
    """
    document = parse_json(data)
    check_tree(document, limits)
    return document


def parse_json(data: bytes) -> object:
    """Parse ``data`` as JSON without our limits: for callers that check them later, in
    one pass with schema validation. orjson itself refuses nesting past 1,024 levels.

    Raises ``InputError`` for empty or malformed input, with line and column.
    """
    if not data or data.isspace():  # not strip(): it copies the document
        raise InputError("json_empty_file", location="line 1")
    try:
        # A UTF-8 byte order mark is legal in files but refused by orjson.
        document = orjson.loads(data[3:] if data.startswith(_UTF8_BOM) else data)
    except orjson.JSONDecodeError as exc:
        raise _decode_error(exc) from None
    return document


def parse_json_strict(data: bytes, source: str) -> object:
    """``parse_json`` for signed and security-relevant documents: an object that names
    a key twice is refused (RFC 7493, I-JSON), since orjson, like Python's json, keeps
    the last value where other readers keep the first.

    Raises ``InputError`` naming ``source``, the key and the JSON pointer of the object
    holding it.
    """
    try:
        document = parse_json(data)
        text = data[3:] if data.startswith(_UTF8_BOM) else data
        if not _written_back(document, text):
            _refuse_duplicate_keys(text)
    except InputError as exc:
        raise exc.with_source(source) from None
    return document


def _written_back(document: object, text: bytes) -> bool:
    """Whether orjson writes ``document`` back as ``text``, byte for byte: then each
    object of the text names each key once, as the parsed dicts do. This holds for what
    our writers (orjson, compact or indented by two) produce and costs one ``dumps``
    (3 µs for a report of 200 measurements, against 37 µs for a check by ``json``)."""
    option = orjson.OPT_INDENT_2 if text[1:2] == b"\n" else 0  # orjson's two layouts
    try:
        written = orjson.dumps(document, option=option)
    except orjson.JSONEncodeError:  # nested deeper than the 254 levels orjson writes
        return False
    return text.startswith(written) and text[len(written):] in (b"", b"\n")


def _refuse_duplicate_keys(text: bytes) -> None:
    """The check by Python's json, for text laid out otherwise; only when it finds a
    repeated key is the text read again, every member kept, to name the place."""
    try:
        if _has_duplicate_key(text):
            key, path = next(_duplicate_keys(json.loads(text, object_pairs_hook=_Members)))
            shown = key if len(key) <= 100 else key[:100] + "…"
            raise InputError("json_duplicate_key", key=orjson.dumps(shown).decode(),
                             location=pointer(path))
    except RecursionError:  # json recurses in C: Python 3.11 stops near 1,000 levels
        raise InputError("json_too_deep") from None


class _DuplicateKeyError(Exception):
    """Stops json at the first object that names a key twice."""


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _DuplicateKeyError
    return members


def _has_duplicate_key(text: bytes) -> bool:
    try:
        json.loads(text, object_pairs_hook=_unique_members)
    except _DuplicateKeyError:
        return True
    return False


class _Members(list[tuple[str, Any]]):
    """An object's members in document order, a repeated key kept."""


def _duplicate_keys(tree: object) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Each repeated key, in document order, with the path of the object holding it."""
    stack: list[tuple[object, tuple[str | int, ...]]] = [(tree, ())]
    while stack:
        node, path = stack.pop()
        children: Sequence[tuple[str | int, object]]
        if isinstance(node, _Members):
            seen: set[str] = set()
            for key, _ in node:
                if key in seen:
                    yield key, path
                seen.add(key)
            children = node
        elif isinstance(node, list):
            children = list(enumerate(node))
        else:
            continue
        stack.extend((child, (*path, step)) for step, child in reversed(children))


def _decode_error(exc: orjson.JSONDecodeError) -> InputError:
    """The error for what orjson refused, chosen by orjson's wording; its text kept."""
    where = f"line {exc.lineno} column {exc.colno}"
    if "recursion limit" in exc.msg.lower() or "depth limit" in exc.msg.lower():
        return InputError("json_too_deep", location=where)
    if exc.pos >= len(exc.doc) or "end of" in exc.msg.lower() or "EOF" in exc.msg:
        return InputError("json_truncated", detail=exc.msg, location=where)
    return InputError("json_malformed", detail=exc.msg, location=where)


def check_tree(document: object, limits: ReadLimits) -> None:
    """Depth and string-length limits on a parsed JSON document, without recursion.

    The walk goes level by level and keeps no paths (~11 ms for 10,000 components);
    only when it finds an offence does a second walk work out where it is.
    """
    if _within_limits(document, limits.max_depth, limits.max_string):
        return
    raise _offence(document, limits)


def _within_limits(document: object, max_depth: int, max_string: int) -> bool:
    level: list[Any] = [document]
    for _depth in range(max_depth):
        deeper: list[Any] = []
        for node in level:
            kind = type(node)
            if kind is str:
                if len(node) > max_string:
                    return False
                continue
            if kind is not dict and kind is not list:
                continue
            for child in node.values() if kind is dict else node:
                kind = type(child)
                if kind is dict or kind is list:
                    deeper.append(child)
                elif kind is str and len(child) > max_string:
                    return False
        if not deeper:
            return True
        level = deeper
    return False


def _offence(document: object, limits: ReadLimits) -> LimitExceededError:
    """The error naming the first offence against ``limits`` and where it is."""
    stack: list[tuple[object, int, tuple[str | int, ...]]] = [(document, 1, ())]
    while stack:
        node, depth, path = stack.pop()
        if isinstance(node, str) and len(node) > limits.max_string:
            return LimitExceededError("json_string_too_long", length=len(node),
                                      limit=limits.max_string, location=pointer(path))
        if not isinstance(node, dict | list):
            continue
        if depth > limits.max_depth:
            return LimitExceededError("input_nesting_too_deep", limit=limits.max_depth,
                                      location=pointer(path))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((child, depth + 1, (*path, key)) for key, child in items)
    return LimitExceededError("input_exceeds_limits", location=pointer(()))


def pointer(path: Sequence[str | int]) -> str:
    """RFC 6901 JSON pointer for a path of keys and indexes ("/" for the root)."""
    if not path:
        return "/"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def kind_of(value: object) -> Message:
    """JSON name of a value's type, for error messages ("an array")."""
    if value is None:
        return message("json_kind_null")
    if isinstance(value, bool):
        return message("json_kind_boolean")
    if isinstance(value, int | float):
        return message("json_kind_number")
    if isinstance(value, str):
        return message("json_kind_string")
    return message("json_kind_array") if isinstance(value, list) else message("json_kind_object")
