"""A vendor's installation for the use-case tests: real file keys in its keyring, its
root key and its release key (scoped to one product) trusted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from cpstrust.app import keys, releases, truststore
from cpstrust.app.services import Services
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Role, TrustedKey
from cpstrust.store.db import Store

PASSPHRASE = "correct horse battery"
SECRETS = {"passphrase": PASSPHRASE}
PRODUCT = "plc-4000"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def file_key(services: Services, name: str,
             algorithm: Algorithm = Algorithm.ED25519) -> KeyRecord:
    """A key in an encrypted file of ``services``' keyring."""
    return keys.create_key(services, name, Backend.FILE, algorithm, locator={}, secrets=SECRETS)


def trusted(record: KeyRecord, *roles: Role, scopes: Sequence[str] = (),
            not_after: datetime | None = None) -> TrustedKey:
    return TrustedKey(keyid=record.keyid, algorithm=record.algorithm,
                      public_key_pem=record.public_key_pem, roles=frozenset(roles),
                      scopes=frozenset(scopes), not_after=not_after)


@dataclass(frozen=True, slots=True)
class Vendor:
    services: Services
    root: KeyRecord
    release: KeyRecord

    def sign(self, *artifacts: Path, out: Path, product: str = PRODUCT,
             version: str = "2.1.0", sbom: Path | None = None, key: str = "release") -> Path:
        """Sign ``artifacts`` as a release with the vendor's key ``key``; the envelope
        is written to ``out``."""
        signed = releases.sign(self.services, artifacts, key=key, secrets=SECRETS,
                               product=product, version=version, sbom=sbom, at=NOW)
        out.write_bytes(signed.envelope)
        return out


def make_vendor(services: Services) -> Vendor:
    root = file_key(services, "root")
    release = file_key(services, "release", Algorithm.ECDSA_P256)
    truststore.trust_key(services, trusted(root, Role.ROOT), NOW)
    truststore.trust_key(services, trusted(release, Role.RELEASE_SIGNER, scopes=[PRODUCT]), NOW)
    return Vendor(services, root, release)


def row_counts(store: Store, *tables: type) -> dict[str, int]:
    """How many rows each table holds: what a refused use case must leave unchanged."""
    with store.transaction() as session:
        return {table.__name__: session.scalar(select(func.count()).select_from(table)) or 0
                for table in tables}
