"""What the three VEX readers share: typed field access that names the place of a
problem, timestamps, and statements refused when one document says two things."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import kind_of, pointer
from cpstrust.messages import message

T = TypeVar("T")
Path = tuple[str | int, ...]


class Fields:
    """Reads the fields of one JSON document, each with its type checked; an error
    names the document and the JSON pointer of the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, code: str, path: Path, **facts: object) -> InputError:
        return InputError(code, source=self.source, location=pointer(path), **facts)

    def typed(self, value: object, kind: type[T], path: Path) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error("vex_field_type", path, expected=message(_KIND[kind]),
                             found=kind_of(value))
        return value

    def optional(self, node: Mapping[str, Any], key: str, kind: type[T],
                 path: Path) -> T | None:
        value = node.get(key)
        return None if value is None else self.typed(value, kind, (*path, key))

    def required(self, node: Mapping[str, Any], key: str, kind: type[T], path: Path) -> T:
        if key not in node:
            raise self.error("vex_field_missing", path, field=key)
        return self.typed(node[key], kind, (*path, key))

    def objects(self, node: Mapping[str, Any], key: str, path: Path,
                ) -> list[tuple[Path, dict[str, Any]]]:
        """The objects of the array ``node[key]`` (none when absent), with their paths."""
        items = self.optional(node, key, list, path) or []
        return [(at, self.typed(item, dict, at))
                for at, item in ((((*path, key, i)), item) for i, item in enumerate(items))]

    def strings(self, node: Mapping[str, Any], key: str, path: Path) -> tuple[str, ...]:
        items = self.optional(node, key, list, path) or []
        return tuple(self.typed(item, str, (*path, key, i)) for i, item in enumerate(items))

    def timestamp(self, node: Mapping[str, Any], key: str, path: Path) -> datetime | None:
        """An RFC 3339 date-time; one without a zone is taken as UTC."""
        text = self.optional(node, key, str, path)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise self.error("vex_bad_timestamp", (*path, key), value=text[:64]) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_KIND: dict[type, str] = {
    dict: "json_kind_object", list: "json_kind_array", str: "json_kind_string",
    int: "json_kind_number",
}


def latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


def first_of(values: Sequence[str | None]) -> str | None:
    return next((v for v in values if v), None)
