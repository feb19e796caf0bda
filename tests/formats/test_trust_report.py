"""The trust report's JSON facts and its HTML page in English and Japanese, from a report
made here (no store): every subject and verdict on the page, in words as well as colour,
names escaped, nothing loaded; a tier too large to draw shows its worst and a count."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from cpstrust.formats.trust_graph import layout
from cpstrust.formats.trust_report import trust_report_json
from cpstrust.formats.trust_report_html import write_trust_report_html
from cpstrust.messages import Lang, Message
from cpstrust.model.catalog import Requirement
from cpstrust.model.trustpolicy import SubjectKind, SubjectVerdict, Verdict
from cpstrust.model.trustreport import Edge, Relation, ReportedSubject, TrustReport
from cpstrust.trust.next_steps import next_steps

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SC1 = Requirement("cps.sc-1", "CPS.SC-1", "Security requirements for the supply chain",
                  "サプライチェーンのセキュリティ要件", None, None, "cps.sc", None, None)


def _verdict(kind: SubjectKind, key: int, name: str, verdict: Verdict,
             reason: Message) -> ReportedSubject:
    v = SubjectVerdict(kind, key, name, verdict, (reason,), None)
    return ReportedSubject(v, next_steps(v))


def _report() -> TrustReport:
    subjects = (
        _verdict(SubjectKind.ORGANISATION, 1, "Acme <Supply>", Verdict.UNKNOWN,
                 Message("trust_org_no_evidence", {"star": 3})),
        _verdict(SubjectKind.PRODUCT, 2, "PLC-4000", Verdict.AT_RISK,
                 Message("trust_depends_on", {"kind": "organisation", "name": "Acme <Supply>",
                                              "verdict": "unknown"})),
        _verdict(SubjectKind.RELEASE, 3, "PLC-4000 2.1.0", Verdict.TRUSTED,
                 Message("trust_release_signed_sbom", {"id": 7, "signer": "ab12"})),
        _verdict(SubjectKind.DEVICE, 4, "plc-01", Verdict.UNTRUSTED,
                 Message("trust_device_attestation_failed",
                         {"id": 9, "verdict": "MODIFIED", "at": "2026-06-01 11:00",
                          "hours": 24})),
        _verdict(SubjectKind.ZONE, 5, "Plant/cell-1", Verdict.UNTRUSTED,
                 Message("trust_system_tally", {"count": 1, "verdict": "untrusted",
                                                "example": "plc-01"})),
        _verdict(SubjectKind.SYSTEM, 6, "Plant", Verdict.UNTRUSTED,
                 Message("trust_system_tally", {"count": 1, "verdict": "untrusted",
                                                "example": "plc-01"})),
    )
    refs = [s.ref for s in subjects]
    edges = tuple(Edge(a, b, r) for a, b, r in zip(
        refs[:-1], refs[1:], (Relation.MAKES, Relation.VERSION, Relation.RUNS_ON,
                         Relation.LOCATED_IN, Relation.LOCATED_IN), strict=True))
    return TrustReport("oem-2026", AT, subjects, edges, {"CPS.SC-1": SC1})


def test_json_has_the_facts_of_every_subject_and_edge() -> None:
    facts = trust_report_json(_report(), Lang.EN)
    assert facts["policy"] == "oem-2026" and facts["untrusted"] == 3
    assert facts["counts"]["device"] == {"untrusted": 1, "at_risk": 0, "unknown": 0,
                                         "trusted": 0}
    first = facts["subjects"][0]
    assert set(first) == {"kind", "id", "verdict", "reasons", "valid_until", "next_steps"}
    assert first["next_steps"] == [{
        "step": "get-star-evidence", "requirements": ["CPS.SC-1"],
        "text": first["next_steps"][0]["text"]}]
    assert "Acme <Supply>" in first["next_steps"][0]["text"]
    assert facts["edges"][0] == {"source": {"kind": "organisation", "id": "Acme <Supply>"},
                                 "target": {"kind": "product", "id": "PLC-4000"},
                                 "relation": "makes"}
    assert facts["requirements"] == [{"id": "CPS.SC-1", "catalog": "cpsf",
                                      "title": SC1.title, "provisional": False}]
    assert trust_report_json(_report(), Lang.JA)["requirements"][0]["title"] == SC1.title_ja


@pytest.mark.parametrize(("lang", "words"), [
    (Lang.EN, ("trusted", "at risk", "untrusted", "unknown", "What to do next")),
    (Lang.JA, ("信頼", "要注意", "不信", "不明", "次にすべきこと")),
])
def test_html_names_every_subject_and_verdict_in_its_language(
        lang: Lang, words: tuple[str, ...]) -> None:
    page = write_trust_report_html(_report(), lang, "9.9").decode()
    assert f'<html lang="{lang.value}">' in page
    for name in ("Acme &lt;Supply&gt;", "PLC-4000 2.1.0", "plc-01", "Plant/cell-1"):
        assert name in page
    assert "<Supply>" not in page  # escaped
    for word in words:
        assert word in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count('<g class="box box-') == 6 and svg.count('class="edge') == 5
    for verdict in ("trusted", "at_risk", "untrusted", "unknown"):
        assert f"box-{verdict}" in svg  # colour, with the verdict in words beside it
    assert "CPS.SC-1" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert re.search(r"default-src 'none'", page)


def test_a_tier_too_large_shows_its_worst_and_counts_the_rest() -> None:
    subjects = [{"kind": "device", "id": f"d{i:03}", "verdict": "trusted"} for i in range(50)]
    subjects.append({"kind": "device", "id": "zz-bad", "verdict": "untrusted"})
    drawn = layout(subjects, [], limit=10)
    shown = [b for b in drawn.boxes if b.verdict is not None]
    assert len(shown) == 10 and "zz-bad" in {b.id for b in shown}
    assert [b.more for b in drawn.boxes if b.verdict is None] == [41]
    assert drawn.cut
