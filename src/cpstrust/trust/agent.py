"""The device side of attestation: measure the image into a report answering the
verifier's nonce, and answer with the report signed (file or PKCS#11 key) or quoted by
the TPM (TPM attestation key)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.errors import InputError
from cpstrust.formats.attestation import measurement_list_digest, write_report
from cpstrust.model.attestation import MeasurementReport, ReleaseClaim
from cpstrust.model.authenticity import EntryKind
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.model.tpm import TpmQuote
from cpstrust.model.trust import Backend, KeyRecord
from cpstrust.trust.attestation import PCR_INDEX, measurement_events, quote_qualifying_data
from cpstrust.trust.image import measure_image
from cpstrust.trust.keyring import Keyring, require_tpm_support
from cpstrust.trust.verify import sign_envelope

MAX_RESPONSE_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60.0


def measure_report(root: Path, device: str, nonce: str,
                   release: ReleaseClaim | None) -> MeasurementReport:
    """Measure the image at ``root`` (directory or tar) into a report answering ``nonce``."""
    files = measure_image(root)
    unsendable = next((f.path for f in files if "\n" in f.path or not _utf8(f.path)), None)
    if unsendable is not None:
        raise InputError("agent_unsendable_path", source=str(root), location=repr(unsendable))
    measurements = {f.path: f.sha256 for f in files if f.kind is EntryKind.FILE}
    return MeasurementReport(
        device=device, nonce=nonce, measured_at=datetime.now(UTC).replace(microsecond=0),
        measurements=measurements, digest=measurement_list_digest(measurements),
        executables=frozenset(f.path for f in files if f.executable),
        links={f.path: f.link_target for f in files if f.link_target is not None},
        release=release,
    )


def _utf8(path: str) -> bool:
    try:
        path.encode()
    except UnicodeEncodeError:  # an undecodable file name, kept as surrogates by Python
        return False
    return True


def answer(report: MeasurementReport, record: KeyRecord, keyring: Keyring,
           secrets: Mapping[str, str]) -> tuple[Envelope, TpmQuote | None]:
    """The report signed by a file or PKCS#11 key, or quoted by a TPM attestation key
    after replaying its measurements into PCR 16."""
    payload = write_report(report)
    if record.backend is not Backend.TPM:
        with keyring.signer(record.name, secrets) as signer:
            return sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [signer]), None
    require_tpm_support()
    from cpstrust.trust import tpmkeys  # the TPM stack loads only for TPM keys

    if record.revoked_at is not None:
        raise InputError("agent_key_revoked", name=record.name,
                         date=f"{record.revoked_at:%Y-%m-%d}")
    envelope = Envelope(INTOTO_PAYLOAD_TYPE, payload, ())
    tcti = record.locator.get("tcti", "")
    tpmkeys.pcr_reset(tcti, PCR_INDEX)
    for event in measurement_events(report):
        tpmkeys.pcr_extend(tcti, PCR_INDEX, event)
    return envelope, tpmkeys.quote(record, quote_qualifying_data(envelope), [PCR_INDEX])
