"""An OT incident for people as one self-contained HTML file, in English or Japanese:
its severity and why it was raised, the ranked plan with the CPSF requirements of each
step, the findings, devices, attestations and open vulnerabilities.

Rendered with Jinja2 from the JSON facts (``formats.incident_report``), as the product
and trust reports are: autoescaping on (alert facts come from the network), nothing
loaded (inline CSS, a Content-Security-Policy that forbids any load, no script).
"""

from __future__ import annotations

from cpstrust.formats.incident_report import incident_report_json
from cpstrust.formats.product_report_html import html_environment, labeller, minute
from cpstrust.messages import Lang
from cpstrust.model.ot_incident import IncidentReport

TEMPLATE = "incident-report.html"
# Rows of the findings and vulnerabilities tables at most (the JSON lists every one).
MAX_ROWS = 1000


def write_incident_html(report: IncidentReport, lang: Lang, tool: str) -> bytes:
    """The incident as UTF-8 HTML; ``tool`` names the cpstrust version that made it.
    Dated by the incident's last change, so the same incident gives the same page."""
    facts = incident_report_json(report, lang)
    page = html_environment().get_template(TEMPLATE).render(
        r=facts, lang=lang.value, label=labeller(lang), tool=tool,
        generated=minute(report.incident.updated_at), rows=MAX_ROWS)
    return page.encode()
