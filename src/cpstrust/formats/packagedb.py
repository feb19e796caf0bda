"""What every package database reader shares: text that must be UTF-8, and each package
once (one listed twice alike is one; twice at different versions, which two readers
would resolve differently, is refused with both places)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from cpstrust.errors import InputError
from cpstrust.messages import Place
from cpstrust.model.inventory import InstalledPackage


def decode_text(data: bytes, path: str) -> str:
    """The UTF-8 text of a database file, refusing bytes that are not, at their line."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("packagedb_not_utf8", source=path, location=f"line {line}") from None


def once_each(found: Iterable[tuple[Hashable, InstalledPackage, str]],
              path: str) -> list[InstalledPackage]:
    """The packages by key, in order, each once; ``found`` gives (key, package, place),
    the place as the database counts ("line 12", "package 3")."""
    kept: dict[Hashable, tuple[InstalledPackage, str]] = {}
    for key, package, place in found:
        earlier = kept.setdefault(key, (package, place))
        if earlier[0].version != package.version:
            raise InputError("packagedb_package_twice", name=package.name,
                             first=earlier[0].version, first_at=Place(earlier[1]),
                             second=package.version, source=path, location=place)
    return [package for package, _ in kept.values()]
