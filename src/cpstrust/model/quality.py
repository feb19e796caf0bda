"""An SBOM's quality against the frameworks a buyer asks for (``sbom check``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.sbom import PurlDisagreement, SbomFormat


class Framework(StrEnum):
    """What an SBOM's quality is checked against (``sbom check``)."""

    NTIA = "ntia-2021"  # NTIA, The Minimum Elements for an SBOM (July 2021): data fields
    BSI = "bsi-tr-03183-2-2.1.0"  # BSI TR-03183-2 v2.1.0 (2025-08-20): SBOM and components
    # METI's SBOM guide (ver 2.0): the points of its creation advice that sources confirm;
    # its own list of minimum items is not confirmed (provisional).
    METI = "meti-sbom-guide-2.0"
    CONSISTENCY = "consistency"  # purls that agree with their components


class Scope(StrEnum):
    DOCUMENT = "document"
    COMPONENT = "component"


@dataclass(frozen=True, slots=True)
class ElementResult:
    """How far an SBOM meets one element of a framework."""

    element: str  # a stable id: "supplier", "timestamp", "hash_sha512", ...
    scope: Scope
    required: bool  # counts for compliance (BSI's "additional" elements do not)
    met: int
    applicable: int  # the document (1), or the components it applies to
    missing: tuple[str, ...] = ()  # refs of components that miss it, the first ones

    @property
    def score(self) -> float:
        return 1.0 if self.applicable == 0 else self.met / self.applicable


@dataclass(frozen=True, slots=True)
class FrameworkResult:
    framework: Framework
    elements: tuple[ElementResult, ...]
    provisional: bool = False  # the framework's element list is not confirmed

    @property
    def score(self) -> float:
        """The mean score of the required elements, from 0 to 1."""
        required = [e.score for e in self.elements if e.required]
        return sum(required) / len(required) if required else 1.0

    @property
    def compliant(self) -> bool:
        return all(e.met == e.applicable for e in self.elements if e.required)


@dataclass(frozen=True, slots=True)
class QualityReport:
    """An SBOM checked against each framework, and its purls against its components."""

    format: SbomFormat
    spec_version: str
    components: int  # judged: every component but file entries
    frameworks: tuple[FrameworkResult, ...]
    disagreements: tuple[PurlDisagreement, ...]
