"""SBOM read cost: our readers against the raw parse floor and the reference libraries.

Generates a CycloneDX 1.5 JSON SBOM and an SPDX 2.3 document (JSON and tag-value) of N
components each, with realistic package URLs, hashes, licences and dependency edges,
and prints best-of times with ratios against ``orjson.loads`` of the CycloneDX document
measured in the same run.

cyclonedx-python-lib's ``Bom.from_json`` is timed at ``--reference`` components and
scaled linearly to N (its cost per component is flat), and spdx-tools' stock tag-value
parser at ``--tagvalue-reference`` packages, also scaled linearly (it rebuilds the
licence index per licence field). spdx-tools' JSON parse + ``validate_full_spdx_document``
run at full size: the validator is quadratic, so scaling would flatter it.

Usage: python bench/bench_sbom_parse.py [--components 10000] [--reference 2000]
       [--tagvalue-reference 300]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import orjson
from cyclonedx.model.bom import Bom
from license_expression import get_spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExternalPackageRef,
    ExternalPackageRefCategory,
    Package,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.parser.tagvalue.parser import Parser as StockTagValueParser
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.writer.json import json_writer
from spdx_tools.spdx.writer.tagvalue import tagvalue_writer

from cpstrust.formats.cyclonedx_schema import json_validator
from cpstrust.formats.sbom import read_sbom

LICENCES = ["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "GPL-2.0-only", "MPL-2.0"]


def _package(rng: random.Random, i: int) -> tuple[str, str | None, str, str]:
    """(name, group, version, purl) in one of five ecosystems."""
    version = f"{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 99)}"
    match i % 5:
        case 0:
            return f"util-{i}", "@acme", version, f"pkg:npm/%40acme/util-{i}@{version}"
        case 1:
            return f"py-lib-{i}", None, version, f"pkg:pypi/py-lib-{i}@{version}"
        case 2:
            group = f"org.example.m{i % 97}"
            return (f"artifact-{i}", group, version,
                    f"pkg:maven/{group}/artifact-{i}@{version}?type=jar")
        case 3:
            return (f"github.com/org{i % 89}/mod{i}", None, f"v{version}",
                    f"pkg:golang/github.com/org{i % 89}/mod{i}@v{version}")
        case _:
            return (f"lib{i}", None, f"{version}-1",
                    f"pkg:deb/debian/lib{i}@{version}-1?arch=amd64&distro=debian-12")


def cyclonedx_document(count: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    components = []
    for i in range(count):
        name, group, version, purl = _package(rng, i)
        component = {"type": "library", "bom-ref": f"c{i}", "name": name, "version": version,
                     "purl": purl,
                     "hashes": [{"alg": "SHA-256", "content": f"{rng.getrandbits(256):064x}"}],
                     "licenses": [{"license": {"id": rng.choice(LICENCES)}}]}
        if group:
            component["group"] = group
        components.append(component)
    dependencies = [{"ref": "root", "dependsOn": [f"c{i}" for i in range(min(count, 50))]}]
    dependencies += [{"ref": f"c{i}", "dependsOn": [f"c{j}" for j in rng.sample(range(count), 3)]}
                     for i in range(count)]
    return orjson.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "serialNumber": f"urn:uuid:{uuid.UUID(int=seed)}",
        "metadata": {"timestamp": "2024-05-01T12:00:00Z",
                     "tools": {"components": [{"type": "application", "name": "bench"}]},
                     "component": {"type": "device", "bom-ref": "root", "name": "gateway",
                                   "version": "2.0"}},
        "components": components, "dependencies": dependencies})


def spdx_document(count: int, seed: int = 1) -> Document:
    rng = random.Random(seed)
    licensing = get_spdx_licensing()
    licences = {text: licensing.parse(text) for text in LICENCES}
    packages = []
    for i in range(count):
        name, _group, version, purl = _package(rng, i)
        licence = licences[rng.choice(LICENCES)]
        packages.append(Package(
            f"SPDXRef-P{i}", name, SpdxNoAssertion(), version=version, files_analyzed=False,
            license_concluded=licence, license_declared=licence,
            checksums=[Checksum(ChecksumAlgorithm.SHA256, f"{rng.getrandbits(256):064x}")],
            external_references=[ExternalPackageRef(
                ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)]))
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-P0")]
    relationships += [Relationship(f"SPDXRef-P{i}", RelationshipType.DEPENDS_ON,
                                   f"SPDXRef-P{rng.randrange(count)}") for i in range(count)]
    info = CreationInfo("SPDX-2.3", "SPDXRef-DOCUMENT", "bench", "https://example.com/bench",
                        [Actor(ActorType.TOOL, "bench")], datetime(2024, 5, 1))
    return Document(info, packages=packages, relationships=relationships)


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _bom_from_json(data: bytes) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Bom.from_json(json.loads(data))  # type: ignore[attr-defined]


def _spdx_tools_json(data: bytes) -> object:
    document = JsonLikeDictParser().parse(json.loads(data))
    return validate_full_spdx_document(document)


def main() -> None:
    gc.disable()  # as the cpstrust command does: its entry point decides
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument("--reference", type=int, default=2_000)
    parser.add_argument("--tagvalue-reference", type=int, default=300)
    args = parser.parse_args()
    n, ref_n, tv_n = args.components, args.reference, args.tagvalue_reference

    cdx = cyclonedx_document(n)
    cdx_small = cyclonedx_document(ref_n)
    parsed = orjson.loads(cdx)
    validator = json_validator("1.5")
    with tempfile.TemporaryDirectory() as tmp:
        spdx_json, spdx_tv, spdx_tv_small = (Path(tmp) / f for f in ("b.json", "b.spdx", "s.spdx"))
        json_writer.write_document_to_file(spdx_document(n), str(spdx_json), validate=False)
        tagvalue_writer.write_document_to_file(spdx_document(n), str(spdx_tv), validate=False)
        tagvalue_writer.write_document_to_file(spdx_document(tv_n), str(spdx_tv_small),
                                               validate=False)
        spdx_json_data, spdx_tv_data = spdx_json.read_bytes(), spdx_tv.read_bytes()
        spdx_tv_small_text = spdx_tv_small.read_text()

    floor = best(lambda: orjson.loads(cdx), 9)
    rows: list[tuple[str, float, str]] = [
        ("json.loads", best(lambda: json.loads(cdx), 5), ""),
        ("orjson.loads", floor, "floor"),
        ("jsonschema-rs validation (parsed)", best(lambda: validator.is_valid(parsed), 9), ""),
        ("read_sbom (orjson+limits+schema+map)", best(lambda: read_sbom(cdx, source="b"), 9), ""),
        ("cyclonedx-python-lib Bom.from_json",
         best(lambda: _bom_from_json(cdx_small), 3) * n / ref_n,
         f"measured at {ref_n}, scaled x{n / ref_n:g}"),
        ("SPDX JSON: read_sbom", best(lambda: read_sbom(spdx_json_data, source="s"), 3), ""),
        ("SPDX JSON: spdx-tools parse + validate_full",
         best(lambda: _spdx_tools_json(spdx_json_data), 1), "one run"),
        ("SPDX tag-value: read_sbom", best(lambda: read_sbom(spdx_tv_data, source="t"), 3), ""),
        ("SPDX tag-value: spdx-tools stock parser only",
         best(lambda: StockTagValueParser().parse(spdx_tv_small_text), 1) * n / tv_n,
         f"measured at {tv_n}, scaled x{n / tv_n:g}"),
    ]
    print(f"\nSBOM read, {n:,} components ({len(cdx) / 1e6:.1f} MB CycloneDX JSON, "
          f"{len(spdx_json_data) / 1e6:.1f} MB SPDX JSON, {len(spdx_tv_data) / 1e6:.1f} MB "
          "SPDX tag-value)")
    width = max(len(r[0]) for r in rows)
    print(f"  {'':<{width}}  {'ms':>10}  {'x orjson':>9}")
    for label, seconds, note in rows:
        print(f"  {label:<{width}}  {seconds * 1000:10.1f}  {seconds / floor:9.1f}  {note}")


if __name__ == "__main__":
    main()
