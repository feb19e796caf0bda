"""SBOM generation: the SBOM of a firmware or container root filesystem (a directory or
a tar archive), every regular file with its SHA-256 and the packages its databases
list, from one pass over the image; or of a lockfile (requirements, poetry.lock,
uv.lock, package-lock.json, go.sum), the packages it pins. Written as CycloneDX (1.6, or
1.7 on request), SPDX 2.3 or SPDX 3.0.1. Stores nothing; with an output file, the SBOM
is written whole or not at all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from cpstrust import __version__
from cpstrust.errors import InputError
from cpstrust.formats.files import read_limited, write_whole
from cpstrust.formats.inventory_write import write_cyclonedx, write_spdx
from cpstrust.formats.locks import lock_reader
from cpstrust.formats.spdx3_write import write_spdx3
from cpstrust.limits import (
    DEFAULT_IMAGE_LIMITS,
    DEFAULT_INVENTORY_LIMITS,
    ImageLimits,
    InventoryLimits,
    ReadLimits,
)
from cpstrust.messages import Message
from cpstrust.sbom.generation import inventory, keep_rule, lock_inventory
from cpstrust.trust.image import measure_image_keeping
from cpstrust.trust.measurement import ProgressCallback


class GeneratedFormat(StrEnum):
    CYCLONEDX = "cyclonedx"  # CycloneDX JSON, 1.6 unless asked for 1.7
    SPDX = "spdx"  # SPDX 2.3 JSON
    SPDX3 = "spdx3"  # SPDX 3.0.1 JSON-LD


class CycloneDxVersion(StrEnum):
    """The CycloneDX spec versions written: 1.6, the default, which most consumers read
    today, and 1.7."""

    V1_6 = "1.6"
    V1_7 = "1.7"


@dataclass(frozen=True, slots=True)
class GeneratedSbom:
    document: bytes
    files: int
    packages: int
    warnings: tuple[Message, ...]
    written_to: Path | None


class _EveryPath(Mapping[str, Sequence[str]]):
    """SHA-1 for every path: SPDX 2 requires it of each file. Measured by the same
    hasher in the same pass; iterates as empty (no path is declared)."""

    def __getitem__(self, path: str) -> Sequence[str]:
        return ("SHA-1",)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def generate_sbom(image: Path, *, output_format: GeneratedFormat, at: datetime,
                  name: str | None = None, version: str | None = None,
                  cyclonedx_version: CycloneDxVersion | None = None,
                  out: Path | None = None, limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
                  inventory_limits: InventoryLimits = DEFAULT_INVENTORY_LIMITS,
                  progress: ProgressCallback | None = None) -> GeneratedSbom:
    """Measure ``image`` and write its SBOM; to ``out`` when given (a temporary file
    beside it, renamed over it when complete), else only returned. A CycloneDX version
    with another format is refused. ``progress`` is told the files and bytes hashed so far
    (an image, not a lockfile)."""
    if cyclonedx_version is not None and output_format is not GeneratedFormat.CYCLONEDX:
        raise InputError("generate_spec_version_not_cyclonedx", format=output_format.value)
    subject = name or image.name.removesuffix(".gz").removesuffix(".bz2") \
        .removesuffix(".xz").removesuffix(".tar") or str(image)
    reader = lock_reader(image.name) if image.is_file() else None
    if reader is not None:
        data = read_limited(image, ReadLimits(max_bytes=inventory_limits.max_database_bytes))
        found = lock_inventory(reader(data, str(image)), name or image.parent.name or subject,
                               version)
    else:
        measured = measure_image_keeping(
            image, keep_rule(inventory_limits), limits,
            _EveryPath() if output_format is GeneratedFormat.SPDX else None, progress)
        found = inventory(measured, str(image), subject, version)
    stamp = {"tool_version": __version__, "created": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "serial": f"urn:uuid:{uuid.uuid4()}"}
    if output_format is GeneratedFormat.SPDX:
        document = write_spdx(found, **stamp)
    elif output_format is GeneratedFormat.SPDX3:
        document = write_spdx3(found, **stamp)
    else:
        document = write_cyclonedx(found, **stamp,
                                   spec_version=(cyclonedx_version or CycloneDxVersion.V1_6).value)
    if out is not None:
        write_whole(out, document)
    return GeneratedSbom(document, len(found.files), len(found.packages), found.warnings, out)
