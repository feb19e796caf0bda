"""The shipped threat catalogue reads, names only ATT&CK for ICS techniques that exist,
and gives every threat English and Japanese; malformed catalogues are refused with the
place named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpstrust.app.risk import SHIPPED_THREATS, threat_catalogue
from cpstrust.errors import InputError
from cpstrust.formats.threat_catalogue import read_threat_catalogue
from cpstrust.model.risk import CpsfRequirement

GOOD = b"""version: 1
efforts: {CPS.AM-1: 2, CPS.RP-1: 2}
threats:
  - id: rogue
    title: {en: Rogue device, ja: rogue}
    description: {en: A device nobody declared, ja: rogue}
    techniques: [T0848]
    evidence: [ot]
    base_likelihood: 1
    impact_shift: -1
    measures:
      - {requirement: CPS.AM-1, lowers: likelihood, by: 1}
      - {requirement: CPS.RP-1, lowers: impact, by: 1}
"""


def _techniques(shared_data: Path) -> set[str]:
    bundle = json.loads((shared_data / "attack" / "ics-attack.json").read_bytes())
    return {ref["external_id"] for o in bundle["objects"]
            if o["type"] == "attack-pattern" and not o.get("revoked")
            and not o.get("x_mitre_deprecated")
            for ref in o["external_references"] if ref.get("source_name") == "mitre-attack"}


def test_the_shipped_catalogue_names_existing_techniques(shared_data: Path) -> None:
    catalogue = read_threat_catalogue(SHIPPED_THREATS.read_bytes(), source="threats.yaml")
    known = _techniques(shared_data)
    assert len(catalogue.threats) >= 6
    for threat in catalogue.threats:
        assert set(threat.techniques) <= known, threat.id
        assert threat.title.en != threat.title.ja and threat.description.ja


def test_a_good_catalogue_reads() -> None:
    (threat,) = read_threat_catalogue(GOOD, source="t.yaml").threats
    assert threat.impact_shift == -1 and [m.by for m in threat.measures] == [1, 1]


@pytest.mark.parametrize(("change", "code", "place"), [
    (lambda t: t.replace(b"T0848", b"T848"), "threats_schema_violation",
     "/threats/0/techniques/0"),
    (lambda t: t.replace(b"likelihood, by: 1", b"likelihood, by: 7"),
     "threats_schema_violation", "/threats/0/measures/0/by"),
    (lambda t: t.replace(b"evidence: [ot]", b"evidence: [rumour]"), "threats_schema_violation",
     "/threats/0/evidence/0"),
    (lambda t: t.replace(b"CPS.RP-1: 2}", b"CPS.RP-9: 2}"), "threats_no_effort",
     "/threats/0/measures/1/requirement"),
    (lambda t: t.replace(b"CPS.RP-1, lowers", b"CPS.AM-1, lowers"), "threats_duplicate",
     "/threats/0/measures/1/requirement"),
    (lambda t: t + t[t.index(b"  - id"):], "threats_duplicate", "/threats/1/id"),
])
def test_malformed_catalogues_are_refused_with_the_place(change, code: str, place: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as refused:
        read_threat_catalogue(change(GOOD), source="t.yaml")
    assert refused.value.code == code
    assert refused.value.location == place and refused.value.source == "t.yaml"


def test_a_key_written_twice_is_refused() -> None:
    with pytest.raises(InputError) as refused:
        read_threat_catalogue(GOOD.replace(b"version: 1\n", b"version: 1\nversion: 1\n"),
                              source="t.yaml")
    assert refused.value.code == "threats_not_yaml"


def test_a_requirement_missing_from_the_cpsf_catalogue_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "threats.yaml"
    path.write_bytes(GOOD)
    only_am = {"CPS.AM-1": CpsfRequirement("CPS.AM-1", "Asset inventory", None, False)}
    with pytest.raises(InputError) as refused:
        threat_catalogue(only_am, path)
    assert refused.value.code == "threats_unknown_requirement"
    assert refused.value.message.facts["requirement"] == "CPS.RP-1"
