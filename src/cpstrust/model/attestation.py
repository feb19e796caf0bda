"""Device attestation: a device's signed measurements answering a verifier's challenge,
the reference values they are compared with, and the verdict. No I/O, no wire formats
(``formats.attestation`` reads and writes reports and results)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from cpstrust.messages import Message, coded
from cpstrust.model.advisory import Severity
from cpstrust.model.authenticity import AuthenticityFinding, Reference
from cpstrust.model.finding import FindingStatus

# A reason is always given: the tuple type needs at least one element.
Reasons = tuple[Message, *tuple[Message, ...]]


@dataclass(frozen=True, slots=True)
class Challenge:
    """A nonce the verifier issued to one device; answered at most once, before expiry."""

    nonce: str  # lowercase hex of fresh random bytes
    device: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ReleaseClaim:
    """The release a device believes it runs (the verifier trusts its own records)."""

    product: str
    version: str


@dataclass(frozen=True, slots=True)
class MeasurementReport:
    """What the agent measured on the device: the content of every regular file, in
    measurement order, and every symbolic link with its target as written (a link is
    never followed; ``trust.image.measure_image`` measures it by its target string).

    ``digest`` is the SHA-256 of the canonical list of file measurements (the report's
    subject digest): two reports with the same digest measured the same files.
    """

    device: str
    nonce: str
    measured_at: datetime
    measurements: Mapping[str, str]  # product path -> SHA-256 lowercase hex
    digest: str
    executables: frozenset[str] = frozenset()
    links: Mapping[str, str] = field(default_factory=dict)  # link path -> target
    release: ReleaseClaim | None = None


@dataclass(frozen=True, slots=True)
class MeasurementList:
    """Well-formed measurements (path -> SHA-256 hex) with the SHA-256 of their
    canonical text, the digest a report names as its subject."""

    digests: Mapping[str, str]
    list_digest: str


@dataclass(frozen=True, slots=True)
class ReleaseReference:
    """The reference values of the release a device is recorded as running.

    ``exact`` is the whole reference as one measurement list when every declaration
    is a SHA-256 digest and the declarations of each path agree: a report equal to it
    is genuine without comparing path by path. None when some path needs more care.
    """

    product: str
    version: str
    reference: Reference
    exact: MeasurementList | None


@dataclass(frozen=True, slots=True, init=False)
class MissingReference:
    """Why no reference values can be used for a device's release:
    ``MissingReference(code, **facts)``."""

    reason: Message

    def __init__(self, code: str, /, **facts: object) -> None:
        found = coded(code, facts)
        object.__setattr__(self, "reason", found)


class AttestationVerdict(StrEnum):
    GENUINE = "GENUINE"  # fresh, signed by the device's key, equal to the reference
    MODIFIED = "MODIFIED"  # content differs from the reference, or declared files are gone
    UNLISTED = "UNLISTED"  # files the vendor never declared (or links out of the image)
    UNKNOWN_RELEASE = "UNKNOWN_RELEASE"  # no trusted reference values to compare with
    UNTRUSTED_SIGNER = "UNTRUSTED_SIGNER"  # not vouched for by this device's identity key
    REVOKED = "REVOKED"  # signed by a device key that has been revoked
    STALE = "STALE"  # answers no open challenge: replayed, expired or never asked


@dataclass(frozen=True, slots=True)
class AttestationResult:
    """The appraisal of one report. ``device`` is the device the challenge was issued
    to (None when the nonce matched no open challenge); ``signer`` the keyid that
    vouched for the report, once one did."""

    verdict: AttestationVerdict
    reasons: Reasons
    device: str | None = None
    signer: str | None = None
    findings: tuple[AuthenticityFinding, ...] = ()
    report: MeasurementReport | None = None

    def __post_init__(self) -> None:
        if not self.reasons or not all(self.reasons):
            raise ValueError("every attestation verdict carries its reasons")
        if self.verdict is AttestationVerdict.GENUINE and self.findings:
            raise ValueError("a GENUINE device has no findings")


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device with its latest attestation (None before the first)."""

    name: str
    site: str
    product: str
    version: str
    verdict: AttestationVerdict | None
    reasons: tuple[Message, ...]
    appraised_at: datetime | None
    open_findings: int


@dataclass(frozen=True, slots=True)
class DeviceFinding:
    kind: str
    path: str
    expected: str | None
    actual: str | None
    severity: Severity
    status: FindingStatus
    reason: Message
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class VerifierAnswer:
    """A verifier's answer to a device: the verdict with its reasons and findings (to be
    said in the user's language), and the result document it came in, in English."""

    verdict: AttestationVerdict
    reasons: tuple[Message, ...]
    findings: tuple[AuthenticityFinding, ...]
    result: Mapping[str, Any]
