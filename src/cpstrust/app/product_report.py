"""A product's report for people: one stored release (the one stored last by default)
with its components and licences, its findings with what VEX said of them, the
dependency path to each vulnerable component, and its SBOM's quality.

Everything the SBOM says is read again from the document kept as evidence, at QUALITY
detail: the licences, the dependency graph and the quality score are those that
`licenses check`, the SBOM itself and `sbom check` give of the same bytes. Stores nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.licences import read_policy_file
from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.formats.licensedb import licence_categories
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.licence import LicencePolicy
from cpstrust.model.product_report import PathStep, ProductReport
from cpstrust.model.sbom import Sbom, SbomDetail
from cpstrust.sbom.licences import check_licences
from cpstrust.sbom.paths import root_refs, shortest_paths
from cpstrust.sbom.quality import check_quality
from cpstrust.store.graph import release_ids, supplier_of
from cpstrust.store.reports import newest_release_sbom, product_versions, release_finding_details
from cpstrust.store.sboms import sbom_with_digest


def product_report(services: Services, product: str, version: str | None = None,
                   policy_path: Path | None = None,
                   limits: ReadLimits = DEFAULT_LIMITS) -> ProductReport:
    """The report of ``product`` at ``version`` (default: its release stored last that
    has an SBOM); licences decided by the policy at ``policy_path`` when given, as it
    applies to the product and its supplier.
    NotFoundError when no such release, or none with an SBOM, is stored."""
    policy = read_policy_file(policy_path, limits) if policy_path is not None else None
    with services.store.transaction() as session:
        ids = release_ids(session, product, version)
        if not ids:
            raise NotFoundError("app_no_release_in_scope", product=product, version=version)
        newest = newest_release_sbom(session, ids)
        kept = sbom_with_digest(session, newest[2].sha256, SbomDetail.QUALITY) \
            if newest is not None else None
        if newest is None or kept is None:
            raise NotFoundError("app_release_without_sbom", product=product, version=version)
        release_id, reported_version, sbom_record = newest
        findings = release_finding_details(session, release_id)
        versions = product_versions(session, product)
        supplier = supplier_of(session, product)
    # Only the categories are shown without a policy: any policy classifies alike.
    licences = check_licences(kept, policy or LicencePolicy(), licence_categories(), product,
                              supplier)
    return ProductReport(
        product=product, supplier=supplier, version=reported_version,
        releases=tuple(versions), sbom=sbom_record,
        file_entries=sum(1 for c in kept.components if c.type == "file"),
        roots=root_refs(kept), components=licences.components,
        conflicts=licences.conflicts if policy is not None else (),
        policy=str(policy_path) if policy_path is not None else None,
        findings=tuple(findings),
        paths=_paths(kept, {f.component_ref for f in findings}),
        quality=check_quality(kept), generated_at=datetime.now(UTC))


def _paths(sbom: Sbom, vulnerable: Collection[str],
           ) -> dict[str, tuple[PathStep, ...] | None]:
    """The shortest dependency path to each vulnerable component, its refs named."""
    named = {c.ref: PathStep(c.ref, c.name, c.version) for c in sbom.components}
    if sbom.subject_ref is not None and sbom.subject_ref not in named:
        named[sbom.subject_ref] = PathStep(sbom.subject_ref, sbom.subject_name or
                                           sbom.subject_ref, sbom.subject_version)
    found = shortest_paths(sbom.dependencies, root_refs(sbom), vulnerable)
    return {ref: None if path is None else
            tuple(named.get(step, PathStep(step, step, None)) for step in path)
            for ref, path in found.items()}
