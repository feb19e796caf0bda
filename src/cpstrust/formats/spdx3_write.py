"""An image's inventory (``ImageInventory``) as SPDX 3.0.1 JSON-LD, written with orjson
for the reasons formats/inventory_write.py gives (a 20,000-file image in a fraction of
a second); the tests validate it against the SPDX 3.0.1 JSON schema and read it back.

One CreationInfo, a blank node, serves every element: made by the software agent
cpstrust using the tool cpstrust of this version. The SpdxDocument's root is a
software_Sbom whose root is the image, a firmware software_Package. Packages carry
purl, version, supplier (an Organization), originator (a Person) and the declared
licence when it is an SPDX expression (a simplelicensing_LicenseExpression, one per
distinct expression, named by hasDeclaredLicense), and the digests a lockfile gives: of
the one artifact the package is (``verifiedUsing``), or of the one file it may be
installed from (its ``software_downloadLocation`` and ``verifiedUsing``); when a lockfile
allows several files, each is an ``externalRef`` (binaryArtifact or sourceArtifact) by
its location, or by its digest as an ``ni:`` name when the lockfile gives no location:
SPDX 3 gives an external reference no digest of its own. Every file is a software_File
named by its path, with its SHA-256. The image contains every package and every file
(two relationships) and each package's dependencies are one dependsOn relationship.
"""

from __future__ import annotations

from typing import Any

import orjson

from cpstrust.formats.inventory_write import (
    SPDX_NAMESPACE,
    TOOL,
    artifact_location,
    declared_expression,
)
from cpstrust.formats.spdx3_graph import CONTEXT  # not spdx3_schema: jsonschema-rs is not needed
from cpstrust.model.inventory import Artifact, ImageInventory, InstalledPackage, Party
from cpstrust.model.sbom import Hash

_CREATION = "_:creation"
JsonObject = dict[str, Any]
# Our algorithm names (model.sbom.Hash) in SPDX 3's HashAlgorithm vocabulary.
_HASH_ALGORITHMS = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384",
                    "SHA-512": "sha512", "SHA3-256": "sha3_256", "SHA3-384": "sha3_384",
                    "SHA3-512": "sha3_512", "BLAKE2b-256": "blake2b256",
                    "BLAKE2b-384": "blake2b384", "BLAKE2b-512": "blake2b512", "BLAKE3": "blake3"}


def write_spdx3(inventory: ImageInventory, *, tool_version: str, created: str,
                serial: str) -> bytes:
    """SPDX 3.0.1 JSON-LD of ``inventory``. ``created`` is ISO 8601 (seconds, "Z"),
    ``serial`` a ``urn:uuid:`` whose UUID names the document."""
    base = f"{SPDX_NAMESPACE}{serial.removeprefix('urn:uuid:')}#"
    elements = _Elements(base)
    subject = elements.subject(inventory)
    ids = {p.purl: elements.package(p, n) for n, p in enumerate(inventory.packages)}
    files = [elements.add({"type": "software_File", "spdxId": f"{base}file-{n}",
                           "creationInfo": _CREATION, "name": f.path,
                           "verifiedUsing": [{"type": "Hash", "algorithm": "sha256",
                                              "hashValue": f.sha256}]})
             for n, f in enumerate(inventory.files)]
    if ids:
        elements.relate(subject, "contains", list(ids.values()))
    if files:
        elements.relate(subject, "contains", files)
    for ref, targets in inventory.dependencies:
        if targets:
            elements.relate(ids[ref], "dependsOn", [ids[t] for t in targets])
    return orjson.dumps({"@context": CONTEXT, "@graph": [
        {"type": "CreationInfo", "@id": _CREATION, "specVersion": "3.0.1",
         "created": created, "createdBy": [f"{base}agent"], "createdUsing": [f"{base}tool"]},
        {"type": "SoftwareAgent", "spdxId": f"{base}agent", "creationInfo": _CREATION,
         "name": TOOL},
        {"type": "Tool", "spdxId": f"{base}tool", "creationInfo": _CREATION,
         "name": f"{TOOL} {tool_version}"},
        {"type": "SpdxDocument", "spdxId": f"{base}document", "creationInfo": _CREATION,
         "name": inventory.subject_name, "dataLicense": "https://spdx.org/licenses/CC0-1.0",
         "profileConformance": ["core", "software", "simpleLicensing"],
         "rootElement": [f"{base}sbom"]},
        {"type": "software_Sbom", "spdxId": f"{base}sbom", "creationInfo": _CREATION,
         "profileConformance": ["core", "software", "simpleLicensing"],
         "rootElement": [subject]},
        *elements.written,
    ]})


class _Elements:
    """The elements written so far, each agent and licence once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.written: list[JsonObject] = []
        self._agents: dict[tuple[str, Party], str] = {}
        self._licences: dict[str, str] = {}

    def add(self, element: JsonObject) -> str:
        self.written.append(element)
        spdx_id: str = element["spdxId"]
        return spdx_id

    def relate(self, source: str, kind: str, targets: list[str]) -> None:
        self.add({"type": "Relationship", "spdxId": f"{self.base}relationship-"
                  f"{len(self.written)}", "creationInfo": _CREATION, "from": source,
                  "relationshipType": kind, "to": targets})

    def subject(self, inventory: ImageInventory) -> str:
        return self.add({
            "type": "software_Package", "spdxId": f"{self.base}subject",
            "creationInfo": _CREATION, "name": inventory.subject_name,
            **({"software_packageVersion": inventory.subject_version}
               if inventory.subject_version else {}),
            "software_primaryPurpose": "firmware"})

    def package(self, package: InstalledPackage, number: int) -> str:
        element: JsonObject = {
            "type": "software_Package", "spdxId": f"{self.base}package-{number}",
            "creationInfo": _CREATION, "name": package.name,
            # A Go module built from a working tree, "(devel)", has no version.
            **({"software_packageVersion": package.version} if package.version else {}),
            "software_packageUrl": package.purl,
            "software_primaryPurpose": "application" if package.application else "library",
        }
        element |= _distribution(package)
        if package.supplier is not None:
            element["suppliedBy"] = self._agent("Organization", package.supplier)
        if package.author is not None:
            element["originatedBy"] = [self._agent("Person", package.author)]
        spdx_id = self.add(element)
        expression = declared_expression(package.licences)
        if expression is not None:
            self.relate(spdx_id, "hasDeclaredLicense", [self._licence(expression)])
        return spdx_id

    def _agent(self, kind: str, party: Party) -> str:
        known = self._agents.get((kind, party))
        if known is not None:
            return known
        agent: JsonObject = {"type": kind, "spdxId": f"{self.base}agent-{len(self._agents)}",
                             "creationInfo": _CREATION, "name": party.name}
        if party.email:
            agent["externalIdentifier"] = [{"type": "ExternalIdentifier",
                                            "externalIdentifierType": "email",
                                            "identifier": party.email}]
        self._agents[(kind, party)] = self.add(agent)
        return self._agents[(kind, party)]

    def _licence(self, expression: str) -> str:
        known = self._licences.get(expression)
        if known is None:
            known = self._licences[expression] = self.add({
                "type": "simplelicensing_LicenseExpression",
                "spdxId": f"{self.base}licence-{len(self._licences)}",
                "creationInfo": _CREATION, "simplelicensing_licenseExpression": expression})
        return known


def _distribution(package: InstalledPackage) -> JsonObject:
    """The digests and locations of what the package is installed from."""
    artifacts = package.artifacts
    if len(artifacts) == 1:
        only = artifacts[0]
        return {**({"software_downloadLocation": only.url} if only.url else {}),
                **_verified(package.hashes + only.hashes)}
    out = _verified(package.hashes)
    if artifacts:
        out["externalRef"] = [_artifact_ref(a) for a in artifacts]
    return out


def _verified(hashes: tuple[Hash, ...]) -> JsonObject:
    known = list(dict.fromkeys(h for h in hashes if h.algorithm in _HASH_ALGORITHMS))
    if not known:
        return {}
    return {"verifiedUsing": [{"type": "Hash", "algorithm": _HASH_ALGORITHMS[h.algorithm],
                               "hashValue": h.value} for h in known]}


def _artifact_ref(artifact: Artifact) -> JsonObject:
    return {"type": "ExternalRef",
            "externalRefType": "sourceArtifact" if artifact.source else "binaryArtifact",
            "locator": [artifact_location(artifact)]}
