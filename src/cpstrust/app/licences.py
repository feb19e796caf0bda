"""Licence compliance: an SBOM's components against a licence policy. Reads the two
files; stores nothing (stored products follow with the finding lifecycle)."""

from __future__ import annotations

from pathlib import Path

from cpstrust.formats.files import read_limited
from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.formats.licensedb import licence_categories
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.licence import LicenceReport
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.licences import check_licences


def check_sbom_licences(sbom_path: Path, policy_path: Path,
                        limits: ReadLimits = DEFAULT_LIMITS) -> LicenceReport:
    """Each component of the SBOM at ``sbom_path`` decided by the policy at
    ``policy_path`` (both validated whole first)."""
    policy = read_licence_policy(read_limited(policy_path, limits), source=str(policy_path),
                                 limits=limits)
    sbom, _raw = read_sbom_file(sbom_path, limits, SbomDetail.QUALITY)
    return check_licences(sbom, policy, licence_categories())
