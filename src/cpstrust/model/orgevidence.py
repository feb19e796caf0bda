"""Signed organisational evidence: what an organisation (or an assessor) vouches for about
an organisation's posture and deliveries. Each kind is one in-toto predicate
(``formats.orgevidence``); verification lives in ``trust.orgevidence``. No I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from cpstrust.model.trust import Role, TrustedKey

# ★ levels of the supply-chain security rating scheme this evidence speaks of (★1/★2 are
# SECURITY ACTION declarations, outside CPSF); JC-STAR labels go from ☆1 to ☆4.
STAR_LEVELS = (3, 4, 5)
JCSTAR_LEVELS = (1, 2, 3, 4)
# ★4 and ★5 are certified by a third party: a claim of them counts only when an
# assessor's key signed it.
LOWEST_ASSESSED_STAR = 4


class EvidenceKind(StrEnum):
    ASSESSMENT_RESULT = "assessment-result"
    STAR_DECLARATION = "star-declaration"
    STAR_ATTESTATION = "star-attestation"
    JCSTAR_LABEL = "jcstar-label"
    SBOM_DELIVERY = "sbom-delivery"
    VEX_DELIVERY = "vex-delivery"


class RequirementStatus(StrEnum):
    """Where an organisation stands on one requirement of the profile it was assessed
    against."""

    MET = "met"
    PARTIALLY_MET = "partially-met"
    NOT_MET = "not-met"
    NOT_APPLICABLE = "not-applicable"
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class Validity:
    """When a piece of evidence was issued and until when it may be relied on."""

    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Document:
    """A document delivered by reference: its file name and SHA-256."""

    name: str
    sha256: str
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    """The outcome of assessing ``organisation`` against a profile (★ requirement set)."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.ASSESSMENT_RESULT
    organisation: str
    validity: Validity
    profile: str
    assessed_at: datetime
    star_level: int | None  # the highest ★ attained; None when not even ★3
    statuses: Mapping[str, RequirementStatus]  # requirement id -> status


@dataclass(frozen=True, slots=True)
class StarDeclaration:
    """An organisation's own declaration that it meets a ★ level."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.STAR_DECLARATION
    organisation: str
    validity: Validity
    star_level: int


@dataclass(frozen=True, slots=True)
class StarAttestation:
    """A third-party assessor's attestation that ``organisation`` meets a ★ level."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.STAR_ATTESTATION
    organisation: str
    validity: Validity
    star_level: int
    assessor: str
    assessed_at: datetime
    report: str | None = None  # the assessor's reference of its report


@dataclass(frozen=True, slots=True)
class JcStarLabel:
    """A vendor's declaration that its product holds a JC-STAR label of ``level``."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.JCSTAR_LABEL
    organisation: str
    validity: Validity
    product: str
    level: int
    label_id: str | None = None  # the registration number on IPA's list


@dataclass(frozen=True, slots=True)
class SbomDelivery:
    """A supplier's signed word that ``sbom`` describes release ``release`` of ``product``."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.SBOM_DELIVERY
    organisation: str
    validity: Validity
    product: str
    release: str
    sbom: Document


@dataclass(frozen=True, slots=True)
class VexDelivery:
    """A supplier's signed word that ``vex`` is its VEX document (for ``product``, if named)."""

    kind: ClassVar[EvidenceKind] = EvidenceKind.VEX_DELIVERY
    organisation: str
    validity: Validity
    vex: Document
    product: str | None = None


OrganisationEvidence = (
    AssessmentResult | StarDeclaration | StarAttestation | JcStarLabel | SbomDelivery
    | VexDelivery
)


def subject_of(evidence: OrganisationEvidence) -> str:
    """What the evidence speaks about, as a person reads it."""
    if isinstance(evidence, JcStarLabel):
        return evidence.product
    if isinstance(evidence, SbomDelivery):
        return f"{evidence.product} {evidence.release}"
    if isinstance(evidence, VexDelivery):
        return evidence.vex.name
    return evidence.organisation


def claimed_star(evidence: OrganisationEvidence) -> int | None:
    """The ★ level the evidence claims for its organisation, if it claims one."""
    if isinstance(evidence, AssessmentResult | StarDeclaration | StarAttestation):
        return evidence.star_level
    return None


def signer_roles(evidence: OrganisationEvidence) -> frozenset[Role]:
    """The roles a key may sign this evidence in: an assessor attests, the organisation
    declares and delivers, an assessment result comes from either; a claim of ★4 or ★5
    needs an assessor whatever its kind."""
    if isinstance(evidence, StarAttestation):
        return frozenset({Role.ASSESSOR})
    star = claimed_star(evidence)
    if star is not None and star >= LOWEST_ASSESSED_STAR:
        return frozenset({Role.ASSESSOR})
    if isinstance(evidence, AssessmentResult):
        return frozenset({Role.ORGANISATION, Role.ASSESSOR})
    return frozenset({Role.ORGANISATION})


@dataclass(frozen=True, slots=True)
class VerifiedEvidence:
    """Evidence whose signature, signer role, scope and dates the trust store accepted."""

    evidence: OrganisationEvidence
    signers: tuple[TrustedKey, ...]
    predicate_type: str
