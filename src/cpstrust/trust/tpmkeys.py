"""Keys in a TPM 2.0 (tpm2-pytss over a TCTI): the private key is created by the TPM
and leaves it only wrapped under the TPM's storage key, so it signs only there.

Keys are ordinary (non-persistent) children of a primary key recreated on each use
from the owner hierarchy's seed with the ECC storage-key template used by TSS2 key
files (tpm2-tss-engine, the tpm2 OpenSSL provider): the same template gives the same
primary, so nothing is stored in TPM NV. The blobs on disk are the marshalled
TPM2B_PUBLIC and TPM2B_PRIVATE (as ``tpm2_create -u/-r`` writes them).

Every transient object is flushed before the call returns (a signer's key on
``close``): without a resource manager (a raw swtpm or /dev/tpm0) a TPM has 3 slots.

``options["restricted"] = "true"`` makes an attestation key (AK): a restricted
signing key signs only what the TPM itself produced (quotes), never outside data that
could pass for a quote. Such a key is used through ``quote``, not through a Signer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tpm2_pytss import ESAPI, TSS2_Exception
from tpm2_pytss.constants import ESYS_TR, TPM2_ALG, TPMA_OBJECT
from tpm2_pytss.types import (
    TPM2B_PRIVATE,
    TPM2B_PUBLIC,
    TPML_DIGEST_VALUES,
    TPML_PCR_SELECTION,
    TPMT_HA,
    TPMT_PUBLIC,
    TPMT_SIG_SCHEME,
    TPMU_HA,
)

from cpstrust.crypto import (
    PublicKey,
    ecdsa_der_from_raw,
    keyid_of,
    public_pem,
    read_public_key,
    verify_signature,
)
from cpstrust.errors import CpstrustError, InputError
from cpstrust.messages import Message, message
from cpstrust.model.tpm import SHA256_SIZE, TpmQuote
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import KeyBackend, Signer

PCR_COUNT = 24
_ATTRIBUTES = (TPMA_OBJECT.FIXEDTPM | TPMA_OBJECT.FIXEDPARENT | TPMA_OBJECT.SENSITIVEDATAORIGIN
               | TPMA_OBJECT.USERWITHAUTH | TPMA_OBJECT.NODA)
# Templates in tpm2-tools notation: P-256 storage key wrapping children with AES-128-CFB;
# P-256 signing key whose scheme is fixed to ECDSA over SHA-256.
_STORAGE_KEY = TPMT_PUBLIC.parse("ecc256:aes128cfb", nameAlg="sha256", objectAttributes=(
    _ATTRIBUTES | TPMA_OBJECT.RESTRICTED | TPMA_OBJECT.DECRYPT))
_SIGNING_KEY = "ecc256:ecdsa-sha256:null"
_KEY_SCHEME = TPMT_SIG_SCHEME(scheme=TPM2_ALG.NULL)  # NULL: the key's own (ECDSA-SHA256)


def _signing_template(restricted: bool) -> TPMT_PUBLIC:
    attributes = _ATTRIBUTES | TPMA_OBJECT.SIGN_ENCRYPT
    return TPMT_PUBLIC.parse(_SIGNING_KEY, nameAlg="sha256", objectAttributes=(
        attributes | TPMA_OBJECT.RESTRICTED if restricted else attributes))


class TpmSigner(Signer):
    """Signs with a key loaded in the TPM; ``close`` flushes it and disconnects."""

    def __init__(self, record: KeyRecord, ectx: Any, handle: Any, public_key: PublicKey) -> None:
        self._record = record
        self._ectx = ectx
        self._handle = handle
        self._public = public_key

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        if self._ectx is None:
            raise CpstrustError("tpm_signer_closed", name=self._record.name)
        digest = hashlib.sha256(data).digest()
        with _tpm_errors(message("trust_signing_with_key", name=self._record.name)):
            # An unrestricted key signs a host digest with the NULL ticket (the default).
            signature = self._ectx.sign(self._handle, digest, _KEY_SCHEME)
        der = _der_of(signature)
        # Fail closed: a TPM whose key no longer matches the record signs nothing.
        if not verify_signature(self._public, Algorithm.ECDSA_P256, data, der):
            raise CpstrustError("tpm_signature_unverified", name=self._record.name)
        return der

    def close(self) -> None:
        if self._ectx is not None:
            with suppress(TSS2_Exception):
                self._ectx.flush_context(self._handle)
            self._ectx.close()
            self._ectx = None


class TpmKeyBackend(KeyBackend):
    """``options``: ``tcti`` (the TPM connection, required), ``directory`` (where the
    key blobs are written) and ``restricted`` ("true" for an attestation key)."""

    backend = Backend.TPM

    def create(
        self,
        name: str,
        algorithm: Algorithm,
        options: Mapping[str, str],
        secrets: Mapping[str, str],
    ) -> KeyRecord:
        if algorithm is Algorithm.ED25519:
            raise InputError("tpm_no_ed25519", name=name)
        tcti, directory = options.get("tcti", ""), options.get("directory", "")
        if not tcti:
            raise InputError("tpm_needs_tcti", name=name)
        if not directory:
            raise InputError("tpm_needs_directory", name=name)
        restricted = options.get("restricted", "false").lower()
        if restricted not in ("true", "false"):
            raise InputError("tpm_restricted_invalid", name=name, value=restricted)
        with _connect(tcti) as ectx, _tpm_errors(message("tpm_creating", name=name)):
            parent = _storage_key(ectx)
            try:
                private, public, _, _, _ = ectx.create(
                    parent, None, TPM2B_PUBLIC(publicArea=_signing_template(restricted == "true")))
            finally:
                ectx.flush_context(parent)
        public_key = _public_key_of(public)
        paths = {"public_blob": Path(directory, f"{name}.tpm.pub"),
                 "private_blob": Path(directory, f"{name}.tpm.priv")}
        _write_blobs({paths["public_blob"]: public.marshal(),
                      paths["private_blob"]: private.marshal()})
        return KeyRecord(
            name=name,
            backend=Backend.TPM,
            algorithm=Algorithm.ECDSA_P256,
            keyid=keyid_of(public_key),
            public_key_pem=public_pem(public_key),
            created_at=datetime.now(UTC),
            locator={"tcti": tcti, **{k: str(p) for k, p in paths.items()}},
        )

    def open(self, record: KeyRecord, secrets: Mapping[str, str]) -> Signer:
        tcti, public, private = _locate(record)
        ectx = _esapi(tcti)
        try:
            handle, restricted, public_key = _load(ectx, record, public, private)
            if restricted:
                ectx.flush_context(handle)
                raise InputError("tpm_attestation_key_signs_quotes_only", name=record.name)
        except BaseException:
            ectx.close()
            raise
        return TpmSigner(record, ectx, handle, public_key)


def quote(record: KeyRecord, nonce: bytes, pcr_indexes: Iterable[int]) -> TpmQuote:
    """TPM2_Quote of the SHA-256 bank's ``pcr_indexes`` by the attestation key
    ``record``, with ``nonce`` as qualifying data."""
    indexes = sorted(set(pcr_indexes))
    tcti, public, private = _locate(record)
    with _connect(tcti) as ectx:
        handle, restricted, _ = _load(ectx, record, public, private)
        try:
            if not restricted:
                raise InputError("tpm_not_attestation_key", name=record.name)
            with _tpm_errors(message("tpm_quoting", pcrs=indexes, name=record.name)):
                attest, signature = ectx.quote(handle, _sha256_selection(indexes), nonce)
        finally:
            ectx.flush_context(handle)
    return TpmQuote(attest=bytes(attest), signature=_der_of(signature))


def pcr_reset(tcti: str, pcr_index: int) -> None:
    """TPM2_PCR_Reset (PCR 16, the debug PCR, is resettable at locality 0)."""
    with _connect(tcti) as ectx, _tpm_errors(message("tpm_resetting_pcr", pcr=pcr_index)):
        ectx.pcr_reset(_pcr_handle(pcr_index))


def pcr_extend(tcti: str, pcr_index: int, sha256_digest: bytes) -> None:
    """Extend a measurement into the SHA-256 bank: new = SHA-256(old || digest)."""
    if len(sha256_digest) != SHA256_SIZE:
        raise InputError("tpm_measurement_size", expected=SHA256_SIZE, size=len(sha256_digest))
    value = TPMT_HA(hashAlg=TPM2_ALG.SHA256, digest=TPMU_HA(sha256=sha256_digest))
    with _connect(tcti) as ectx, _tpm_errors(message("tpm_extending_pcr", pcr=pcr_index)):
        ectx.pcr_extend(_pcr_handle(pcr_index), TPML_DIGEST_VALUES([value]))


def pcr_read(tcti: str, indexes: Iterable[int]) -> dict[int, bytes]:
    """The SHA-256 bank's values of ``indexes``, one read per PCR (a TPM may answer a
    wide selection only in part)."""
    values: dict[int, bytes] = {}
    with _connect(tcti) as ectx, _tpm_errors(message("tpm_reading_pcrs")):
        for index in sorted(set(indexes)):
            _, _, digests = ectx.pcr_read(_sha256_selection([index]))
            values[index] = bytes(digests[0])
    return values


def _esapi(tcti: str) -> Any:
    try:
        return ESAPI(tcti)
    except TSS2_Exception as exc:
        raise CpstrustError("tpm_unreachable", tcti=tcti, error=str(exc)) from exc


@contextmanager
def _connect(tcti: str) -> Iterator[Any]:
    ectx = _esapi(tcti)
    try:
        yield ectx
    finally:
        ectx.close()


@contextmanager
def _tpm_errors(doing: Message) -> Iterator[None]:
    """No raw TSS2 exception escapes: name the operation the TPM refused."""
    try:
        yield
    except TSS2_Exception as exc:
        raise CpstrustError("tpm_failed", doing=doing, error=str(exc)) from exc


def _locate(record: KeyRecord) -> tuple[str, Any, Any]:
    """The TCTI and the key's public and private blobs, read from the record's files."""
    try:
        tcti = record.locator["tcti"]
        paths = Path(record.locator["public_blob"]), Path(record.locator["private_blob"])
    except KeyError as exc:
        raise InputError("tpm_locator_incomplete", name=record.name, field=exc.args[0]) from exc
    blobs = []
    for kind, path in zip((TPM2B_PUBLIC, TPM2B_PRIVATE), paths, strict=True):
        try:
            data = path.read_bytes()
            blob, used = kind.unmarshal(data)
        except OSError as exc:
            raise CpstrustError("tpm_blob_unreadable", error=exc.strerror,
                                source=str(path)) from exc
        except TSS2_Exception as exc:
            raise InputError("tpm_blob_invalid", kind=kind.__name__, error=str(exc),
                             source=str(path)) from exc
        if used != len(data):
            raise InputError("tpm_blob_trailing_bytes", kind=kind.__name__, source=str(path))
        blobs.append(blob)
    return tcti, blobs[0], blobs[1]


def _load(ectx: Any, record: KeyRecord, public: Any, private: Any) -> tuple[Any, bool, PublicKey]:
    """Load the key under the storage key (flushed at once) and check that the TPM's
    view of it matches ``record``. Returns the handle (the caller flushes it), whether
    the key is restricted, and its public key."""
    with _tpm_errors(message("tpm_loading", name=record.name)):
        parent = _storage_key(ectx)
        try:
            handle = ectx.load(parent, private, public)
        finally:
            ectx.flush_context(parent)
    try:
        with _tpm_errors(message("tpm_reading_public_key", name=record.name)):
            loaded, _, _ = ectx.read_public(handle)
        public_key = _public_key_of(loaded)
        if keyid_of(public_key) != record.keyid:
            raise InputError("tpm_key_not_the_record", name=record.name, keyid=record.keyid,
                             source=record.locator["public_blob"])
    except BaseException:
        ectx.flush_context(handle)
        raise
    restricted = bool(loaded.publicArea.objectAttributes & TPMA_OBJECT.RESTRICTED)
    return handle, restricted, public_key


def _storage_key(ectx: Any) -> Any:
    """The owner hierarchy's ECC storage primary: deterministic, so recreated at will."""
    handle, _, _, _, _ = ectx.create_primary(None, TPM2B_PUBLIC(publicArea=_STORAGE_KEY),
                                             ESYS_TR.OWNER)
    return handle


def _sha256_selection(indexes: Iterable[int]) -> Any:
    return TPML_PCR_SELECTION.parse("sha256:" + ",".join(str(_pcr(i)) for i in indexes))


def _pcr_handle(index: int) -> Any:
    return ESYS_TR.PCR0 + _pcr(index)


def _pcr(index: int) -> int:
    if not 0 <= index < PCR_COUNT:
        raise InputError("tpm_pcr_out_of_range", index=index, last=PCR_COUNT - 1)
    return index


def _public_key_of(public: Any) -> PublicKey:
    return read_public_key(bytes(public.to_pem()), "<TPM public key>")


def _der_of(signature: Any) -> bytes:
    """TPMT_SIGNATURE (ECDSA) as DER; r and s are TPM2Bs, which a TPM need not pad."""
    ecdsa = signature.signature.ecdsa
    r, s = bytes(ecdsa.signatureR), bytes(ecdsa.signatureS)
    return ecdsa_der_from_raw(r.rjust(SHA256_SIZE, b"\0") + s.rjust(SHA256_SIZE, b"\0"))


def _write_blobs(blobs: Mapping[Path, bytes]) -> None:
    """Create each file exclusively with mode 0600; on failure remove what was written."""
    written: list[Path] = []
    try:
        for path, data in blobs.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise InputError("tpm_blob_exists", source=str(path)) from exc
            written.append(path)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
