"""The radar chart of the management guideline's ten items, as SVG or PNG.

Drawn once with matplotlib on the Agg canvas (no pyplot, no global figure state) and
saved in either format. matplotlib (~0.3 s to import) is imported only when a chart is
drawn. The SVG keeps its text as text (``svg.fonttype: none``), so that a browser sets
Japanese labels in its own fonts and a reader can find every axis by its label; the PNG
uses a Japanese font when one is installed. Output is reproducible: no date, fixed ids.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MAX_LEVEL = 5
_JAPANESE_FONTS = ("Noto Sans CJK JP", "IPAexGothic", "IPAGothic", "TakaoGothic")
_WRAP = 16  # characters a line of an axis label holds


class ChartImage(StrEnum):
    SVG = "svg"
    PNG = "png"


@dataclass(frozen=True, slots=True)
class RadarAxis:
    label: str  # e.g. "1. Set an organisation-wide policy"
    level: int | None  # None: not answered, drawn at 0
    average: float | None


@dataclass(frozen=True, slots=True)
class RadarText:
    """The chart's words, in the reader's language."""

    title: str
    own: str  # the organisation's series
    average: str  # the industry average's


def radar_chart(axes: Sequence[RadarAxis], text: RadarText, image: ChartImage) -> bytes:
    """The chart as SVG or PNG bytes; the average is drawn when every axis has one."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_style()):
        figure = Figure(figsize=(7.5, 7.5))
        FigureCanvasAgg(figure)
        _draw(figure.add_subplot(projection="polar"), axes, text)
        figure.tight_layout()
        out = io.BytesIO()
        metadata = {"Date": None} if image is ChartImage.SVG else {"Software": "cpstrust"}
        figure.savefig(out, format=image.value, dpi=110, metadata=metadata)
    return out.getvalue()


def _style() -> Any:  # matplotlib types its keys as literals
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return {"svg.fonttype": "none", "svg.hashsalt": "cpstrust",
            "font.family": [*(f for f in _JAPANESE_FONTS if f in installed), "DejaVu Sans"],
            "font.size": 9}


def _draw(ax: Any, axes: Sequence[RadarAxis], text: RadarText) -> None:
    count = len(axes)
    angles = [2 * math.pi * i / count for i in range(count)]
    closed = [*angles, angles[0]]
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_ylim(0, MAX_LEVEL)
    ax.set_yticks(range(1, MAX_LEVEL + 1))
    ax.set_xticks(angles)
    ax.set_xticklabels([textwrap.fill(a.label, _WRAP) for a in axes])
    own = [a.level or 0 for a in axes]
    ax.plot(closed, [*own, own[0]], color="#1f5fa8", linewidth=2, label=text.own)
    ax.fill(closed, [*own, own[0]], color="#1f5fa8", alpha=0.25)
    if axes and all(a.average is not None for a in axes):
        average = [a.average or 0.0 for a in axes]
        ax.plot(closed, [*average, average[0]], color="#c4161c", linewidth=1.5,
                linestyle="--", label=text.average)
    ax.set_title(text.title, pad=40)
    ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12))
