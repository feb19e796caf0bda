"""The trust report: the supply chain as a graph of subjects with their verdicts and
reasons, and what to do next about each subject that is not trusted. No I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from cpstrust.messages import Message
from cpstrust.model.catalog import Requirement
from cpstrust.model.trustpolicy import SubjectKind, SubjectVerdict, Verdict

# The graph's tiers, left to right: who supplies, what they make, which version, where it
# runs, and the systems it runs in (a zone, then its site).
TIERS = (SubjectKind.ORGANISATION, SubjectKind.PRODUCT, SubjectKind.RELEASE,
         SubjectKind.DEVICE, SubjectKind.ZONE, SubjectKind.SYSTEM)

# Worst first: how the report orders subjects and chooses which to draw when a tier is
# too large to draw whole.
VERDICT_ORDER = (Verdict.UNTRUSTED, Verdict.AT_RISK, Verdict.UNKNOWN, Verdict.TRUSTED)


class Relation(StrEnum):
    SUPPLIES = "supplies"  # organisation -> its customer
    MAKES = "makes"  # organisation -> product
    VERSION = "version"  # product -> release
    RUNS_ON = "runs-on"  # release -> device
    LOCATED_IN = "located-in"  # device -> zone or site; zone -> site


class SubjectRef(NamedTuple):
    kind: SubjectKind
    key: int


class Edge(NamedTuple):
    source: SubjectRef
    target: SubjectRef
    relation: Relation


class StepKind(StrEnum):
    """What to do about a subject; each names a message code ``next_<kind>``."""

    GET_STAR_EVIDENCE = "get-star-evidence"
    GET_ASSESSOR_ATTESTATION = "get-assessor-attestation"
    RENEW_EVIDENCE = "renew-evidence"
    REPLACE_EVIDENCE = "replace-evidence"
    RAISE_STAR = "raise-star"
    GET_SIGNED_SBOM = "get-signed-sbom"
    RESIGN_RELEASE = "resign-release"
    ATTEST_DEVICE = "attest-device"
    INVESTIGATE_DEVICE = "investigate-device"
    FIX_VULNERABILITY = "fix-vulnerability"
    REGISTER_DEVICES = "register-devices"
    RESOLVE_UPSTREAM = "resolve-upstream"


@dataclass(frozen=True, slots=True)
class NextStep:
    """One thing to do, said as a message, with the CPSF requirements it serves (labels
    of the shipped ``cpsf`` catalogue, e.g. ``CPS.SC-1``)."""

    kind: StepKind
    message: Message
    requirements: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportedSubject:
    verdict: SubjectVerdict
    steps: tuple[NextStep, ...]  # empty for a trusted subject

    @property
    def ref(self) -> SubjectRef:
        return SubjectRef(self.verdict.kind, self.verdict.key)


@dataclass(frozen=True, slots=True)
class TrustReport:
    """Every subject with its verdict, reasons and next steps; the edges between them;
    the CPSF requirements the steps name, by label."""

    policy: str
    evaluated_at: datetime
    subjects: tuple[ReportedSubject, ...]
    edges: tuple[Edge, ...]
    requirements: Mapping[str, Requirement]

    def counts(self) -> dict[SubjectKind, dict[Verdict, int]]:
        """How many subjects of each kind have each verdict (every pair, zeros too)."""
        counts = {kind: dict.fromkeys(VERDICT_ORDER, 0) for kind in TIERS}
        for subject in self.subjects:
            counts[subject.verdict.kind][subject.verdict.verdict] += 1
        return counts

    @property
    def untrusted(self) -> int:
        return sum(s.verdict.verdict is Verdict.UNTRUSTED for s in self.subjects)
