"""The evidence bundle: written as documented, read back whole, and every malformed one
refused with its file and place before anything of it is used."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from cpstrust.crypto import keyid_of, public_pem, read_public_key
from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.dsse import envelope_json
from cpstrust.formats.evidence_bundle import (
    BUNDLE_TYPE,
    BundleLimits,
    EvidenceBundle,
    OfferedKey,
    read_bundle,
    write_bundle,
)
from cpstrust.model.orgevidence import StarDeclaration, Validity
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.orgevidence import sign_evidence

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
VALID = Validity(NOW, NOW + timedelta(days=365))


@pytest.fixture
def bundle() -> EvidenceBundle:
    private = ed25519.Ed25519PrivateKey.generate()
    record = KeyRecord(name="supplier", backend=Backend.FILE, algorithm=Algorithm.ED25519,
                       keyid=keyid_of(private.public_key()),
                       public_key_pem=public_pem(private.public_key()), created_at=NOW)
    signer = FileSigner(record, private)
    envelopes = tuple(sign_evidence(StarDeclaration(org, VALID, 3), [signer])
                      for org in ("Hokuriku Controls", "Kanto Sensors"))
    key = OfferedKey(signer.record.keyid, signer.record.algorithm,
                     signer.record.public_key_pem, "supplier")
    return EvidenceBundle(exported_at=NOW, envelopes=envelopes, keys=(key,))


def as_json(bundle: EvidenceBundle) -> dict[str, object]:
    document = orjson.loads(write_bundle(bundle))
    assert isinstance(document, dict)
    return document


def refused(data: bytes, limits: BundleLimits = BundleLimits()) -> InputError:
    with pytest.raises(InputError) as caught:
        read_bundle(data, "supplier.bundle.json", limits)
    assert caught.value.source == "supplier.bundle.json"
    return caught.value


def test_bundle_reads_back_as_written(bundle: EvidenceBundle) -> None:
    assert read_bundle(write_bundle(bundle), "b.json") == bundle


def test_bundle_is_the_documented_json_object_of_standard_envelopes(
    bundle: EvidenceBundle,
) -> None:
    document = as_json(bundle)
    assert document["_type"] == BUNDLE_TYPE
    assert document["exportedAt"] == "2026-11-23T12:00:00Z"
    assert document["envelopes"] == [envelope_json(e) for e in bundle.envelopes]
    key = document["keys"][0]  # type: ignore[index]
    assert keyid_of(read_public_key(key["publicKey"])) == key["keyid"]


def test_key_named_twice_in_the_bundle_is_refused_at_its_object(bundle: EvidenceBundle) -> None:
    data = write_bundle(bundle).replace(b'"_type"', b'"exportedAt": "2030-01-01T00:00:00Z",\n'
                                                   b'  "_type"', 1)
    error = refused(data)
    assert "exportedAt" in error.problem
    assert error.location == "/"


def test_truncated_bundle_is_refused_with_line_and_column(bundle: EvidenceBundle) -> None:
    data = write_bundle(bundle)
    error = refused(data[: len(data) // 2])
    assert error.location is not None and error.location.startswith("line ")


def test_oversize_bundle_is_refused_before_parsing(bundle: EvidenceBundle) -> None:
    data = write_bundle(bundle)
    with pytest.raises(LimitExceededError, match="larger than the limit"):
        read_bundle(data, "b.json", BundleLimits(max_bytes=len(data) - 1))


def test_more_envelopes_than_the_limit_are_refused(bundle: EvidenceBundle) -> None:
    error = refused(write_bundle(bundle), BundleLimits(max_envelopes=1))
    assert error.location == "/envelopes"


def test_envelope_listed_twice_is_refused_at_the_second(bundle: EvidenceBundle) -> None:
    document = as_json(bundle)
    document["envelopes"] = [*document["envelopes"], document["envelopes"][0]]  # type: ignore[misc, index]
    error = refused(orjson.dumps(document))
    assert error.location == "/envelopes/2"


def test_key_offered_twice_is_refused(bundle: EvidenceBundle) -> None:
    document = as_json(bundle)
    document["keys"] = [*document["keys"], document["keys"][0]]  # type: ignore[misc, index]
    assert refused(orjson.dumps(document)).location == "/keys/1"


def test_offered_key_whose_id_is_not_its_hash_is_refused(bundle: EvidenceBundle) -> None:
    document = as_json(bundle)
    document["keys"][0]["keyid"] = "0" * 64  # type: ignore[index]
    assert refused(orjson.dumps(document)).location == "/keys/0/keyid"


def test_envelope_with_bad_base64_is_refused_at_its_payload(bundle: EvidenceBundle) -> None:
    document = as_json(bundle)
    document["envelopes"][1]["payload"] = "not base64!"  # type: ignore[index]
    assert refused(orjson.dumps(document)).location == "/envelopes/1/payload"


@pytest.mark.parametrize(("change", "place"), [
    ({"_type": "https://example.com/other"}, "/_type"),
    ({"extra": 1}, "/"),
    ({"envelopes": "none"}, "/envelopes"),
    ({"exportedAt": "yesterday"}, "/exportedAt"),
])
def test_bundle_of_another_shape_is_refused_naming_the_place(
    bundle: EvidenceBundle, change: dict[str, object], place: str,
) -> None:
    document = {**as_json(bundle), **change}
    assert refused(orjson.dumps(document)).location == place
