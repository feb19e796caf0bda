"""A stored release and the advisory and VEX that move its one finding, for the tests
of events: the Acme gateway with urllib3 1.24.1, CVE-2023-43804 (the bundled PYSEC
record, also withdrawn), and the OpenVEX document saying it is not affected."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADVISORY = REPO / "src" / "cpstrust" / "demo" / "advisories" / "PYSEC-2023-192.json"
VEX = REPO / "tests" / "data" / "vex" / "gateway.openvex.json"
PURL = "pkg:pypi/urllib3@1.24.1"


def sbom(path: Path, *purls: str) -> Path:
    """A CycloneDX SBOM of the Acme gateway 2.4.0 holding ``purls`` (pypi packages)."""
    components = [{"type": "library", "name": p.split("/")[1].split("@")[0],
                   "version": p.split("@")[1], "purl": p, "bom-ref": p} for p in purls]
    path.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "firmware", "name": "Acme Gateway",
                                   "version": "2.4.0", "bom-ref": "gateway",
                                   "purl": "pkg:generic/acme/gateway@2.4.0"}},
        "components": components}))
    return path


def advisories(tmp_path: Path, *, withdrawn: bool = False) -> Path:
    """A directory holding the one urllib3 advisory (CVE-2023-43804), or its withdrawal."""
    directory = tmp_path / ("withdrawn" if withdrawn else "advisories")
    directory.mkdir(exist_ok=True)
    record = json.loads(ADVISORY.read_text())
    if withdrawn:
        record["modified"] = record["withdrawn"] = "2024-01-01T00:00:00Z"
    (directory / ADVISORY.name).write_text(json.dumps(record))
    return directory
