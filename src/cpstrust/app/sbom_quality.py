"""SBOM quality: a supplier's SBOM checked against the minimum elements a buyer asks for
(``sbom.quality``), before it is stored or sent back. Reads the file; stores nothing."""

from __future__ import annotations

from pathlib import Path

from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.quality import QualityReport
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.quality import check_quality


def check_sbom_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> QualityReport:
    """The quality report of the SBOM at ``path`` (validated whole, as every read is)."""
    sbom, _raw = read_sbom_file(path, limits, SbomDetail.QUALITY)
    return check_quality(sbom)
