"""TPM 2.0 attestation values: quotes as the TPM signs them, what they say, and what an
appraiser concluded. No I/O; ``trust.tpmkeys`` talks to the TPM, ``trust.quote`` reads
and appraises the bytes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from cpstrust.model.trust import Refused

SHA256_SIZE = 32


@dataclass(frozen=True, slots=True)
class TpmQuote:
    """A TPM2_Quote result as it travels from the device to the appraiser.

    ``attest`` is the marshalled TPMS_ATTEST exactly as the TPM signed it (the content
    of the TPM2B_ATTEST, without its size prefix); ``signature`` is the DER
    ``ECDSA-Sig-Value`` over SHA-256(attest) by the attestation key.
    """

    attest: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class ClockInfo:
    """TPMS_CLOCK_INFO: lets an appraiser see reboots (reset count) between quotes."""

    clock: int
    reset_count: int
    restart_count: int
    safe: bool


@dataclass(frozen=True, slots=True)
class PcrSelection:
    """The PCRs of one bank (``hash_alg`` is a TPM_ALG_ID, 0x000B for SHA-256)."""

    hash_alg: int
    indexes: frozenset[int]


@dataclass(frozen=True, slots=True)
class QuoteInfo:
    """TPMS_QUOTE_INFO: which PCRs were quoted and the digest of their values."""

    selections: tuple[PcrSelection, ...]
    pcr_digest: bytes


@dataclass(frozen=True, slots=True)
class Attestation:
    """A TPMS_ATTEST read field by field. ``quote`` is None when ``type`` is not
    TPM_ST_ATTEST_QUOTE: the body of other attestation types is not read."""

    magic: int
    type: int
    qualified_signer: bytes
    extra_data: bytes
    clock_info: ClockInfo
    firmware_version: int
    quote: QuoteInfo | None


@dataclass(frozen=True, slots=True)
class QuoteAccepted:
    """A quote that passed every check. ``pcr_value`` is the value the event log
    replays to, now vouched for by the TPM."""

    pcr_index: int
    pcr_value: bytes
    pcr_digest: bytes
    clock_info: ClockInfo
    firmware_version: int
    qualified_signer: bytes


QuoteAppraisal: TypeAlias = QuoteAccepted | Refused
