"""Regenerate the demo's signed release: a made-up SS-SensorHub 1.8.0 firmware tree,
signed by a throw-away Ed25519 key whose private half is never written anywhere.
Only the public key and the envelope are bundled (src/cpstrust/demo/release).
Run: .venv/bin/python scripts/make_demo_release.py
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from cpstrust.crypto import keyid_of, public_pem
from cpstrust.formats.dsse import write_envelope
from cpstrust.model.authenticity import EntryKind
from cpstrust.model.evidence import ReleaseProvenance, ResourceDescriptor, Subject
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import sign_release

DEMO = Path(__file__).resolve().parent.parent / "src" / "cpstrust" / "demo"
TREE = DEMO / "firmware" / "ss-sensorhub-1.8.0"
SBOM = DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"
ELF = b"\x7fELF\x02\x01\x01" + bytes(9)
FILES = {
    "bin/sensord": ELF + b"SS-SensorHub vibration and temperature sampling daemon 1.8.0\n",
    "bin/uplink": ELF + b"SS-SensorHub uplink to the line gateway (MQTT over TLS) 1.8.0\n",
    "etc/sensorhub.conf": b"sample_hz = 2000\nuplink = hc-gateway.line3.local:8883\n",
    "share/calibration.csv": b"axis,offset,gain\nx,0.002,1.000\ny,-0.001,0.998\n",
}


def main() -> None:
    for path, data in FILES.items():
        (TREE / path).parent.mkdir(parents=True, exist_ok=True)
        (TREE / path).write_bytes(data)
    private = ed25519.Ed25519PrivateKey.generate()
    public = private.public_key()
    record = KeyRecord("setouchi-release", Backend.FILE, Algorithm.ED25519, keyid_of(public),
                       public_pem(public), datetime.now(UTC))
    subjects = [Subject(f.path, {"sha256": f.sha256}) for f in measure_image(TREE)
                if f.kind is EntryKind.FILE]
    sbom = ResourceDescriptor(SBOM.name, {"sha256": hashlib.sha256(SBOM.read_bytes())
                                          .hexdigest()}, "application/spdx+json")
    provenance = ReleaseProvenance("SS-SensorHub", "1.8.0", "urn:cpstrust:demo",
                                   datetime(2026, 11, 2, 9, 0, tzinfo=UTC), sbom)
    envelope = sign_release(subjects, provenance, [FileSigner(record, private)])
    out = DEMO / "release"
    out.mkdir(exist_ok=True)
    (out / "ss-sensorhub-1.8.0.release.json").write_bytes(write_envelope(envelope))
    (out / "setouchi-release.pem").write_text(record.public_key_pem)


if __name__ == "__main__":
    main()
