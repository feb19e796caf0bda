"""Firmware image authenticity: is this image what its vendor signed and declared?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cpstrust.app.releases import read_envelope_file, sbom_mismatch
from cpstrust.app.services import Services
from cpstrust.formats.files import sha256_file
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.model.authenticity import ImageAppraisal, Reference
from cpstrust.model.evidence import VerifiedRelease
from cpstrust.model.sbom import Sbom
from cpstrust.model.trust import Refused
from cpstrust.store.sboms import sbom_with_digest
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.authenticity import (
    appraise_image,
    merge_references,
    reference_from_sbom,
    reference_from_subjects,
)
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import verify_release


@dataclass(frozen=True, slots=True)
class ImageCheck:
    appraisal: ImageAppraisal
    release: VerifiedRelease
    sbom_used: bool


def verify_image(services: Services, image: Path, *, release_file: Path,
                 sbom_file: Path | None = None, product: str | None = None,
                 at: datetime) -> ImageCheck | Refused:
    """Verify the signed release, then hash every file of the image and compare with
    the release's subjects and the hashes of the SBOM it names (the one given, which
    must have the signed digest, or else the stored one with that digest)."""
    envelope = read_envelope_file(release_file)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        verified = verify_release(envelope, store, at=at, product=product,
                                  source=str(release_file))
        if isinstance(verified, Refused):
            return verified
        signed = verified.provenance.sbom
        if sbom_file is not None:
            sbom, raw = read_sbom_file(sbom_file)
            declared: Sbom | Refused | None = sbom_mismatch(verified, raw, sbom_file) or sbom
        elif signed is not None:
            declared = sbom_with_digest(session, signed.digest["sha256"])
        else:
            declared = None
    if isinstance(declared, Refused):
        return declared
    reference = _reference(verified, declared, image)
    measured = measure_image(image, extra_algorithms=reference.extra_algorithms)
    return ImageCheck(appraise_image(measured, reference), verified, declared is not None)


def _reference(release: VerifiedRelease, sbom: Sbom | None, image: Path) -> Reference:
    """When the image file itself is the signed subject, its contents are declared by the
    SBOM alone; otherwise the subjects are the image's files."""
    subjects = release.subject_digests
    references = []
    if not (image.is_file() and sha256_file(image) in subjects.values()):
        references.append(reference_from_subjects(subjects))
    if sbom is not None:
        references.append(reference_from_sbom(sbom))
    return merge_references(*references)
