"""Evidence: signed statements by an issuer about subjects (DSSE envelopes carrying
in-toto Statements). Wire formats live in ``formats.dsse`` and ``formats.intoto``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cpstrust.model.trust import TrustedKey

INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"


@dataclass(frozen=True, slots=True)
class EnvelopeSignature:
    keyid: str  # a hint only ("" when absent): verifiers never trust it by itself
    sig: bytes


@dataclass(frozen=True, slots=True)
class Envelope:
    """A DSSE envelope: the payload is signed through the PAE of its type and bytes."""

    payload_type: str
    payload: bytes
    signatures: tuple[EnvelopeSignature, ...]


@dataclass(frozen=True, slots=True)
class Subject:
    """What a statement is about: a name and its digests (algorithm -> lowercase hex)."""

    name: str
    digest: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Statement:
    """An in-toto Statement; ``predicate`` is the JSON object as the issuer wrote it,
    turned into typed values by the reader of its ``predicate_type``."""

    subjects: tuple[Subject, ...]
    predicate_type: str
    predicate: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ResourceDescriptor:
    """An in-toto ResourceDescriptor (e.g. the SBOM a release names)."""

    name: str
    digest: Mapping[str, str]
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class ReleaseProvenance:
    """What a signed release says: which product and version, built by whom and when,
    and the digest of the SBOM that describes it."""

    product: str | None
    version: str | None
    builder_id: str
    built_at: datetime | None
    sbom: ResourceDescriptor | None


@dataclass(frozen=True, slots=True)
class VerifiedRelease:
    statement: Statement
    provenance: ReleaseProvenance
    product: str
    signers: tuple[TrustedKey, ...]
    matched_artifacts: Mapping[str, str]  # file given by the user -> subject name

    @property
    def subject_digests(self) -> dict[str, str]:
        """Subject name -> SHA-256: the reference values images and devices meet."""
        return {s.name: s.digest["sha256"] for s in self.statement.subjects
                if "sha256" in s.digest}
