"""The trust store's versions in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from cpstrust.crypto import keyid_of, public_pem
from cpstrust.errors import StoreError
from cpstrust.model.trust import Algorithm, Role, TrustedKey
from cpstrust.store.db import Store
from cpstrust.store.trust import TrustStoreCache, current_trust_store, save_trust_store
from cpstrust.trust.truststore import add_key, revoke_key

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def new_key(role: Role) -> TrustedKey:
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    return TrustedKey(keyid=keyid_of(public), algorithm=Algorithm.ED25519,
                      public_key_pem=public_pem(public), roles=frozenset({role}),
                      scopes=frozenset({"plc-4000"}))


def test_each_edit_is_a_new_version_and_the_newest_rules(store: Store) -> None:
    root, release = new_key(Role.ROOT), new_key(Role.RELEASE_SIGNER)
    with store.transaction() as session:
        assert current_trust_store(session).version == 0
        save_trust_store(session, add_key(current_trust_store(session), root, NOW))
        save_trust_store(session, add_key(current_trust_store(session), release, NOW))
    with store.transaction() as session:
        save_trust_store(session, revoke_key(current_trust_store(session), release.keyid[:10],
                                             "lost", NOW))
    with store.transaction() as session:
        current = current_trust_store(session)
    assert current.version == 3
    assert current.key(root.keyid) == root
    revoked = current.key(release.keyid)
    assert revoked is not None and revoked.revocation is not None
    assert revoked.revocation.reason == "lost" and revoked.scopes == {"plc-4000"}


def test_saving_an_older_version_fails_and_writes_nothing(store: Store) -> None:
    with store.transaction() as session:
        first = add_key(current_trust_store(session), new_key(Role.ROOT), NOW)
        save_trust_store(session, first)
        save_trust_store(session, add_key(first, new_key(Role.ASSESSOR), NOW))
    with pytest.raises(StoreError), store.transaction() as session:
        save_trust_store(session, first)
    with store.transaction() as session:
        assert current_trust_store(session).version == 2


def test_cache_serves_the_held_version_until_a_newer_one_is_saved(store: Store) -> None:
    cache = TrustStoreCache()
    with store.transaction() as session:
        assert cache.current(session).version == 0
        save_trust_store(session, add_key(current_trust_store(session), new_key(Role.ROOT), NOW))
    with store.transaction() as session:
        first = cache.current(session)
        assert first.version == 1 and cache.current(session) is first
        save_trust_store(session, add_key(first, new_key(Role.DEVICE_IDENTITY), NOW))
    with store.transaction() as session:
        assert cache.current(session).version == 2
