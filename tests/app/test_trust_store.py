"""The trust store as use cases, on SQLite and PostgreSQL: each change is a new version;
a store travels signed by a root key and is installed only if a trusted (or, the first
time, pinned) root signed it and it is newer; a refused import changes nothing."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import orjson
import pytest
from installations import NOW, SECRETS, Vendor, file_key, row_counts, trusted

from cpstrust.app import truststore
from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.truststore import TRUST_STORE_PAYLOAD_TYPE
from cpstrust.model.trust import Refusal, Refused, Role, TrustStore
from cpstrust.store.tables import TrustStoreVersionRow
from cpstrust.trust.truststore import sign_trust_store
from cpstrust.trust.verify import sign_envelope


def export(vendor: Vendor, path: Path) -> Path:
    path.write_bytes(truststore.export(vendor.services, "root", SECRETS).envelope)
    return path


def public_pem(path: Path, pem: str) -> Path:
    path.write_text(pem)
    return path


def refusal(outcome: object) -> Refusal:
    assert isinstance(outcome, Refused), outcome
    return outcome.reason


def unchanged(services: Services, before: TrustStore, rows: dict[str, int]) -> bool:
    return (truststore.current(services) == before
            and row_counts(services.store, TrustStoreVersionRow) == rows)


@pytest.fixture
def root_pem(vendor: Vendor, tmp_path: Path) -> Path:
    return public_pem(tmp_path / "root.pem", vendor.root.public_key_pem)


def test_each_change_is_a_new_version(vendor: Vendor) -> None:
    assert truststore.current(vendor.services).version == 2  # the root, then the release key
    second = file_key(vendor.services, "second")
    added = truststore.trust_key(vendor.services, trusted(second, Role.ASSESSOR), NOW)
    revoked = truststore.revoke(vendor.services, second.keyid, "rotated", NOW)
    assert (added.version, revoked.version) == (3, 4)
    assert truststore.current(vendor.services) == revoked


def test_an_import_installs_the_newer_version_signed_by_the_pinned_root(
        vendor: Vendor, site: Services, root_pem: Path, tmp_path: Path) -> None:
    v2 = export(vendor, tmp_path / "store-v2.json")
    done = truststore.import_signed(site, v2, [root_pem], NOW)
    assert isinstance(done, truststore.TrustStoreImport)
    assert (done.previous_version, done.store.version) == (0, 2)
    assert truststore.current(site) == truststore.current(vendor.services)


def test_an_older_version_is_refused_as_rollback_and_nothing_changes(
        vendor: Vendor, site: Services, root_pem: Path, tmp_path: Path) -> None:
    v2 = export(vendor, tmp_path / "store-v2.json")
    truststore.trust_key(vendor.services, trusted(file_key(vendor.services, "device"),
                                                  Role.DEVICE_IDENTITY, scopes=["plc-01"]), NOW)
    v3 = export(vendor, tmp_path / "store-v3.json")
    assert isinstance(truststore.import_signed(site, v3, [root_pem], NOW),
                      truststore.TrustStoreImport)
    before, rows = truststore.current(site), row_counts(site.store, TrustStoreVersionRow)
    assert refusal(truststore.import_signed(site, v2, [], NOW)) is Refusal.ROLLBACK
    assert refusal(truststore.import_signed(site, v3, [], NOW)) is Refusal.ROLLBACK  # not newer
    assert before.version == 3 and unchanged(site, before, rows)


def test_the_first_import_needs_a_pinned_root(vendor: Vendor, site: Services,
                                              tmp_path: Path) -> None:
    store = export(vendor, tmp_path / "store.json")
    assert refusal(truststore.import_signed(site, store, [], NOW)) is Refusal.UNTRUSTED_SIGNER
    assert truststore.current(site).version == 0
    assert row_counts(site.store, TrustStoreVersionRow) == {"TrustStoreVersionRow": 0}


def test_a_store_signed_by_another_root_than_the_pinned_one_is_refused(
        vendor: Vendor, site: Services, tmp_path: Path) -> None:
    store = export(vendor, tmp_path / "store.json")
    impostor = public_pem(tmp_path / "impostor.pem",
                          file_key(vendor.services, "impostor").public_key_pem)
    outcome = truststore.import_signed(site, store, [impostor], NOW)
    assert refusal(outcome) is Refusal.UNTRUSTED_SIGNER
    assert truststore.current(site).version == 0


def test_once_a_root_is_trusted_another_root_s_store_is_refused_even_if_pinned(
        vendor: Vendor, site: Services, root_pem: Path, tmp_path: Path) -> None:
    truststore.import_signed(site, export(vendor, tmp_path / "store.json"), [root_pem], NOW)
    attacker = file_key(vendor.services, "attacker")  # in no trust store
    forged = TrustStore(version=99, issued_at=NOW, keys=(trusted(attacker, Role.ROOT),))
    with vendor.services.keyring.signer("attacker", SECRETS) as signer:
        (tmp_path / "forged.json").write_bytes(write_envelope(sign_trust_store(forged, signer)))
    before, rows = truststore.current(site), row_counts(site.store, TrustStoreVersionRow)
    pinned = public_pem(tmp_path / "attacker.pem", attacker.public_key_pem)
    outcome = truststore.import_signed(site, tmp_path / "forged.json", [pinned], NOW)
    assert refusal(outcome) is Refusal.UNTRUSTED_SIGNER
    assert unchanged(site, before, rows)


def resigned(vendor: Vendor, envelope_file: Path, payload: bytes) -> Path:
    """``envelope_file`` carrying ``payload`` instead, signed again by the vendor's root."""
    with vendor.services.keyring.signer("root", SECRETS) as signer:
        envelope_file.write_bytes(write_envelope(
            sign_envelope(TRUST_STORE_PAYLOAD_TYPE, payload, [signer])))
    return envelope_file


def payload_of(envelope_file: Path) -> bytes:
    return base64.b64decode(json.loads(envelope_file.read_bytes())["payload"])


def test_a_tampered_store_is_refused_and_nothing_changes(vendor: Vendor, site: Services,
                                                         root_pem: Path,
                                                         tmp_path: Path) -> None:
    store = export(vendor, tmp_path / "store.json")
    envelope = json.loads(store.read_bytes())
    document = json.loads(payload_of(store))
    document["keys"][1]["scopes"] = []  # widen the release key to every product
    envelope["payload"] = base64.b64encode(json.dumps(document).encode()).decode()
    store.write_text(json.dumps(envelope))
    outcome = truststore.import_signed(site, store, [root_pem], NOW)
    assert refusal(outcome) is Refusal.BAD_SIGNATURE
    assert truststore.current(site).version == 0


def test_a_signed_store_naming_its_keys_twice_installs_nothing(vendor: Vendor, site: Services,
                                                               root_pem: Path,
                                                               tmp_path: Path) -> None:
    store = export(vendor, tmp_path / "store.json")
    twice = orjson.dumps(orjson.loads(payload_of(store)))[:-1] + b',"keys":[]}'
    outcome = truststore.import_signed(site, resigned(vendor, store, twice), [root_pem], NOW)
    assert refusal(outcome) is Refusal.MALFORMED
    assert row_counts(site.store, TrustStoreVersionRow) == {"TrustStoreVersionRow": 0}


def test_only_a_root_key_exports(vendor: Vendor) -> None:
    with pytest.raises(InputError, match="not a root key"):
        truststore.export(vendor.services, "release", SECRETS)


def test_a_revoked_root_key_exports_nothing(vendor: Vendor) -> None:
    truststore.revoke(vendor.services, vendor.root.keyid, "laptop stolen", NOW)
    with pytest.raises(InputError, match="not a root key"):
        truststore.export(vendor.services, "root", SECRETS)


def test_a_revoked_key_cannot_be_trusted_again(vendor: Vendor) -> None:
    truststore.revoke(vendor.services, vendor.release.keyid, "signing server breached", NOW)
    before = truststore.current(vendor.services)
    with pytest.raises(InputError, match="cannot be trusted again"):
        truststore.trust_key(vendor.services, trusted(vendor.release, Role.RELEASE_SIGNER), NOW)
    assert truststore.current(vendor.services) == before


def test_a_keyid_prefix_shorter_than_eight_is_refused(vendor: Vendor) -> None:
    keyid = vendor.release.keyid
    with pytest.raises(InputError, match="too short"):
        truststore.revoke(vendor.services, keyid[:7], "lost", NOW)
    assert truststore.current(vendor.services).version == 2
    revoked = truststore.revoke(vendor.services, keyid[:8], "lost", NOW)
    key = revoked.key(keyid)
    assert key is not None and key.revocation is not None
