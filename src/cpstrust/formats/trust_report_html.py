"""The trust report for people as one self-contained HTML file, in English or Japanese:
the supply chain drawn as a graph (inline SVG, laid out by ``formats.trust_graph``), the
count of verdicts by kind, and every subject that is not trusted with its reasons and
next steps.

Rendered with Jinja2 from the JSON facts (``formats.trust_report``), as the product and
assessment reports are: autoescaping on (names come from other organisations' files),
nothing loaded (inline CSS and SVG, a Content-Security-Policy that forbids any load, no
script). A verdict is never told by colour alone: every box and row also says it in words.
"""

from __future__ import annotations

from cpstrust.formats.product_report_html import html_environment, labeller, minute
from cpstrust.formats.trust_graph import NODE_HEIGHT, NODE_WIDTH, layout
from cpstrust.formats.trust_report import trust_report_json
from cpstrust.messages import Lang
from cpstrust.model.trustreport import TIERS, VERDICT_ORDER, TrustReport

TEMPLATE = "trust-report.html"
# Rows of each table at most: the JSON report lists every subject; a page of a million
# devices would not open.
MAX_ROWS = 1000
_VERDICTS = [v.value for v in VERDICT_ORDER]
_KINDS = [k.value for k in TIERS]


def write_trust_report_html(report: TrustReport, lang: Lang, tool: str,
                            graph_limit: int | None = None) -> bytes:
    """The report as UTF-8 HTML; ``tool`` names the cpstrust version that made it;
    ``graph_limit`` caps the subjects drawn per tier."""
    facts = trust_report_json(report, lang)
    drawn = (layout(facts["subjects"], facts["edges"]) if graph_limit is None
             else layout(facts["subjects"], facts["edges"], graph_limit))
    page = html_environment().get_template(TEMPLATE).render(
        r=facts, lang=lang.value, label=labeller(lang), tool=tool,
        generated=minute(report.evaluated_at), graph=drawn, node_width=NODE_WIDTH,
        node_height=NODE_HEIGHT, kinds=_KINDS, verdicts=_VERDICTS, rows=MAX_ROWS,
        attention=sorted((s for s in facts["subjects"] if s["verdict"] != "trusted"),
                         key=lambda s: (_VERDICTS.index(s["verdict"]), _KINDS.index(s["kind"]))),
        trusted=[s for s in facts["subjects"] if s["verdict"] == "trusted"])
    return page.encode()
