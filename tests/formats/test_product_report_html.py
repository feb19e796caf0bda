"""The product report's template speaks only through the message catalogue: every label
it names, and every label it builds from a status, severity, category or decision, exists
in English and Japanese (the catalogue test checks both texts)."""

from __future__ import annotations

import re
from importlib import resources

from cpstrust.formats.product_report import SEVERITIES
from cpstrust.formats.product_report_html import TEMPLATE
from cpstrust.messages import catalogue
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingStatus
from cpstrust.model.licence import Decision, LicenceCategory
from cpstrust.model.lifecycle import Decider
from cpstrust.model.quality import Scope
from cpstrust.model.vex import VexStatus

SOURCE = (resources.files("cpstrust.formats") / "templates" / TEMPLATE).read_text("utf-8")

# Each label the template builds ("prefix" ~ value) and the values it may be built from.
BUILT: dict[str, list[str]] = {
    "report_severity_": [s.label for s in Severity],
    "report_status_": [s.value for s in FindingStatus],
    "report_decided_by_": [d.value for d in Decider],
    "report_vex_": [s.value for s in VexStatus],
    "report_category_": [*(c.value for c in LicenceCategory), "unknown"],
    "decision_": [d.value for d in Decision],
    "quality_scope_": [s.value for s in Scope],
}


def test_every_label_the_template_names_is_in_the_catalogue() -> None:
    named = set(re.findall(r'label\("([^"]+)"\s*[,)]', SOURCE))
    assert "report_title" in named and "attribution" in named
    assert named - catalogue().keys() == set()


def test_every_label_the_template_builds_is_in_the_catalogue_for_every_value() -> None:
    prefixes = set(re.findall(r'label\("([^"]+)"\s*~', SOURCE))
    assert prefixes == set(BUILT)
    missing = [prefix + value for prefix, values in BUILT.items() for value in values
               if prefix + value not in catalogue()]
    assert missing == []


def test_the_severities_counted_are_every_severity_worst_first() -> None:
    assert sorted(SEVERITIES, reverse=True) == list(SEVERITIES)
    assert set(SEVERITIES) == set(Severity)
