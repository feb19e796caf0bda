"""Editing and importing the trust store: pure functions from one version to the next."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.truststore import (
    TRUST_STORE_PAYLOAD_TYPE,
    read_trust_store,
    write_trust_store,
)
from cpstrust.model.evidence import Envelope
from cpstrust.model.trust import Refusal, Refused, Revocation, Role, TrustedKey, TrustStore
from cpstrust.trust.interface import Signer
from cpstrust.trust.verify import authenticate, sign_envelope, unreadable

MIN_KEYID_PREFIX = 8


def add_key(store: TrustStore, key: TrustedKey, at: datetime) -> TrustStore:
    """The next version with ``key`` trusted (replacing its roles and scopes if present).
    A revoked key stays revoked: it cannot be added again."""
    current = store.key(key.keyid)
    if current is not None and current.revocation is not None:
        raise InputError("trust_key_revoked_for_good", keyid=key.keyid[:16])
    keys = [k for k in store.keys if k.keyid != key.keyid] + [key]
    return TrustStore(version=store.version + 1, issued_at=at, keys=tuple(keys))


def find_key(store: TrustStore, keyid: str) -> TrustedKey:
    """A key by its id or a unique prefix of at least eight hex digits."""
    if len(keyid) < MIN_KEYID_PREFIX:
        raise InputError("trust_keyid_too_short", keyid=keyid, least=MIN_KEYID_PREFIX)
    found = [k for k in store.keys if k.keyid.startswith(keyid.lower())]
    if not found:
        raise NotFoundError("trust_key_not_found", keyid=keyid)
    if len(found) > 1:
        raise InputError("trust_keyid_ambiguous", keyid=keyid)
    return found[0]


def revoke_key(store: TrustStore, keyid: str, reason: str, at: datetime) -> TrustStore:
    key = find_key(store, keyid)
    if key.revocation is not None:
        raise InputError("trust_key_already_revoked", keyid=key.keyid[:16])
    if not reason.strip():
        raise InputError("trust_revocation_without_reason")
    revoked = replace(key, revocation=Revocation(at=at, reason=reason.strip()))
    keys = tuple(revoked if k.keyid == key.keyid else k for k in store.keys)
    return TrustStore(version=store.version + 1, issued_at=at, keys=keys)


def sign_trust_store(store: TrustStore, signer: Signer) -> Envelope:
    key = store.key(signer.record.keyid)
    if key is None or Role.ROOT not in key.roles or key.revocation is not None:
        raise InputError("trust_signer_not_root", name=signer.record.name)
    return sign_envelope(TRUST_STORE_PAYLOAD_TYPE, write_trust_store(store), [signer])


def accept_trust_store(
    current: TrustStore,
    envelope: Envelope,
    at: datetime,
    *,
    pinned_roots: tuple[TrustedKey, ...] = (),
    source: str = "<trust store>",
) -> TrustStore | Refused:
    """The incoming store if a root key of the current store (or, on first import, a
    root pinned by the user) signed it and it is newer; never an older version."""
    if envelope.payload_type != TRUST_STORE_PAYLOAD_TYPE:
        return Refused(Refusal.WRONG_PAYLOAD_TYPE, "trust_store_wrong_payload_type",
                       payload_type=envelope.payload_type)
    roots = tuple(k for k in current.keys if Role.ROOT in k.roles) or pinned_roots
    if not roots:
        return Refused(Refusal.UNTRUSTED_SIGNER, "trust_store_no_root")
    verifier = TrustStore(version=current.version, issued_at=current.issued_at, keys=roots)
    signed = authenticate(envelope, verifier, Role.ROOT, at)
    if isinstance(signed, Refused):
        return signed
    try:
        incoming = read_trust_store(envelope.payload, source)
    except InputError as exc:
        return unreadable(exc)
    if incoming.version <= current.version:
        return Refused(Refusal.ROLLBACK, "trust_store_rollback", version=incoming.version,
                       installed=current.version)
    return incoming
