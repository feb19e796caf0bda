"""A page of a listing read with a cursor (keyset pagination): a page stays the same
when rows are added before it, which offsets cannot promise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``after``: the sort key and id of the last row of the previous page, as the
    cursor carried it; ``descending``: the sort direction."""

    limit: int = 50
    after: tuple[object, int] | None = None
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Page(Generic[Item]):
    items: tuple[Item, ...]
    next_after: tuple[object, int] | None  # None on the last page
