"""The risk register or the plan of countermeasures as one self-contained HTML page in
English or Japanese, rendered with Jinja2 from the JSON facts (``formats.risk_report``)
as the other reports are: autoescaping on, inline CSS and SVG (the likelihood x impact
heat map), nothing loaded, no script. A level is never told by colour alone: each cell
gives its count and each risk its level in words."""

from __future__ import annotations

from typing import Literal

from cpstrust.formats.product_report_html import html_environment, labeller, minute
from cpstrust.formats.risk_report import plan_json, register_json, zone_label
from cpstrust.messages import Lang
from cpstrust.model.risk import SCALE, RiskRegister, level_of

TEMPLATE = "risk-report.html"
_CELL = 64  # pixels per heat-map cell


def write_risk_html(register: RiskRegister, page: Literal["register", "plan"], lang: Lang,
                    tool: str) -> bytes:
    """``page``: the register (heat map, assets, risks) or the plan."""
    facts = register_json(register, lang) if page == "register" else plan_json(register, lang)
    label = labeller(lang)
    return html_environment().get_template(TEMPLATE).render(
        r=facts, page=page, lang=lang.value, label=label, tool=tool,
        title=label("risk_register_title" if page == "register" else "risk_plan_title"),
        generated=minute(register.at), scale=list(SCALE), cell=_CELL,
        band=lambda score: level_of(score).value,
        zone=lambda name: zone_label(name, lang)).encode()
