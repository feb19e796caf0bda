"""The one verifier: who signed an envelope, and may they vouch for it?

Algorithms come from the trust store, never from the envelope, and the keyid in a
signature is only a hint: a signature counts when it verifies under a trusted key.
Everything fails closed; each refusal names its case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from cpstrust.crypto import cached_public_key, verify_signature
from cpstrust.errors import CpstrustError
from cpstrust.formats.dsse import pae
from cpstrust.messages import Message
from cpstrust.model.evidence import Envelope, EnvelopeSignature
from cpstrust.model.trust import Algorithm, Refusal, Refused, Role, TrustedKey, TrustStore
from cpstrust.trust.interface import Signer

# A signature whose keyid hint names no trusted key is tried against every key of the
# role (other tools compute keyids their own way), but not against thousands of keys.
MAX_KEYS_TRIED_WITHOUT_HINT = 64

# When no signature is accepted, the most telling reason is reported.
_PRIORITY = (
    Refusal.REVOKED, Refusal.EXPIRED, Refusal.NOT_YET_VALID, Refusal.WRONG_ROLE,
    Refusal.WRONG_ALGORITHM, Refusal.BAD_SIGNATURE, Refusal.UNTRUSTED_SIGNER,
)


class VerifiedSignatures:
    """Signatures found valid before, by a digest of the algorithm, the public key, the
    signed bytes and the signature: the check is a pure function of those four, so a
    signature once valid under a key stays valid under it, and checking it again (an
    Ed25519 check costs 70-110 us: a second of every full trust evaluation over 10,000
    organisations) is skipped. Only valid signatures are held; any other is checked.
    Nothing else is: a key's revocation, expiry, role and scope, the evidence's dates
    and content are checked at every use as before. The caller keeps the digests per
    trust store version, so a changed trust store checks every signature again."""

    def __init__(self, valid: Iterable[str] = ()) -> None:
        self._valid = set(valid)
        self.used: set[str] = set()  # valid signatures met: held before, or found now
        self.found: set[str] = set()  # valid signatures checked now

    def verifies(self, key: TrustedKey, message: bytes, sig: bytes) -> bool:
        digest = signature_digest(key, message, sig)
        if digest in self._valid:
            self.used.add(digest)
            return True
        if not _verifies(key, message, sig):
            return False
        self._valid.add(digest)
        self.used.add(digest)
        self.found.add(digest)
        return True


def signature_digest(key: TrustedKey, message: bytes, sig: bytes) -> str:
    """The SHA-256 of the algorithm, the public key, the signed bytes and the signature,
    each preceded by its length (no two different quadruples give the same input)."""
    digest = hashlib.sha256()
    for part in (key.algorithm.value.encode(), key.public_key_pem.encode(), message, sig):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Authenticated:
    """An envelope with at least one valid signature by a key trusted in the role."""

    envelope: Envelope
    signers: tuple[TrustedKey, ...]


def sign_envelope(payload_type: str, payload: bytes, signers: Sequence[Signer]) -> Envelope:
    message = pae(payload_type, payload)
    return Envelope(
        payload_type=payload_type,
        payload=payload,
        signatures=tuple(EnvelopeSignature(s.record.keyid, s.sign(message)) for s in signers),
    )


def authenticate(
    envelope: Envelope, store: TrustStore, role: Role, at: datetime
) -> Authenticated | Refused:
    return authenticate_in_roles(envelope, store, (role,), at)[0]


def authenticate_in_roles(
    envelope: Envelope, store: TrustStore, roles: Sequence[Role], at: datetime,
    verified: VerifiedSignatures | None = None,
) -> list[Authenticated | Refused]:
    """``authenticate`` in each of ``roles``, in that order, each signature checked
    against a key once whatever the number of roles (the check costs far more than the
    rest: a caller deciding between an organisation's and an assessor's role paid
    twice), and not at all when ``verified`` holds it as valid."""
    if not envelope.signatures:
        return [Refused(Refusal.NO_SIGNATURE, "verify_no_signature")] * len(roles)
    hints = [s.keyid for s in envelope.signatures if s.keyid]
    if len(hints) != len(set(hints)):
        return [Refused(Refusal.DUPLICATE_SIGNATURE, "verify_keyid_named_twice")] * len(roles)
    message = pae(envelope.payload_type, envelope.payload)
    checked: dict[tuple[int, str], bool] = {}

    def verifies(index: int, key: TrustedKey) -> bool:
        found = checked.get((index, key.keyid))
        if found is None:
            signature = envelope.signatures[index]
            found = checked[(index, key.keyid)] = (
                _fits(key.algorithm, signature.sig)
                and (_verifies(key, message, signature.sig) if verified is None
                     else verified.verifies(key, message, signature.sig)))
        return found

    return [_authenticate_in_role(envelope, store, role, at, verifies) for role in roles]


def _authenticate_in_role(
    envelope: Envelope, store: TrustStore, role: Role, at: datetime,
    verifies: Callable[[int, TrustedKey], bool],
) -> Authenticated | Refused:
    accepted: dict[str, TrustedKey] = {}
    refusals: list[Refused] = []
    for index, signature in enumerate(envelope.signatures):
        outcome = _check_signature(signature, store, role, at, partial(verifies, index))
        if isinstance(outcome, Refused):
            refusals.append(outcome)
        elif outcome.keyid in accepted:
            return Refused(Refusal.DUPLICATE_SIGNATURE, "verify_key_signed_twice",
                           keyid=outcome.keyid[:16])
        else:
            accepted[outcome.keyid] = outcome
    if not accepted:
        return min(refusals, key=lambda r: _PRIORITY.index(r.reason))
    return Authenticated(envelope=envelope, signers=tuple(accepted.values()))


def _check_signature(
    signature: EnvelopeSignature, store: TrustStore, role: Role, at: datetime,
    verifies: Callable[[TrustedKey], bool],
) -> TrustedKey | Refused:
    hinted = store.key(signature.keyid) if signature.keyid else None
    if hinted is not None:
        if not _fits(hinted.algorithm, signature.sig):
            return Refused(Refusal.WRONG_ALGORITHM, "verify_wrong_algorithm",
                           algorithm=hinted.algorithm.value, keyid=hinted.keyid[:16])
        if not verifies(hinted):
            return Refused(Refusal.BAD_SIGNATURE, "verify_bad_signature",
                           keyid=hinted.keyid[:16])
        return key_problem(hinted, role, at) or hinted
    for key in _candidates(store.keys, role):
        if verifies(key):
            return key_problem(key, role, at) or key
    return Refused(Refusal.UNTRUSTED_SIGNER, "verify_untrusted_signer", role=role.value,
                   signer=signature.keyid[:16] or Message("verify_no_keyid"))


def _candidates(keys: Iterable[TrustedKey], role: Role) -> list[TrustedKey]:
    in_role = [k for k in keys if role in k.roles]
    return in_role if len(in_role) <= MAX_KEYS_TRIED_WITHOUT_HINT else []


def _verifies(key: TrustedKey, message: bytes, sig: bytes) -> bool:
    return verify_signature(cached_public_key(key.public_key_pem), key.algorithm, message, sig)


def _fits(algorithm: Algorithm, sig: bytes) -> bool:
    """Ed25519 signatures are 64 raw bytes; ECDSA ones a DER SEQUENCE (at most 72)."""
    if algorithm is Algorithm.ED25519:
        return len(sig) == 64
    return 8 <= len(sig) <= 72 and sig[0] == 0x30


def key_problem(key: TrustedKey, role: Role, at: datetime) -> Refused | None:
    """Why ``key`` may not vouch in ``role`` at time ``at``, or None if it may."""
    short = key.keyid[:16]
    if key.revocation is not None:
        return Refused(Refusal.REVOKED, "verify_key_revoked", keyid=short,
                       date=f"{key.revocation.at:%Y-%m-%d}", reason=key.revocation.reason)
    if role not in key.roles:
        roles = ", ".join(sorted(r.value for r in key.roles))
        return Refused(Refusal.WRONG_ROLE, "verify_wrong_role", keyid=short, roles=roles,
                       role=role.value)
    if key.not_before is not None and at < key.not_before:
        return Refused(Refusal.NOT_YET_VALID, "verify_key_not_yet_valid", keyid=short,
                       date=f"{key.not_before:%Y-%m-%d}")
    if key.not_after is not None and at > key.not_after:
        return Refused(Refusal.EXPIRED, "verify_key_expired", keyid=short,
                       date=f"{key.not_after:%Y-%m-%d}")
    return None


def out_of_scope(signers: Sequence[TrustedKey], subject: str) -> Refused | None:
    """None when some signer's scopes cover ``subject`` (no scopes: every subject)."""
    if any(not k.scopes or subject in k.scopes for k in signers):
        return None
    scopes = ", ".join(sorted({s for k in signers for s in k.scopes}))
    return Refused(Refusal.OUT_OF_SCOPE, "verify_out_of_scope", scopes=scopes, subject=subject)


def unreadable(error: CpstrustError) -> Refused:
    """A signed document that cannot be read, refused as malformed: the error's problem
    with its file and place, in the reader's language."""
    return Refused(Refusal.MALFORMED, "verify_unreadable", cause=error.told())
