"""An image's inventory (``ImageInventory``) as CycloneDX 1.6 or 1.7 JSON or SPDX 2.3 JSON
(SPDX 3: formats/spdx3_write.py).

Written with orjson rather than through cyclonedx-python-lib and spdx-tools: measured
here, cyclonedx-python-lib 11.12 took 1.1 s to write 2,000 file components, 6.1 s for
5,000 and 85.6 s for 20,400 (quadratic), against a budget of a fraction of a second
for a 20,000-file image (bench/bench_generate.py); spdx-tools' own validation is
quadratic too (formats/spdx_validate.py). The tests validate what is written against
the CycloneDX 1.6 schema shipped with cyclonedx-python-lib and with spdx-tools' parser
and validators, and read it back with our readers.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from functools import cache
from typing import Any

import orjson

from cpstrust.model.inventory import Artifact, ImageInventory, InstalledPackage, Party
from cpstrust.model.sbom import Hash

TOOL = "cpstrust"
SUBJECT_REF = "subject"


def write_cyclonedx(inventory: ImageInventory, *, tool_version: str, created: str,
                    serial: str, spec_version: str = "1.6") -> bytes:
    """CycloneDX JSON of ``spec_version`` (1.6 or 1.7: what is written is the same in
    both): packages as library/application components with purl,
    declared licences, supplier and authors; every file a "file" component named by its
    path with its SHA-256; dependencies from the described image to every package and
    between packages. ``created`` is ISO 8601, ``serial`` a ``urn:uuid:``."""
    subject: dict[str, Any] = {"type": "firmware", "bom-ref": SUBJECT_REF,
                               "name": inventory.subject_name}
    if inventory.subject_version:
        subject["version"] = inventory.subject_version
    components = [_cyclonedx_package(p) for p in inventory.packages]
    components += [{"type": "file", "bom-ref": f"file:{f.path}", "name": f.path,
                    "hashes": [{"alg": "SHA-256", "content": f.sha256}]}
                   for f in inventory.files]
    dependencies = [{"ref": SUBJECT_REF, "dependsOn": [p.purl for p in inventory.packages]}]
    dependencies += [{"ref": ref, "dependsOn": list(targets)}
                     for ref, targets in inventory.dependencies]
    return orjson.dumps({
        "$schema": f"http://cyclonedx.org/schema/bom-{spec_version}.schema.json",
        "bomFormat": "CycloneDX", "specVersion": spec_version, "serialNumber": serial,
        "version": 1,
        "metadata": {
            "timestamp": created,
            "tools": {"components": [{"type": "application", "name": TOOL,
                                      "version": tool_version}]},
            "component": subject,
        },
        "components": components,
        "dependencies": dependencies,
    })


def _cyclonedx_package(package: InstalledPackage) -> dict[str, Any]:
    component: dict[str, Any] = {
        "type": "application" if package.application else "library",
        "bom-ref": package.purl, "name": package.name,
    }
    if package.version:  # a Go module built from a working tree, "(devel)", has none
        component["version"] = package.version
    if package.group:
        component["group"] = package.group
    if package.supplier is not None:
        component["supplier"] = {"name": package.supplier.name,
                                 **({"contact": [{"email": package.supplier.email}]}
                                    if package.supplier.email else {})}
    if package.author is not None:
        component["authors"] = [_contact(package.author)]
    if package.hashes:
        component["hashes"] = _cyclonedx_hashes(package.hashes)
    if package.licences:
        component["licenses"] = [_cyclonedx_licence(text) for text in package.licences]
    component["purl"] = package.purl
    if package.artifacts:
        component["externalReferences"] = [_cyclonedx_artifact(a) for a in package.artifacts]
    if package.properties:
        component["properties"] = [{"name": n, "value": v} for n, v in package.properties]
    if package.file:
        component["evidence"] = {"occurrences": [{"location": package.file}]}
    return component


def _cyclonedx_hashes(hashes: Iterable[Hash]) -> list[dict[str, str]]:
    return [{"alg": h.algorithm, "content": h.value} for h in hashes]


def _cyclonedx_artifact(artifact: Artifact) -> dict[str, Any]:
    """One of several files a lockfile accepts for a package: a distribution reference
    with its digests (CycloneDX gives a component one hash per algorithm, and these are
    different files). A lockfile that gives the digest alone names no file: the URL is
    then the digest itself as an ``ni:`` name (RFC 6920), which is what it identifies."""
    return {"type": "source-distribution" if artifact.source else "distribution",
            "url": artifact_location(artifact), "hashes": _cyclonedx_hashes(artifact.hashes)}


def artifact_location(artifact: Artifact) -> str:
    """Where the file is fetched from; for a lockfile that gives the digest alone, the
    digest as an ``ni:`` name (RFC 6920), which is what it identifies."""
    if artifact.url is not None:
        return artifact.url
    first = artifact.hashes[0]
    return f"ni:///{first.algorithm.lower()};{_base64url(first.value)}"


def _base64url(hex_digest: str) -> str:
    return base64.urlsafe_b64encode(bytes.fromhex(hex_digest)).decode().rstrip("=")


def _contact(party: Party) -> dict[str, str]:
    return {"name": party.name, **({"email": party.email} if party.email else {})}


def _cyclonedx_licence(text: str) -> dict[str, Any]:
    kind, value = spdx_licence(text)
    if kind == "id":
        return {"license": {"id": value, "acknowledgement": "declared"}}
    if kind == "expression":
        return {"expression": value, "acknowledgement": "declared"}
    return {"license": {"name": text, "acknowledgement": "declared"}}


@cache
def spdx_licence(text: str) -> tuple[str, str]:
    """("id", id) for one SPDX licence id, ("expression", normalised) for an SPDX
    expression of known ids, else ("name", text)."""
    from license_expression import ExpressionError, get_spdx_licensing

    licensing = _licensing(get_spdx_licensing)
    try:
        parsed = licensing.parse(text, validate=True, strict=True)
    except (ExpressionError, ValueError, TypeError):
        return ("name", text)
    if parsed is None:
        return ("name", text)
    rendered = str(parsed)
    symbols = licensing.license_symbols(parsed)
    if len(symbols) == 1 and rendered == symbols[0].key and " " not in rendered:
        return ("id", rendered)
    return ("expression", rendered)


@cache
def _licensing(factory: Any) -> Any:
    return factory()


SPDX_NAMESPACE = "https://cpstrust.dev/spdxdocs/"


def write_spdx(inventory: ImageInventory, *, tool_version: str, created: str,
               serial: str) -> bytes:
    """SPDX 2.3 JSON: the image as the described package, which CONTAINS every package
    and every file (with SHA-1, which SPDX 2 requires, and SHA-256); packages with purl,
    supplier, originator (the author) and declared licence (NOASSERTION when it is no
    SPDX expression); DEPENDS_ON between packages. Files are named "./path"."""
    subject = "SPDXRef-Subject"
    ids = {p.purl: f"SPDXRef-Package-{n}" for n, p in enumerate(inventory.packages)}
    packages: list[dict[str, Any]] = [{
        "SPDXID": subject, "name": inventory.subject_name,
        **({"versionInfo": inventory.subject_version} if inventory.subject_version else {}),
        "downloadLocation": "NOASSERTION", "filesAnalyzed": True,
        "primaryPackagePurpose": "FIRMWARE",
    }]
    packages += [_spdx_package(p, ids[p.purl]) for p in inventory.packages]
    file_ids = [f"SPDXRef-File-{n}" for n in range(len(inventory.files))]
    files = [{"SPDXID": spdx_id, "fileName": f"./{f.path}",
              "checksums": [{"algorithm": "SHA1", "checksumValue": f.digest("SHA-1") or ""},
                            {"algorithm": "SHA256", "checksumValue": f.sha256}]}
             for spdx_id, f in zip(file_ids, inventory.files, strict=True)]
    relationships = [_relation("SPDXRef-DOCUMENT", "DESCRIBES", subject)]
    relationships += [_relation(subject, "CONTAINS", ids[p.purl]) for p in inventory.packages]
    relationships += [_relation(subject, "CONTAINS", spdx_id) for spdx_id in file_ids]
    relationships += [_relation(ids[ref], "DEPENDS_ON", ids[target])
                      for ref, targets in inventory.dependencies for target in targets]
    return orjson.dumps({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": inventory.subject_name,
        "documentNamespace": f"{SPDX_NAMESPACE}{serial.removeprefix('urn:uuid:')}",
        "creationInfo": {"created": created, "creators": [f"Tool: {TOOL}-{tool_version}"]},
        "packages": packages, "files": files, "relationships": relationships,
    })


def _spdx_package(package: InstalledPackage, spdx_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "SPDXID": spdx_id, "name": package.name,
        **({"versionInfo": package.version} if package.version else {}),
        "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": declared_expression(package.licences) or "NOASSERTION",
        "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                          "referenceLocator": package.purl}],
    }
    if package.hashes:
        entry["checksums"] = [{"algorithm": h.algorithm.replace("-", ""),
                               "checksumValue": h.value} for h in package.hashes]
    if package.supplier is not None:
        entry["supplier"] = f"Organization: {_actor(package.supplier)}"
    if package.author is not None:
        entry["originator"] = f"Person: {_actor(package.author)}"
    return entry


def declared_expression(licences: tuple[str, ...]) -> str | None:
    """The SPDX expression of a package's declared licences (each one ANDed), or None
    when there is none or one is no SPDX expression."""
    parts = [spdx_licence(text) for text in licences]
    if not parts or any(kind == "name" for kind, _ in parts):
        return None
    return " AND ".join(value if len(parts) == 1 else f"({value})" for _, value in parts)


def _actor(party: Party) -> str:
    # SPDX actors are "name (email)": parentheses inside the name would end it early.
    name = party.name.replace("(", "[").replace(")", "]")
    return f"{name} ({party.email})" if party.email else name


def _relation(element: str, kind: str, related: str) -> dict[str, str]:
    return {"spdxElementId": element, "relationshipType": kind, "relatedSpdxElement": related}
