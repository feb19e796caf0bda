"""Where the trust report draws each subject: one column per tier (organisations,
products, releases, devices, zones, sites), each subject a box, each edge a line from a
box's right side to the next's left (an organisation's supply to another organisation, in
the same column, an arc on the left). No script: the HTML page draws these as inline SVG.

Order within a column follows the column before (the mean row of a subject's sources),
which keeps most lines from crossing; a column of more than ``limit`` subjects shows the
worst ``limit`` and a box counting the rest, so a million devices still make a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cpstrust.model.trustreport import TIERS, VERDICT_ORDER

NODE_WIDTH = 180
NODE_HEIGHT = 40
ROW = 54
COLUMN_GAP = 60
MARGIN_LEFT = 50  # room for the arcs between organisations
MARGIN_TOP = 40  # room for the column headings
MAX_LABEL = 24  # characters of a name shown in a box (the full name is its tooltip)
DEFAULT_LIMIT = 40

Ref = tuple[str, str]  # (kind, id) as the report's facts name a subject


@dataclass(frozen=True, slots=True)
class Box:
    kind: str
    id: str
    label: str  # the name, shortened to fit
    verdict: str | None  # None for the box counting the subjects not drawn
    x: int
    y: int
    more: int = 0


@dataclass(frozen=True, slots=True)
class Line:
    path: str  # SVG path data
    verdict: str  # of the source: a line is as trusted as where it comes from


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int
    columns: tuple[tuple[str, int], ...]  # (kind, x of the column's heading centre)
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]
    cut: bool  # some column shows only its worst subjects
    limit: int  # subjects drawn per column at most


def layout(subjects: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]],
           limit: int = DEFAULT_LIMIT) -> Layout:
    """Positions for the report's ``subjects`` and ``edges`` (as ``trust_report_json``
    gives them)."""
    verdict = {(s["kind"], s["id"]): str(s["verdict"]) for s in subjects}
    sources: dict[Ref, list[Ref]] = defaultdict(list)
    for e in edges:
        sources[_ref(e["target"])].append(_ref(e["source"]))
    rows: dict[Ref, int] = {}
    boxes: list[Box] = []
    cut = False
    for column, kind in enumerate(TIERS):
        members = [ref for ref in verdict if ref[0] == kind.value]
        shown = _worst(members, verdict, limit)
        cut = cut or len(shown) < len(members)
        x = MARGIN_LEFT + column * (NODE_WIDTH + COLUMN_GAP)
        for row, ref in enumerate(_ordered(shown, sources, rows)):
            rows[ref] = row
            boxes.append(Box(ref[0], ref[1], _short(ref[1]), verdict[ref], x, _y(row)))
        if len(shown) < len(members):
            boxes.append(Box(kind.value, "", "", None, x, _y(len(shown)),
                             more=len(members) - len(shown)))
    placed = {(b.kind, b.id): b for b in boxes if b.verdict is not None}
    lines = tuple(Line(_path(placed[s], placed[t]), verdict[s])
                  for s, t in ((_ref(e["source"]), _ref(e["target"])) for e in edges)
                  if s in placed and t in placed)
    deepest = max((b.y for b in boxes), default=MARGIN_TOP)
    columns = tuple((kind.value, MARGIN_LEFT + i * (NODE_WIDTH + COLUMN_GAP) + NODE_WIDTH // 2)
                    for i, kind in enumerate(TIERS))
    width = MARGIN_LEFT + len(TIERS) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP + 10
    return Layout(width, deepest + NODE_HEIGHT + 10, columns, tuple(boxes), lines, cut, limit)


def _ref(end: Mapping[str, Any]) -> Ref:
    return (str(end["kind"]), str(end["id"]))


def _worst(members: list[Ref], verdict: Mapping[Ref, str], limit: int) -> list[Ref]:
    if len(members) <= limit:
        return members
    order = [v.value for v in VERDICT_ORDER]
    return sorted(members, key=lambda r: (order.index(verdict[r]), r[1]))[:limit]


def _ordered(refs: list[Ref], sources: Mapping[Ref, list[Ref]],
             rows: Mapping[Ref, int]) -> list[Ref]:
    """By the mean row of each one's sources already placed (those with none last),
    then by name."""
    def mean_row(ref: Ref) -> float:
        placed = [rows[s] for s in sources.get(ref, ()) if s in rows and s[0] != ref[0]]
        return sum(placed) / len(placed) if placed else float("inf")

    return sorted(refs, key=lambda r: (mean_row(r), r[1]))


def _y(row: int) -> int:
    return MARGIN_TOP + row * ROW


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1] + "…"


def _path(source: Box, target: Box) -> str:
    middle = NODE_HEIGHT // 2
    if source.kind == target.kind:  # supplier -> customer: an arc left of the column
        y1, y2 = source.y + middle, target.y + middle
        bend = source.x - 30 - min(abs(y2 - y1) // 8, 15)
        return f"M{source.x},{y1} C{bend},{y1} {bend},{y2} {target.x},{y2}"
    x1, y1 = source.x + NODE_WIDTH, source.y + middle
    x2, y2 = target.x, target.y + middle
    bend = (x1 + x2) // 2
    return f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"
