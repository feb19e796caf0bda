"""An organisation's assessment report for people as one self-contained HTML file, in
English or Japanese: the ★ level and what blocks the next, the plan, the radar chart of
the ten items (inline SVG) and every answer with its evidence files.

Rendered with Jinja2 from the JSON facts (``formats.assessment_report``), as the product
report is (``formats.product_report_html``): autoescaping on, nothing loaded (inline CSS
and SVG, a Content-Security-Policy that forbids any load), headings and table captions
for screen readers.
"""

from __future__ import annotations

from markupsafe import Markup

from cpstrust.formats.assessment_report import assessment_report_json, radar_axes
from cpstrust.formats.product_report_html import html_environment, labeller, minute
from cpstrust.formats.radar_chart import ChartImage, RadarText, radar_chart
from cpstrust.messages import Lang, Message, render
from cpstrust.model.assessment import AssessmentReport

TEMPLATE = "assessment-report.html"


def chart_text(lang: Lang, organisation: str) -> RadarText:
    """The radar chart's words in ``lang``."""
    return RadarText(render(Message("assess_chart_title", {"organisation": organisation}), lang),
                     render(Message("assess_chart_own", {"organisation": organisation}), lang),
                     render(Message("assess_chart_average"), lang))


def write_assessment_report_html(report: AssessmentReport, lang: Lang, tool: str) -> bytes:
    """The report as UTF-8 HTML; ``tool`` names the cpstrust version that made it."""
    facts = assessment_report_json(report, lang)
    svg = radar_chart(radar_axes(facts), chart_text(lang, report.organisation), ChartImage.SVG)
    page = html_environment().get_template(TEMPLATE).render(
        r=facts, lang=lang.value, label=labeller(lang), tool=tool,
        generated=minute(report.generated_at), chart=Markup(_inline(svg)))
    return page.encode()


def _inline(svg: bytes) -> str:
    """The SVG element alone: an HTML page takes no XML declaration or DOCTYPE."""
    text = svg.decode()
    return text[text.index("<svg"):]
