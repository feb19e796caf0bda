"""The radar chart: a valid SVG whose text names the ten axes, a PNG image of the same
drawing, the average drawn only when given, and the same bytes for the same input."""

from __future__ import annotations

import io

import defusedxml.ElementTree as ElementTree
from matplotlib.image import imread

from cpstrust.formats.radar_chart import ChartImage, RadarAxis, RadarText, radar_chart

SVG_NS = "{http://www.w3.org/2000/svg}"
TEXT = RadarText("Maturity: Hokuriku Controls", "Hokuriku Controls", "Industry average")


def _axes(average: float | None = None) -> list[RadarAxis]:
    return [RadarAxis(f"{i}. Item {i}", i % 5 + 1 if i != 7 else None, average)
            for i in range(1, 11)]


def _texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]


def test_svg_is_valid_and_names_the_ten_axes() -> None:
    texts = _texts(radar_chart(_axes(), TEXT, ChartImage.SVG))
    for i in range(1, 11):
        assert any(t.startswith(f"{i}. Item") for t in texts), i
    assert "Maturity: Hokuriku Controls" in texts
    assert "Industry average" not in texts  # no average given


def test_svg_draws_the_average_when_every_axis_has_one() -> None:
    texts = _texts(radar_chart(_axes(2.5), TEXT, ChartImage.SVG))
    assert "Industry average" in texts and "Hokuriku Controls" in texts


def test_japanese_labels_stay_text_in_the_svg() -> None:
    axes = [RadarAxis(f"{i}. 組織全体の方針", 3, None) for i in range(1, 11)]
    texts = _texts(radar_chart(axes, RadarText("成熟度", "自社", "業界平均"), ChartImage.SVG))
    assert sum(t.endswith("組織全体の方針") for t in texts) == 10


def test_png_is_an_image() -> None:
    png = radar_chart(_axes(2.5), TEXT, ChartImage.PNG)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pixels = imread(io.BytesIO(png))
    assert pixels.shape[0] > 500 and pixels.shape[1] > 500


def test_the_same_input_draws_the_same_svg() -> None:
    assert radar_chart(_axes(), TEXT, ChartImage.SVG) == radar_chart(_axes(), TEXT,
                                                                      ChartImage.SVG)
