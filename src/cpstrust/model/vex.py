"""VEX: a supplier's word on whether a vulnerability affects its product.

OpenVEX, CycloneDX VEX and CSAF 2.0 VEX documents are read into one model: statements,
each naming a vulnerability (with its aliases), the products it speaks of, a status and
the reasons. What a statement applies to is decided by ``cpstrust.sbom.vex``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.model.finding import FindingStatus


class VexStatus(StrEnum):
    """The four statuses of the CISA VEX minimum requirements, as OpenVEX spells them."""

    NOT_AFFECTED = "not_affected"
    AFFECTED = "affected"
    FIXED = "fixed"
    UNDER_INVESTIGATION = "under_investigation"


# Statuses that leave a finding standing: a CI gate (--fail-on) counts these.
STANDING = frozenset({VexStatus.AFFECTED, VexStatus.UNDER_INVESTIGATION})
# What a statement makes of a stored finding: one still under investigation is open.
FINDING_STATUS = {
    VexStatus.NOT_AFFECTED: FindingStatus.NOT_AFFECTED, VexStatus.FIXED: FindingStatus.FIXED,
    VexStatus.AFFECTED: FindingStatus.OPEN, VexStatus.UNDER_INVESTIGATION: FindingStatus.OPEN,
}

# The justification vocabularies of OpenVEX (CSAF's flags are the same five labels) and
# CycloneDX, mapped as they are commonly read across (a writer also keeps the original
# word in the statement's text, since the mapping loses detail).
OPENVEX_JUSTIFICATIONS = frozenset({
    "component_not_present", "vulnerable_code_not_present",
    "vulnerable_code_not_in_execute_path", "vulnerable_code_cannot_be_controlled_by_adversary",
    "inline_mitigations_already_exist"})
OPENVEX_FROM_CYCLONEDX = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}
CYCLONEDX_FROM_OPENVEX = {
    "component_not_present": "code_not_present",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}


class VexFormat(StrEnum):
    OPENVEX = "openvex"
    CYCLONEDX = "cyclonedx"
    CSAF = "csaf"


@dataclass(frozen=True, slots=True)
class VersionRange:
    """A version range in the ``vers`` notation (purl-spec VERSION-RANGE-SPEC):
    ``vers:semver/>=2.2.0|<=2.4.0``. ``constraints`` are (comparator, version) pairs as
    written; ``("*", "")`` alone is every version."""

    scheme: str
    constraints: tuple[tuple[str, str], ...]
    text: str


@dataclass(frozen=True, slots=True)
class ProductId:
    """How a statement names a product or a component. It names a target when every
    identifier it gives agrees with the target's; ``versions`` and ``ranges``, when
    given, narrow it to those versions of the target.

    ``bom_serial`` with ``ref`` is a CycloneDX BOM-Link: the component ``ref`` of the BOM
    with that serial number, and nothing in any other BOM.

    With ``subcomponents`` (OpenVEX; a CSAF relationship), a statement speaks of those
    components inside this product, not of the product as a whole.
    """

    label: str  # as the document names it, for messages
    purl: str | None = None
    cpe: str | None = None
    bom_serial: str | None = None
    ref: str | None = None
    name: str | None = None
    version: str | None = None
    versions: tuple[str, ...] = ()
    ranges: tuple[VersionRange, ...] = ()
    subcomponents: tuple[ProductId, ...] = ()

    @property
    def identified(self) -> bool:
        """Whether it names something a target can be compared with."""
        return bool(self.purl or self.cpe or self.bom_serial or self.ref or self.name)


@dataclass(frozen=True, slots=True)
class VexStatement:
    """One statement: ``vulnerability`` (and ``aliases``) has ``status`` in ``products``."""

    vulnerability: str
    aliases: tuple[str, ...]
    status: VexStatus
    justification: str | None  # as the format words it (OpenVEX/CSAF labels, CycloneDX's)
    impact: str | None  # why not affected, in words
    action: str | None  # what to do, when affected
    products: tuple[ProductId, ...]
    timestamp: datetime | None  # the statement's, else its document's
    place: str  # JSON pointer of the statement in its document

    @property
    def ids(self) -> frozenset[str]:
        """Every id the statement names the vulnerability by, upper-cased."""
        return frozenset(i.upper() for i in (self.vulnerability, *self.aliases))


@dataclass(frozen=True, slots=True)
class VexDocument:
    format: VexFormat
    source: str  # the file it was read from
    document_id: str | None
    author: str | None
    timestamp: datetime | None
    statements: tuple[VexStatement, ...]
    sha256: str


@dataclass(frozen=True, slots=True)
class VexDecision:
    """The statement that decides one finding, and where it was written."""

    status: VexStatus
    justification: str | None
    impact: str | None
    action: str | None
    source: str
    place: str


@dataclass(frozen=True, slots=True)
class VexOutcome:
    # The deciding statement by (component ref, vulnerability id); no entry: none speaks.
    decisions: Mapping[tuple[str, str], VexDecision]
    statements: int  # in all the documents
    applied: int  # statements that decided at least one finding
    # Documents none of whose statements names this SBOM's product or any component.
    unrelated: tuple[str, ...]
