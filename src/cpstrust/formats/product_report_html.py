"""A product's report for people as one self-contained HTML file, in English or Japanese.

Rendered with Jinja2 from the facts the JSON report gives (``formats.product_report``),
so both say the same. Everything in it comes from someone else's SBOM, VEX and
advisories: autoescaping is on for every value, and the page loads nothing (inline CSS,
no script, no font, no image; its Content-Security-Policy forbids any load), so it can be
mailed, archived and opened offline. Headings, table captions and header cells and the
page's ``lang`` are there for screen readers; the print style keeps it readable on paper.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from cpstrust.formats.product_report import SEVERITIES, product_report_json
from cpstrust.messages import Lang, Message, render
from cpstrust.model.product_report import ProductReport

TEMPLATE = "product-report.html"


def write_product_report_html(report: ProductReport, lang: Lang, tool: str) -> bytes:
    """The report as UTF-8 HTML; ``tool`` names the cpstrust version that made it."""
    facts = product_report_json(report, lang)
    page = html_environment().get_template(TEMPLATE).render(
        r=facts, lang=lang.value, label=labeller(lang), tool=tool,
        severities=[s.label for s in SEVERITIES], by_component=_by_component(facts),
        generated=minute(report.generated_at), received=minute(report.sbom.received_at),
        conflicts=_named_conflicts(facts))
    return page.encode()


def html_environment() -> Environment:
    return Environment(loader=PackageLoader("cpstrust.formats", "templates"),
                       autoescape=True,  # SBOM, VEX and advisory texts are untrusted
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def labeller(lang: Lang) -> Callable[..., str]:
    """The catalogue's text of a label; one without facts (a status, a severity, a column)
    is rendered once: a large report asks for each tens of thousands of times."""
    plain: dict[str, str] = {}

    def label(code: str, **facts: object) -> str:
        if facts:
            return render(Message(code, facts), lang)
        if code not in plain:
            plain[code] = render(Message(code), lang)
        return plain[code]

    return label


def _by_component(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each vulnerable component with its path and findings, worst finding first (the
    findings are ordered worst first)."""
    paths = {p["component_ref"]: p["path"] for p in facts["dependency_paths"]}
    groups: dict[str, dict[str, Any]] = {}
    for finding in facts["findings"]:
        ref = finding["component_ref"]
        if ref not in groups:
            groups[ref] = {"ref": ref, "name": finding["name"] or ref,
                           "version": finding["version"], "purl": finding["purl"],
                           "path": paths.get(ref), "findings": []}
        groups[ref]["findings"].append(finding)
    return list(groups.values())


def _named_conflicts(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """The licence conflicts with their components named (the facts give refs)."""
    names = {c["component_ref"]: c["name"] for c in facts["components"]}
    return [{**c, "first": [names.get(ref, ref) for ref in c["first"]],
             "second": [names.get(ref, ref) for ref in c["second"]]}
            for c in facts["conflicts"]]


def minute(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M %Z").strip()
