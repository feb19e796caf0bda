"""The facts a trust evaluation reads: the graph, the evidence and the findings, as the
store loads them (in a few set-based queries) and the engine (``trust.policy``) takes
them. Named tuples: a full evaluation loads millions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from cpstrust.model.trustpolicy import SubjectKind, Verdict


class OrganisationFacts(NamedTuple):
    key: int
    name: str
    tier: int | None  # the lowest tier it supplies at; None when it supplies no one


class SupplyEdge(NamedTuple):
    supplier: int
    customer: int


class HeldStarEvidence(NamedTuple):
    """Organisational evidence that may claim a ★ level, kept byte for byte."""

    id: int
    organisation: int
    envelope: bytes


class ProductFacts(NamedTuple):
    key: int
    name: str
    supplier: int


class ReleaseFacts(NamedTuple):
    key: int
    product: int
    version: str


class SignedReleaseEvidence(NamedTuple):
    """A signed release kept by ``release import`` (verified then): its signers, the
    SHA-256 of the SBOM it signed (recorded at import from 0014; for older rows read
    from ``envelope``, given only then) and those of the SBOMs stored for its release."""

    id: int
    release: int
    signer_keyids: tuple[str, ...]
    signed_sbom: str | None
    envelope: bytes | None
    stored_sboms: frozenset[str]


class OpenFinding(NamedTuple):
    id: int
    release: int
    vulnerability: str
    severity: int
    first_seen: datetime


class SiteFacts(NamedTuple):
    key: int
    name: str


class ZoneFacts(NamedTuple):
    key: int
    site: int
    name: str


class DeviceState(NamedTuple):
    """A device as its verdict reads it: where it is, what it runs, and its latest
    attestation (all None when it has none). Its name is read only to show it."""

    key: int
    release: int
    site: int
    zone: int | None
    attestation: int | None
    attestation_verdict: str | None
    appraised_at: datetime | None


class KnownVerdict(NamedTuple):
    """A verdict stored by an earlier evaluation, as a dependant reads it."""

    name: str
    verdict: Verdict


class Tally(NamedTuple):
    """How many devices of a system have one verdict, and one of them (the lowest id)."""

    verdict: Verdict
    devices: int
    example: int


@dataclass(frozen=True, slots=True)
class JudgedDevices:
    """Device verdicts column by column, in the order the devices were judged (a million
    devices make three lists, not a million tuples, and are written column by column),
    with the tallies of every site and zone they are in (by site or zone id)."""

    keys: list[int]
    verdicts: list[Verdict]
    valid_until: list[datetime | None]
    sites: Mapping[int, Sequence[Tally]]
    zones: Mapping[int, Sequence[Tally]]

    def __len__(self) -> int:
        return len(self.keys)


@dataclass(frozen=True, slots=True)
class TrustFacts:
    """Everything an evaluation reads. In an incremental one, only the affected subjects
    are here (with every site and zone, for device rules to know which are critical);
    ``known`` holds the stored verdicts of the subjects they depend on that were not
    affected (a supplier, the release a re-attested device runs)."""

    organisations: Sequence[OrganisationFacts]
    supply: Sequence[SupplyEdge]
    star_evidence: Sequence[HeldStarEvidence]
    products: Sequence[ProductFacts]
    releases: Sequence[ReleaseFacts]
    signed_releases: Sequence[SignedReleaseEvidence]
    findings: Sequence[OpenFinding]
    devices: Sequence[DeviceState]
    sites: Sequence[SiteFacts]
    zones: Sequence[ZoneFacts]
    known: Mapping[tuple[SubjectKind, int], KnownVerdict] = field(default_factory=dict)
