"""SLSA Provenance v1 (https://slsa.dev/spec/v1.0/provenance) as the predicate of a
signed release: the product and version in ``externalParameters``, the SBOM that
describes the artifacts among the ``byproducts``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cpstrust.errors import InputError
from cpstrust.formats.intoto import read_digest
from cpstrust.model.evidence import ReleaseProvenance, ResourceDescriptor

PROVENANCE_V1 = "https://slsa.dev/provenance/v1"
RELEASE_BUILD_TYPE = "https://cpstrust.dev/release/v1"
SBOM_ANNOTATION = "sbom"


def write_provenance(release: ReleaseProvenance) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if release.built_at is not None:
        metadata["finishedOn"] = release.built_at.isoformat().replace("+00:00", "Z")
    byproducts = []
    if release.sbom is not None:
        byproduct: dict[str, Any] = {
            "name": release.sbom.name,
            "digest": dict(release.sbom.digest),
            "annotations": {"role": SBOM_ANNOTATION},
        }
        if release.sbom.media_type:
            byproduct["mediaType"] = release.sbom.media_type
        byproducts.append(byproduct)
    return {
        "buildDefinition": {
            "buildType": RELEASE_BUILD_TYPE,
            "externalParameters": {"product": release.product, "version": release.version},
            "internalParameters": {},
            "resolvedDependencies": [],
        },
        "runDetails": {
            "builder": {"id": release.builder_id},
            "metadata": metadata,
            "byproducts": byproducts,
        },
    }


def read_provenance(predicate: dict[str, Any], source: str) -> ReleaseProvenance:
    """Any SLSA v1 provenance reads; product, version and SBOM are taken when present."""
    build = _object(predicate, "buildDefinition", source, "/predicate")
    run = _object(predicate, "runDetails", source, "/predicate")
    builder = _object(run, "builder", source, "/predicate/runDetails")
    builder_id = builder.get("id")
    if not isinstance(builder_id, str) or not builder_id:
        raise InputError("slsa_builder_id_missing", source=source,
                         location="/predicate/runDetails/builder/id")
    params = build.get("externalParameters")
    params = params if isinstance(params, dict) else {}
    metadata = run.get("metadata")
    finished = metadata.get("finishedOn") if isinstance(metadata, dict) else None
    return ReleaseProvenance(
        product=_text(params.get("product")),
        version=_text(params.get("version")),
        builder_id=builder_id,
        built_at=_time(finished, source),
        sbom=_sbom(run.get("byproducts"), source),
    )


def _sbom(byproducts: Any, source: str) -> ResourceDescriptor | None:
    if not isinstance(byproducts, list):
        return None
    for index, item in enumerate(byproducts):
        if not isinstance(item, dict):
            continue
        annotations = item.get("annotations")
        if isinstance(annotations, dict) and annotations.get("role") == SBOM_ANNOTATION:
            where = f"/predicate/runDetails/byproducts/{index}"
            digest = item.get("digest")
            if not isinstance(digest, dict) or "sha256" not in digest:
                raise InputError("slsa_sbom_without_sha256", source=source, location=where)
            return ResourceDescriptor(
                name=str(item.get("name", "")),
                digest=read_digest(digest, source, where + "/digest"),
                media_type=_text(item.get("mediaType")),
            )
    return None


def _object(parent: dict[str, Any], key: str, source: str, where: str) -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise InputError("slsa_field_missing", key=key, source=source, location=f"{where}/{key}")
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _time(value: Any, source: str) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError("slsa_invalid_timestamp", value=value, source=source,
                         location="/predicate/runDetails/metadata/finishedOn") from exc
