"""Hostile envelopes: each is refused naming the file, the place and the problem, and no
mutation of a signed envelope is ever accepted as something it did not sign."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyfactory import NOW, make_signer, trusted

from cpstrust.errors import InputError
from cpstrust.formats.dsse import read_envelope, write_envelope
from cpstrust.model.evidence import ReleaseProvenance, Subject, VerifiedRelease
from cpstrust.model.trust import Role, TrustStore
from cpstrust.trust.release import sign_release, verify_release

BAD = Path(__file__).resolve().parent.parent / "data" / "bad" / "envelope"


@pytest.mark.parametrize(
    ("name", "location", "problem"),
    [
        ("truncated.json", "line 1 column 112", "the document ends too early"),
        ("payload-not-base64.json", "/payload", "invalid base64"),
        ("huge-keyid.json", "/signatures/0/keyid", "keyid must be a short string"),
        ("deep-nesting.json", "line 1 column 1026", "nesting is too deep"),
        ("too-many-signatures.json", "/signatures", "40 signatures exceed the limit of 16"),
        ("payload-type-not-string.json", "/payloadType", "'payloadType' is missing or not a str"),
    ],
)
def test_hostile_envelope_is_refused_with_its_place(name: str, location: str | None,
                                                   problem: str) -> None:
    path = BAD / name
    with pytest.raises(InputError) as caught:
        read_envelope(path.read_bytes(), str(path))
    assert caught.value.source == str(path)
    assert caught.value.location == location
    assert problem in caught.value.problem


SIGNER = make_signer()
STORE = TrustStore(1, NOW, (trusted(SIGNER, Role.RELEASE_SIGNER),))
GENUINE = sign_release([Subject("fw.bin", {"sha256": "ab" * 32})],
                       ReleaseProvenance("plc-4000", "2.1.0", "urn:test", NOW, None), [SIGNER])
WIRE = write_envelope(GENUINE)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.integers(0, len(WIRE) - 1), st.integers(1, 255))
def test_no_byte_flip_of_a_signed_envelope_is_accepted_as_something_else(
    position: int, xor: int
) -> None:
    mutated = bytearray(WIRE)
    mutated[position] ^= xor
    try:
        envelope = read_envelope(bytes(mutated))
    except InputError:
        return
    outcome = verify_release(envelope, STORE, at=NOW)
    if isinstance(outcome, VerifiedRelease):  # only a change to the keyid hint is harmless
        assert envelope.payload == GENUINE.payload
        assert envelope.payload_type == GENUINE.payload_type
        assert [s.sig for s in envelope.signatures] == [s.sig for s in GENUINE.signatures]
