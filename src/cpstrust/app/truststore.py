"""The trust store: which keys this site trusts, in which roles and scopes, until when;
each change is a new version; the store travels between organisations signed by a root
key, and an older version is never accepted back (rollback)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cpstrust.app.services import Services
from cpstrust.crypto import (
    MAX_PEM_BYTES,
    algorithm_of,
    keyid_of,
    public_pem,
    read_public_key,
)
from cpstrust.errors import InputError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS, read_envelope, write_envelope
from cpstrust.formats.files import read_limited
from cpstrust.limits import ReadLimits
from cpstrust.model.trust import Refused, Role, TrustedKey, TrustStore
from cpstrust.store import trust as trust_store
from cpstrust.trust.truststore import accept_trust_store, add_key, revoke_key, sign_trust_store


@dataclass(frozen=True, slots=True)
class ExportedTrustStore:
    store: TrustStore
    envelope: bytes  # the DSSE envelope, signed by the root key


@dataclass(frozen=True, slots=True)
class TrustStoreImport:
    store: TrustStore
    previous_version: int


def key_from_pem_file(path: Path, roles: frozenset[Role]) -> TrustedKey:
    """A public key PEM file as a key trusted in ``roles`` (no scope, no expiry)."""
    text = read_limited(path, ReadLimits(max_bytes=MAX_PEM_BYTES)).decode("ascii", "replace")
    public = read_public_key(text, str(path))
    return TrustedKey(keyid=keyid_of(public), algorithm=algorithm_of(public),
                      public_key_pem=public_pem(public), roles=roles)


def current(services: Services) -> TrustStore:
    """The newest version held (version 0, empty, before the first key)."""
    with services.store.transaction() as session:
        return trust_store.current_trust_store(session)


def trust_key(services: Services, key: TrustedKey, at: datetime) -> TrustStore:
    """Trust ``key`` (replacing its roles and scopes if trusted already): a new version."""
    with services.store.transaction() as session:
        store = add_key(trust_store.current_trust_store(session), key, at)
        trust_store.save_trust_store(session, store)
    return store


def revoke(services: Services, keyid: str, reason: str, at: datetime) -> TrustStore:
    """Revoke a trusted key (id or a unique prefix): nothing it signed is accepted any more."""
    with services.store.transaction() as session:
        store = revoke_key(trust_store.current_trust_store(session), keyid, reason, at)
        trust_store.save_trust_store(session, store)
    return store


def export(services: Services, key_name: str, secrets: Mapping[str, str]) -> ExportedTrustStore:
    """The current version signed by the root key ``key_name``; the signed form is kept
    with the version."""
    with (
        services.keyring.signer(key_name, secrets) as signer,
        services.store.transaction() as session,
    ):
        store = trust_store.current_trust_store(session)
        if store.version == 0:
            raise InputError("app_trust_store_empty")
        envelope = write_envelope(sign_trust_store(store, signer))
        trust_store.attach_envelope(session, store.version, envelope)
    return ExportedTrustStore(store, envelope)


def import_signed(services: Services, path: Path, pinned_roots: Sequence[Path],
                  at: datetime) -> TrustStoreImport | Refused:
    """Install a newer signed version, verified offline against the root keys already
    trusted (or ``pinned_roots`` on the first import); nothing changes when refused."""
    data = read_limited(path, ReadLimits(max_bytes=DEFAULT_ENVELOPE_LIMITS.max_bytes))
    envelope = read_envelope(data, str(path))
    pinned = tuple(key_from_pem_file(p, frozenset({Role.ROOT})) for p in pinned_roots)
    with services.store.transaction() as session:
        held = trust_store.current_trust_store(session)
        outcome = accept_trust_store(held, envelope, at, pinned_roots=pinned, source=str(path))
        if isinstance(outcome, Refused):
            return outcome
        trust_store.save_trust_store(session, outcome, envelope=data, source=str(path))
    return TrustStoreImport(outcome, held.version)
