"""Keys, the trust store and the decisions made with them. No I/O, no wire formats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from cpstrust.messages import Message, coded


class Algorithm(StrEnum):
    """Signature algorithms. ECDSA signs SHA-256 digests; its signatures are DER-encoded
    (as securesystemslib and cosign write them), whatever the backend returns."""

    ED25519 = "ed25519"
    ECDSA_P256 = "ecdsa-p256"


class Role(StrEnum):
    """What a trusted key may vouch for. ``root`` keys sign the trust store itself."""

    ROOT = "root"
    RELEASE_SIGNER = "release-signer"
    DEVICE_IDENTITY = "device-identity"
    ORGANISATION = "organisation"
    ASSESSOR = "assessor"
    DATA_PRODUCER = "data-producer"


class Backend(StrEnum):
    FILE = "file"
    PKCS11 = "pkcs11"
    TPM = "tpm"


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """A signing key this installation holds (its private half stays in its backend).

    ``locator`` says where the backend finds the private key: a file path, a PKCS#11
    module/token/label, a TPM connection and key blob. It never holds a secret; secrets
    (passphrase, PIN) are named by the environment variable that carries them.
    """

    name: str
    backend: Backend
    algorithm: Algorithm
    keyid: str
    public_key_pem: str
    created_at: datetime
    locator: Mapping[str, str] = field(default_factory=dict)
    revoked_at: datetime | None = None
    revoked_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Revocation:
    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """A public key the trust store vouches for, in given roles and scopes.

    ``scopes`` narrow what the key may sign: product names for a release signer, device
    names for a device identity. An empty set means every subject of its roles.
    """

    keyid: str
    algorithm: Algorithm
    public_key_pem: str
    roles: frozenset[Role]
    scopes: frozenset[str] = frozenset()
    not_before: datetime | None = None
    not_after: datetime | None = None
    revocation: Revocation | None = None
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class TrustStore:
    """A versioned set of trusted keys. Each exported version is signed by a root key;
    a site refuses to go back to an older version (rollback)."""

    version: int
    issued_at: datetime
    keys: tuple[TrustedKey, ...] = ()
    # keyid -> key: a verifier holding thousands of device keys looks one up per report.
    _by_keyid: dict[str, TrustedKey] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_keyid", {k.keyid: k for k in self.keys})

    def key(self, keyid: str) -> TrustedKey | None:
        return self._by_keyid.get(keyid)


# Before the first key is trusted: version 0, which any signed version replaces.
EMPTY_TRUST_STORE = TrustStore(version=0, issued_at=datetime(1970, 1, 1, tzinfo=UTC))


class Refusal(StrEnum):
    """Why a signature, a key or a statement was not trusted: each names its case."""

    MALFORMED = "malformed"
    NO_SIGNATURE = "no-signature"
    DUPLICATE_SIGNATURE = "duplicate-signature"
    BAD_SIGNATURE = "bad-signature"
    UNTRUSTED_SIGNER = "untrusted-signer"
    WRONG_ROLE = "wrong-role"
    OUT_OF_SCOPE = "out-of-scope"
    WRONG_ALGORITHM = "wrong-algorithm"
    REVOKED = "revoked"
    NOT_YET_VALID = "not-yet-valid"
    EXPIRED = "expired"
    WRONG_PAYLOAD_TYPE = "wrong-payload-type"
    SUBJECT_MISMATCH = "subject-mismatch"
    ROLLBACK = "rollback"
    STALE_NONCE = "stale-nonce"
    NOT_TPM_GENERATED = "not-tpm-generated"  # signed, but not a TPMS_ATTEST the TPM made
    WRONG_PCR_SELECTION = "wrong-pcr-selection"  # quote covers other PCRs than asked
    PCR_MISMATCH = "pcr-mismatch"  # event log does not replay to the quoted PCRs
    UNKNOWN_REQUIREMENT = "unknown-requirement"  # an assessment names no catalogued id


@dataclass(frozen=True, slots=True, init=False)
class Refused:
    """A negative decision and why: ``Refused(reason, code, **facts)``."""

    reason: Refusal
    message: Message

    def __init__(self, reason: Refusal, code: str, /, **facts: object) -> None:
        found = coded(code, facts)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "message", found)

    @property
    def detail(self) -> str:
        """Why, in English."""
        return self.message.text()
