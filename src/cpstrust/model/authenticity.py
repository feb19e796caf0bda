"""Authenticity of a firmware image: what was measured, what was declared, what differs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.sbom import Hash

SHA256 = "SHA-256"
# Algorithms an image can be checked with, strongest first: SHA-256 leads because every
# measurement computes it; others are computed only for paths whose reference needs them.
DIGEST_PREFERENCE = (
    SHA256, "SHA-512", "SHA-384", "SHA3-512", "SHA3-384", "SHA3-256", "BLAKE2b-512",
    "BLAKE2b-384", "BLAKE2b-256", "SHA-224", "SHA3-224", "SHA-1", "MD5",
)


class EntryKind(StrEnum):
    """What a measured path is. Hard links are measured as the file they link to."""

    FILE = "file"
    SYMLINK = "symlink"  # the digest is over the link's target string
    ESCAPING_SYMLINK = "escaping-symlink"  # its target resolves outside the image root


@dataclass(frozen=True, slots=True)
class MeasuredFile:
    """One file of an image, hashed. ``extra_digests`` holds any algorithm the reference
    asked for besides SHA-256 (an SBOM that only gives SHA-1 for this path)."""

    path: str  # product_path() form
    size: int
    sha256: str  # lowercase hex
    executable: bool  # execute bit, or ELF / PE / Mach-O / "#!" magic
    kind: EntryKind = EntryKind.FILE
    link_target: str | None = None  # symlinks only: the target as written
    extra_digests: tuple[Hash, ...] = ()

    def digest(self, algorithm: str) -> str | None:
        """This file's digest in ``algorithm`` (normalised name), if it was computed."""
        if algorithm == SHA256:
            return self.sha256
        return next((h.value for h in self.extra_digests if h.algorithm == algorithm), None)


class SourceKind(StrEnum):
    SBOM_COMPONENT = "sbom-component"
    RELEASE_SUBJECT = "release-subject"


@dataclass(frozen=True, slots=True)
class DeclarationSource:
    """Who declares a path: an SBOM component (``ref``: its bom-ref) or the subjects of
    a signed release."""

    kind: SourceKind
    ref: str = ""


RELEASE_SUBJECT = DeclarationSource(SourceKind.RELEASE_SUBJECT)


@dataclass(frozen=True, slots=True)
class Declaration:
    """One statement of what a path must contain: the strongest digest its source gives
    (``None`` when the source names the path with no digest cpstrust can compute)."""

    source: DeclarationSource
    digest: Hash | None


@dataclass(frozen=True, slots=True)
class Reference:
    """What the vendor declared: product path -> declarations, and for the measurer the
    algorithms beyond SHA-256 that some declarations need."""

    files: Mapping[str, tuple[Declaration, ...]]
    extra_algorithms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class FindingKind(StrEnum):
    MODIFIED = "MODIFIED"  # present, and its content matches no declaration
    UNLISTED = "UNLISTED"  # present, not declared with a digest
    MISSING = "MISSING"  # declared, absent
    ESCAPING_SYMLINK = "ESCAPING_SYMLINK"  # a link that resolves outside the image root
    CONFLICTING_REFERENCE = "CONFLICTING_REFERENCE"  # declarations disagree on content


class ImageVerdict(StrEnum):
    """GENUINE when nothing was found; otherwise named after the worst finding."""

    GENUINE = "GENUINE"
    MODIFIED = "MODIFIED"
    CONFLICTING_REFERENCE = "CONFLICTING_REFERENCE"
    UNLISTED = "UNLISTED"
    ESCAPING_SYMLINK = "ESCAPING_SYMLINK"
    MISSING = "MISSING"


@dataclass(frozen=True, slots=True)
class AuthenticityFinding:
    kind: FindingKind
    path: str
    expected: str | None  # "SHA-256:<hex>" as declared; None for unlisted files
    actual: str | None  # "SHA-256:<hex>" as measured; None for missing files
    severity: Severity
    reason: Message
    executable: bool = False


@dataclass(frozen=True, slots=True)
class ImageAppraisal:
    """The verdict on one image with the findings behind it (none when GENUINE),
    worst severity first, then by path."""

    verdict: ImageVerdict
    findings: tuple[AuthenticityFinding, ...]
    files_measured: int
    files_declared: int

    def __post_init__(self) -> None:
        if (self.verdict is ImageVerdict.GENUINE) == bool(self.findings):
            raise ValueError("an image is GENUINE exactly when there are no findings")
