"""Licence compliance: an SBOM's components, or stored releases', against a licence
policy as it applies to a product and its organisation. Stores nothing: a stored
release is judged by its SBOM as kept, read again, under the overrides of its product
and of the organisation the graph says supplies it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpstrust.app.scanning import StoredScope
from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.formats.files import read_limited
from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.formats.licensedb import licence_categories
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.licence import LicencePolicy, LicenceReport
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.licences import ScopedJudges, check_licences
from cpstrust.store.graph import release_ids, supplier_of
from cpstrust.store.sboms import release_sbom_digests, sbom_with_digest


@dataclass(frozen=True, slots=True)
class ReleaseLicences:
    product: str
    version: str
    organisation: str | None  # the product's supplier, whose overrides applied
    report: LicenceReport


def check_stored_licences(services: Services, scope: StoredScope, policy_path: Path,
                          limits: ReadLimits = DEFAULT_LIMITS) -> list[ReleaseLicences]:
    """Each stored release in ``scope`` decided by the policy, as its kept SBOM says."""
    policy = read_policy_file(policy_path, limits)
    with services.store.transaction() as session:
        ids = release_ids(session, scope.product, scope.version)
        digests = release_sbom_digests(session, ids)
        if not digests:
            raise NotFoundError("app_no_release_in_scope", product=scope.product,
                                version=scope.version)
        suppliers = {product: supplier_of(session, product) for product, _v, _s in digests}
        kept = [(product, version, sbom_with_digest(session, sha256, SbomDetail.QUALITY))
                for product, version, sha256 in digests]
    judges = ScopedJudges(policy, licence_categories())
    return [ReleaseLicences(product, version, suppliers[product],
                            judges.judge(product, suppliers[product]).check(sbom))
            for product, version, sbom in kept if sbom is not None]


def read_policy_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> LicencePolicy:
    """The licence policy at ``path``, validated whole."""
    return read_licence_policy(read_limited(path, limits), source=str(path), limits=limits)


def check_sbom_licences(sbom_path: Path, policy_path: Path, product: str | None = None,
                        organisation: str | None = None,
                        limits: ReadLimits = DEFAULT_LIMITS) -> LicenceReport:
    """Each component of the SBOM at ``sbom_path`` decided by the policy at
    ``policy_path`` (both validated whole first) as it applies to ``product`` supplied
    by ``organisation``: only the overrides of those named apply (the store is not read)."""
    policy = read_policy_file(policy_path, limits)
    sbom, _raw = read_sbom_file(sbom_path, limits, SbomDetail.QUALITY)
    return check_licences(sbom, policy, licence_categories(), product, organisation)
